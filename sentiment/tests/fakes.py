"""Local fake HTTP servers on 127.0.0.1 for the CryptoPanic and X clients."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

Route = Callable[[str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], Any]]


class FakeServer:
    """Answer GET requests with a test-provided function; record every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.route: Route = lambda path, query, headers: (404, {}, {"detail": "no route"})
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                headers = {k.lower(): v for k, v in self.headers.items()}
                owner.requests.append({"path": parts.path, "query": query, "headers": headers})
                status, extra, body = owner.route(parts.path, query, headers)
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        port = self._httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def load_news(shared_data: Path, name: str) -> dict[str, Any]:
    return json.loads((shared_data / "news" / name).read_text())


HOT = "cryptopanic_posts_filter-hot_2018-01-18.json"
NEO = "cryptopanic_posts_filter-hot_currencies-NEO_2018-01-18.json"


def cryptopanic_route(server: FakeServer, shared_data: Path) -> Route:
    """Serve the recorded pages: page 1 = hot, page 2 = NEO, page 3 = empty; `next` rewritten."""
    pages = {"1": load_news(shared_data, HOT), "2": load_news(shared_data, NEO)}

    def route(path: str, query: dict[str, list[str]], headers: dict[str, str]):
        if query.get("auth_token") != ["good-token-123"]:
            return 401, {}, {"status": "Incomplete", "info": "Token not found"}
        page = query.get("page", ["1"])[0]
        body = dict(pages.get(page, {"count": 0, "next": None, "previous": None, "results": []}))
        if body.get("next"):
            # The recorded NEO page points back at page 2; number the pages onwards instead.
            rewritten = urlsplit(body["next"])
            query_text = re.sub(r"page=\d+", f"page={int(page) + 1}", rewritten.query)
            body["next"] = server.base + rewritten.path + "?" + query_text
        return 200, {}, body

    return route


def tweet(tweet_id: str, text: str, created_at: str, author_id: str = "11", **extra: Any):
    payload = {
        "id": tweet_id,
        "text": text,
        "created_at": created_at,
        "author_id": author_id,
        "lang": extra.pop("lang", "en"),
        "edit_history_tweet_ids": [tweet_id],
        "public_metrics": extra.pop(
            "public_metrics",
            {"retweet_count": 2, "reply_count": 1, "like_count": 10, "quote_count": 0},
        ),
    }
    payload.update(extra)
    return payload


def x_page(tweets: list[dict[str, Any]], next_token: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"result_count": len(tweets)}
    if tweets:
        meta["newest_id"], meta["oldest_id"] = tweets[0]["id"], tweets[-1]["id"]
    if next_token:
        meta["next_token"] = next_token
    users = sorted({t["author_id"] for t in tweets})
    return {
        "data": tweets,
        "includes": {
            "users": [{"id": u, "name": f"User {u}", "username": f"user{u}"} for u in users]
        },
        "meta": meta,
    }
