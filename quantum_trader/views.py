"""Serve the single-page dashboard built by Vite."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

_index_cache: dict[str, tuple[float, str]] = {}


def _built_index() -> str | None:
    path = settings.FRONTEND_DIST / "index.html"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _index_cache.get("index")
    if cached is None or cached[0] != mtime:
        cached = (mtime, path.read_text())
        _index_cache["index"] = cached
    return cached[1]


@ensure_csrf_cookie
def spa(request: HttpRequest) -> HttpResponse:
    """Answer every browser route with the app; the client routes from there."""
    html = _built_index()
    if html is None:
        return render(request, "frontend_missing.html", status=503)
    return HttpResponse(html)
