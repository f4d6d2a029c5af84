from __future__ import annotations

import socket

import pytest
import requests


def test_guard_non_loopback_connect_refused():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(ConnectionRefusedError, match="loopback"):
            sock.connect(("203.0.113.7", 443))
    finally:
        sock.close()


def test_guard_name_lookup_refused():
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("https://cryptopanic.com/api/v1/posts/", timeout=1)


def test_guard_loopback_allowed(fake_server):
    fake_server.route = lambda path, query, headers: (200, {}, {"ok": True})
    assert requests.get(fake_server.base + "/ping", timeout=2).json() == {"ok": True}
