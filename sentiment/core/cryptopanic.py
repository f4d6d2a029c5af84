"""CryptoPanic posts API client: `GET {base}/posts/?auth_token=..&currencies=BTC,ETH&public=true`.

The token travels in the query string, so every URL is masked before it reaches a log line or
an error, and the token is registered with the credential mask as soon as it is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from markets.core.redaction import register_secret
from sentiment.core.text import parse_time, strip_html
from sentiment.core.types import FetchResult, NewsRecord

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0
_TOKEN_IN_URL = re.compile(r"(auth_token=)[^&#\s]*", re.IGNORECASE)


class NewsFetcher(Protocol):
    def fetch(self, *, currencies: Sequence[str], max_pages: int) -> FetchResult[NewsRecord]: ...


def mask_url(url: str) -> str:
    """Return a URL with its `auth_token` value replaced by `***`."""
    return _TOKEN_IN_URL.sub(r"\1***", url)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _int_votes(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    votes: dict[str, int] = {}
    for key, count in value.items():
        if isinstance(count, bool):
            continue
        if isinstance(count, int | float):
            votes[str(key)] = int(count)
    return votes


def _currencies(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    codes: list[str] = []
    for entry in value:
        code = entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(code, str) and code.strip():
            normalised = code.strip().upper()
            if normalised not in codes:
                codes.append(normalised)
    return tuple(codes)


def parse_post(payload: object) -> NewsRecord | None:
    """Turn one entry of `results` into a record; None when required fields are missing.

    Unknown keys are ignored; `currencies`, `body`, `domain` and `votes` are optional.
    """
    if not isinstance(payload, dict):
        return None
    external_id = payload.get("id")
    title = payload.get("title")
    published_at = parse_time(payload.get("published_at")) or parse_time(payload.get("created_at"))
    if external_id is None or not isinstance(title, str) or published_at is None:
        return None
    clean_title = strip_html(title)
    if not clean_title:
        return None
    source = payload.get("source")
    domain = payload.get("domain")
    if not isinstance(domain, str) and isinstance(source, dict):
        domain = source.get("domain")
    url = payload.get("url")
    return NewsRecord(
        external_id=str(external_id),
        title=clean_title,
        url=url if isinstance(url, str) else "",
        domain=domain if isinstance(domain, str) else "",
        currencies=_currencies(payload.get("currencies")),
        votes=_int_votes(payload.get("votes")),
        published_at=published_at,
        raw=payload,
    )


def parse_page(body: object) -> tuple[list[NewsRecord], int, str | None]:
    """Parse one response page: (records, entries skipped, next URL or None)."""
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise ValueError("response has no `results` list")
    records: list[NewsRecord] = []
    skipped = 0
    for entry in body["results"]:
        record = parse_post(entry)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    next_url = body.get("next")
    return records, skipped, next_url if isinstance(next_url, str) and next_url else None


class CryptoPanicClient:
    """Fetch CryptoPanic posts page by page, following `next` up to a page limit."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        session: requests.Session | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if not token:
            raise ValueError("a CryptoPanic token is required")
        self._base = base_url.rstrip("/")
        self._token = token
        self._session = session or requests.Session()
        self._timeout = timeout

    def _first_url(self, currencies: Sequence[str]) -> str:
        params = {"auth_token": self._token, "public": "true"}
        if currencies:
            params["currencies"] = ",".join(c.upper() for c in currencies)
        return f"{self._base}/posts/?{urlencode(params, safe=',')}"

    def _follow(self, next_url: str) -> str:
        # Keep the token on the configured host only, and use our own token rather than
        # whatever the page echoed back.
        base = urlsplit(self._base)
        link = urlsplit(next_url)
        query = [(k, v) for k, v in parse_qsl(link.query, keep_blank_values=True)]
        query = [(k, v) for k, v in query if k != "auth_token"]
        query.insert(0, ("auth_token", self._token))
        return urlunsplit((base.scheme, base.netloc, link.path, urlencode(query, safe=","), ""))

    def fetch(self, *, currencies: Sequence[str], max_pages: int = 3) -> FetchResult[NewsRecord]:
        """Fetch up to `max_pages` pages; stop early on 401/403, 429 or any HTTP error."""
        register_secret(self._token)
        result: FetchResult[NewsRecord] = FetchResult()
        url: str | None = self._first_url(currencies)
        seen: set[str] = set()
        while url is not None and result.pages < max_pages and url not in seen:
            seen.add(url)
            shown = mask_url(url)
            try:
                response = self._session.get(
                    url, timeout=self._timeout, headers={"Accept": "application/json"}
                )
            except requests.RequestException as e:
                result.error, result.detail = "network_error", mask_url(str(e))
                log.warning("cryptopanic request failed: %s (%s)", shown, result.detail)
                break
            status = response.status_code
            if status in (401, 403):
                result.error = "unauthorized"
                result.detail = f"HTTP {status}: the CryptoPanic token was refused"
                log.warning("cryptopanic %s for %s", result.detail, shown)
                break
            if status == 429:
                result.error = "rate_limited"
                result.retry_after = _retry_after(response.headers.get("Retry-After"))
                result.detail = f"HTTP 429: rate limited, retry after {result.retry_after} s"
                log.warning("cryptopanic %s for %s", result.detail, shown)
                break
            if status >= 400:
                result.error, result.detail = "http_error", f"HTTP {status}"
                log.warning("cryptopanic HTTP %s for %s", status, shown)
                break
            try:
                records, skipped, next_url = parse_page(response.json())
            except ValueError as e:
                result.error, result.detail = "bad_response", str(e)
                log.warning("cryptopanic bad response for %s: %s", shown, e)
                break
            result.pages += 1
            result.items.extend(records)
            result.skipped += skipped
            url = self._follow(next_url) if next_url is not None else None
        return result
