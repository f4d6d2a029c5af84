"""The canary sweep: prove that no test credential ever leaves the encrypted columns.

Every test credential carries a unique canary (`CANARY...-<uuid hex>`, from the `canary`
fixture). While the suite runs, the root conftest feeds this module everything the platform
emits: log records of every logger, every response of Django's test clients (API, admin,
HTML and error pages), every websocket frame a consumer sends, every Celery task payload,
outgoing mail, and at the end of each test that made canaries a dump of every database
table. Each item is scanned at once for every canary made so far, plain and encoded
(JSON-escaped, URL-encoded, standard and URL-safe base64 at every alignment); a canary can
only appear in items produced after it was made, so scanning on arrival misses nothing.
A hit is recorded as a `Leak` naming where it was found; the test that produced it fails.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

PREFIX = "CANARY"


@dataclass(frozen=True)
class Leak:
    kind: str  # log, http, websocket, celery, mail, database
    where: str
    form: str  # plain, json, url, base64, urlsafe-base64, ...
    canary: str
    test: str
    context: str

    def describe(self) -> str:
        return (
            f"canary leak in {self.kind} at {self.where} ({self.form} form) during {self.test}: "
            f"...{self.context}..."
        )


_lock = threading.Lock()
_canaries: set[str] = set()
_needles: dict[str, tuple[str, str]] = {}  # needle -> (canary, form)
_pattern: re.Pattern[str] | None = None
_leaks: list[Leak] = []
current_test = "(outside a test)"


def _base64_forms(raw: bytes, encode: Any, name: str) -> dict[str, str]:
    """Base64 of `raw` as it appears inside a longer encoded string, at all 3 alignments."""
    forms: dict[str, str] = {}
    for offset in range(3):
        encoded = encode(b"\0" * offset + raw).decode("ascii").rstrip("=")
        # Drop the characters that mix in bytes before or after the canary.
        start = 0 if offset == 0 else 4
        core = encoded[start:-4]
        if len(core) >= 16:
            forms[core] = f"{name}@{offset}"
    return forms


def forms_of(value: str) -> dict[str, str]:
    """Return every searchable form of a secret: needle -> name of the encoding."""
    raw = value.encode("utf-8")
    candidates = [
        (value, "plain"),
        (json.dumps(value, ensure_ascii=False)[1:-1], "json"),
        (json.dumps(value, ensure_ascii=True)[1:-1], "json-ascii"),
        (urllib.parse.quote(value, safe=""), "url"),
        (urllib.parse.quote_plus(value), "url-plus"),
        *_base64_forms(raw, base64.b64encode, "base64").items(),
        *_base64_forms(raw, base64.urlsafe_b64encode, "urlsafe-base64").items(),
    ]
    forms: dict[str, str] = {}
    for needle, name in candidates:
        if needle:
            forms.setdefault(needle, name)  # identical encodings keep the simplest name
    return forms


def register(value: str) -> str:
    """Add a canary; every later item is scanned for it."""
    global _pattern
    with _lock:
        _canaries.add(value)
        for needle, form in forms_of(value).items():
            _needles.setdefault(needle, (value, form))
        ordered = sorted(_needles, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(n) for n in ordered))
    return value


def make(label: str = "") -> str:
    """Make and register a fresh canary, e.g. `CANARYSECRET-3f2a...`."""
    return register(f"{PREFIX}{label.upper()}-{uuid.uuid4().hex}")


def canaries() -> frozenset[str]:
    return frozenset(_canaries)


def find(text: str | bytes) -> list[tuple[str, str, int]]:
    """Return (canary, form, position) for every canary form found in text."""
    pattern = _pattern
    if pattern is None or not text:
        return []
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text).decode("latin-1")
    return [(*_needles[m.group(0)], m.start()) for m in pattern.finditer(text)]


def scan(text: str | bytes | None, *, kind: str, where: str) -> list[Leak]:
    """Scan one emitted item; record and return the leaks found in it."""
    if text is None:
        return []
    hits = find(text)
    if not hits:
        return []
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text).decode("latin-1")
    found = []
    for canary, form, position in hits:
        snippet = text[max(0, position - 60) : position + 80]
        for needle in forms_of(canary):
            snippet = snippet.replace(needle, "<CANARY>")
        found.append(
            Leak(
                kind=kind,
                where=where,
                form=form,
                canary=canary[:12] + "...",
                test=current_test,
                context=snippet.replace("\n", "\\n"),
            )
        )
    with _lock:
        _leaks.extend(found)
    return found


def take_leaks() -> list[Leak]:
    """Return and forget the leaks recorded so far."""
    with _lock:
        taken = list(_leaks)
        _leaks.clear()
    return taken


def fail_on_leaks() -> None:
    """Fail the running test, naming every leak recorded since the last check."""
    import pytest

    found = take_leaks()
    if found:
        pytest.fail(
            "secret leak detected:\n" + "\n".join(f"  {leak.describe()}" for leak in found),
            pytrace=False,
        )


def leaks() -> list[Leak]:
    with _lock:
        return list(_leaks)


# --- the taps --------------------------------------------------------------------------------


class LogTap(logging.Handler):
    """A root-logger handler that scans every record (message, arguments, traceback)."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)

    def emit(self, record: logging.LogRecord) -> None:
        if _pattern is None:
            return
        try:
            message = record.getMessage()
        except Exception:  # a broken format string still gets scanned raw
            message = f"{record.msg!r} {record.args!r}"
        parts = [message, repr(record.msg) if not isinstance(record.msg, str) else ""]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        scan("\n".join(parts), kind="log", where=f"logger {record.name} ({record.levelname})")


LOG_TAP = LogTap()


def scan_response(response: Any, *, method: str, path: str) -> None:
    where = f"{method} {path} -> {getattr(response, 'status_code', '?')}"
    headers = "\n".join(f"{k}: {v}" for k, v in getattr(response, "headers", {}).items())
    scan(headers, kind="http", where=where + " (headers)")
    if getattr(response, "streaming", False):
        return  # file downloads; consuming them here would break the test
    scan(getattr(response, "content", b""), kind="http", where=where)


def install() -> None:
    """Attach the taps (idempotent). Call after Django is set up."""
    from celery.signals import before_task_publish, task_prerun
    from channels.generic.websocket import AsyncWebsocketConsumer, WebsocketConsumer
    from django.test import client as django_client

    root = logging.getLogger()
    if LOG_TAP not in root.handlers:
        root.addHandler(LOG_TAP)
    if getattr(django_client.ClientHandler, "_canary_tapped", False):
        return

    sync_call = django_client.ClientHandler.__call__

    def tapped_call(self: Any, environ: dict[str, Any]) -> Any:
        response = sync_call(self, environ)
        scan_response(
            response, method=environ.get("REQUEST_METHOD", "?"), path=environ.get("PATH_INFO", "?")
        )
        return response

    async_call = django_client.AsyncClientHandler.__call__

    async def tapped_async_call(self: Any, scope: dict[str, Any]) -> Any:
        response = await async_call(self, scope)
        scan_response(response, method=scope.get("method", "?"), path=scope.get("path", "?"))
        return response

    django_client.ClientHandler.__call__ = tapped_call  # type: ignore[method-assign]
    django_client.AsyncClientHandler.__call__ = tapped_async_call  # type: ignore[method-assign]
    django_client.ClientHandler._canary_tapped = True  # type: ignore[attr-defined]

    async_send = AsyncWebsocketConsumer.send

    async def tapped_async_send(
        self: Any, text_data: Any = None, bytes_data: Any = None, close: Any = False
    ) -> None:
        where = f"{type(self).__name__} frame"
        scan(text_data, kind="websocket", where=where)
        scan(bytes_data, kind="websocket", where=where)
        await async_send(self, text_data=text_data, bytes_data=bytes_data, close=close)

    sync_send = WebsocketConsumer.send

    def tapped_sync_send(
        self: Any, text_data: Any = None, bytes_data: Any = None, close: Any = False
    ) -> None:
        where = f"{type(self).__name__} frame"
        scan(text_data, kind="websocket", where=where)
        scan(bytes_data, kind="websocket", where=where)
        sync_send(self, text_data=text_data, bytes_data=bytes_data, close=close)

    AsyncWebsocketConsumer.send = tapped_async_send
    WebsocketConsumer.send = tapped_sync_send

    def on_publish(sender: Any = None, body: Any = None, headers: Any = None, **_: Any) -> None:
        scan(repr(body), kind="celery", where=f"task {sender} published (body)")
        scan(repr(headers), kind="celery", where=f"task {sender} published (headers)")

    def on_prerun(
        sender: Any = None, task: Any = None, args: Any = None, kwargs: Any = None, **_: Any
    ) -> None:
        name = getattr(task, "name", sender)
        scan(repr((args, kwargs)), kind="celery", where=f"task {name} run (arguments)")

    before_task_publish.connect(on_publish, weak=False)
    task_prerun.connect(on_prerun, weak=False)


def scan_mail_outbox() -> None:
    from django.core import mail

    for number, message in enumerate(getattr(mail, "outbox", [])):
        scan(message.message().as_string(), kind="mail", where=f"outbox message {number}")


def scan_database() -> None:
    """Dump every table of every model (m2m tables included) and scan it, row by row."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = [f.attname for f in meta.concrete_fields]
        rows = list(model._base_manager.values_list(*columns))
        if not rows or not find(repr(rows)):
            continue
        for row in rows:
            scan(repr(row), kind="database", where=f"table {meta.db_table}, row {row[0]!r}")
