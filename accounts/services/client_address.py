"""The real client address of a request: the one place every other part asks.

`X-Forwarded-For` is read only behind our own reverse proxy (`BEHIND_TLS_PROXY`), and only
when the peer that connected (REMOTE_ADDR) is one of the trusted proxies
(`TRUSTED_PROXIES`, CIDRs; empty means "the peer that connected is the proxy"). The header
is then walked from the right, skipping trusted proxies: the first address that is not one
is the client. Everything to its left was written by the client and is ignored, so
made-up addresses cannot buy extra login attempts or throttle budget.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return any(address in network for network in networks)


def client_address(request: Any) -> str | None:
    """Return the client's IP address as text, or None when it cannot be told."""
    meta = getattr(request, "META", None) or {}
    peer = _parse(str(meta.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    if not settings.BEHIND_TLS_PROXY:
        return str(peer)
    if settings.TRUSTED_PROXIES and not _trusted(peer):
        return str(peer)  # not from our proxy: its X-Forwarded-For is the client's own words
    hops = [part for part in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return str(peer)  # a garbled hop: stop at the last address we can vouch for
        if not (settings.TRUSTED_PROXIES and _trusted(address)):
            return str(address)
        peer = address
    return str(peer)
