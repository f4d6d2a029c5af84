"""X (Twitter) API v2 recent search through tweepy, with pagination via `next_token`.

tweepy hard-codes `https://api.twitter.com`; a URL-rewriting adapter mounted on the client's
`requests` session points it at another base (a local fake in tests).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import tweepy
from requests.adapters import HTTPAdapter

from markets.core.redaction import register_secret
from sentiment.core.text import parse_time
from sentiment.core.types import FetchResult, PostRecord

log = logging.getLogger(__name__)

TWITTER_HOST = "https://api.twitter.com"
TWEET_FIELDS = ["created_at", "public_metrics", "lang", "author_id"]


class PostFetcher(Protocol):
    def search(
        self, *, query: str, max_results: int, max_pages: int, since_id: str | None = None
    ) -> FetchResult[PostRecord]: ...


class RewritingAdapter(HTTPAdapter):
    """Send every request to `base`, keeping its path and query."""

    def __init__(self, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(request.url or "")
        request.url = self.base + parts.path + ("?" + parts.query if parts.query else "")
        return super().send(request, *args, **kwargs)


def _metrics(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {
        str(k): int(v)
        for k, v in value.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def parse_tweet(payload: object, usernames: dict[str, str]) -> PostRecord | None:
    """Turn one tweet payload into a record; None when the id, text or time is missing."""
    if not isinstance(payload, dict):
        return None
    external_id = payload.get("id")
    text = payload.get("text")
    created_at = parse_time(payload.get("created_at"))
    if external_id is None or not isinstance(text, str) or created_at is None:
        return None
    author_id = str(payload.get("author_id") or "")
    language = payload.get("lang")
    return PostRecord(
        external_id=str(external_id),
        author=usernames.get(author_id, author_id),
        text=text,
        language=language if isinstance(language, str) else "",
        created_at=created_at,
        public_metrics=_metrics(payload.get("public_metrics")),
        raw=payload,
    )


def _retry_after(error: tweepy.TooManyRequests) -> float | None:
    """Seconds to wait: `Retry-After`, else until `x-rate-limit-reset` (epoch seconds)."""
    response = error.response
    if response is None:
        return None
    headers = response.headers
    try:
        if headers.get("Retry-After") is not None:
            return max(0.0, float(headers["Retry-After"]))
        if headers.get("x-rate-limit-reset") is not None:
            return max(0.0, float(headers["x-rate-limit-reset"]) - time.time())
    except ValueError:
        return None
    return None


class XClient:
    """Search recent posts with tweepy's v2 client."""

    def __init__(
        self,
        *,
        bearer_token: str,
        base_url: str = TWITTER_HOST,
    ) -> None:
        if not bearer_token:
            raise ValueError("an X bearer token is required")
        self._token = bearer_token
        self.client = tweepy.Client(bearer_token=bearer_token, wait_on_rate_limit=False)
        if base_url.rstrip("/") != TWITTER_HOST:
            self.client.session.mount(TWITTER_HOST, RewritingAdapter(base_url))

    def search(
        self, *, query: str, max_results: int = 100, max_pages: int = 3, since_id: str | None = None
    ) -> FetchResult[PostRecord]:
        """Fetch up to `max_pages` pages of recent posts matching `query`."""
        register_secret(self._token)
        result: FetchResult[PostRecord] = FetchResult()
        next_token: str | None = None
        per_page = min(100, max(10, max_results))
        while result.pages < max_pages:
            try:
                response = self.client.search_recent_tweets(
                    query,
                    max_results=per_page,
                    next_token=next_token,
                    since_id=since_id,
                    tweet_fields=TWEET_FIELDS,
                    expansions=["author_id"],
                    user_fields=["username"],
                    user_auth=False,
                )
            except tweepy.Unauthorized:
                result.error, result.detail = "unauthorized", "HTTP 401: the X token was refused"
                log.warning("x search %s", result.detail)
                break
            except tweepy.Forbidden:
                result.error, result.detail = "unauthorized", "HTTP 403: access to search refused"
                log.warning("x search %s", result.detail)
                break
            except tweepy.TooManyRequests as e:
                result.error, result.retry_after = "rate_limited", _retry_after(e)
                result.detail = "HTTP 429: rate limited"
                log.warning("x search %s (retry hint %s)", result.detail, result.retry_after)
                break
            except tweepy.HTTPException as e:
                status = e.response.status_code if e.response is not None else "?"
                result.error, result.detail = "http_error", f"HTTP {status}"
                log.warning("x search %s", result.detail)
                break
            except (requests.RequestException, tweepy.TweepyException) as e:
                result.error, result.detail = "network_error", type(e).__name__
                log.warning("x search failed: %s", result.detail)
                break
            result.pages += 1
            includes = getattr(response, "includes", None) or {}
            usernames = {
                str(user.id): str(user.username) for user in includes.get("users", []) or []
            }
            for tweet in getattr(response, "data", None) or []:
                record = parse_tweet(getattr(tweet, "data", tweet), usernames)
                if record is None:
                    result.skipped += 1
                else:
                    result.items.append(record)
            meta = getattr(response, "meta", None) or {}
            next_token = meta.get("next_token")
            if not next_token:
                break
        return result
