"""The isolation matrix: every API route and every stream group, classified and tested.

Routes come from the URL resolver and the OpenAPI schema, groups from each app's
`events.py`; a route or group that nobody classified fails the suite. For every route and
method, user B asking for user A's objects gets 404 and B's lists hold none of A's objects.

When you add a route: add it to `ROUTES` below. If it serves user-owned data, classify it
as OWNER_SCOPED and register a factory in `OWNER_FACTORIES` under its collection path.
"""

from __future__ import annotations

import inspect
import json
import re
import uuid
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from accounts.services import exchange_accounts, token_issue
from accounts.tests.factories import FakeExchange, exchange_account_make
from quantum_trader.celery import APPS

PUBLIC = "public"  # no per-user data (health, docs, sign-in flows)
MARKET_DATA = "market-data"  # shared data every user may read (candles, news, signals)
OWN_USER = "own-user"  # acts on the requesting user only (me, password change)
OWNER_SCOPED = "owner-scoped"  # objects with an owner: filtered by owner, 404 for others
# Stream groups the server alone puts a connection in (one sign-in's); no client subscribes.
SERVER_ONLY = "server-only"

ROUTES: dict[str, str] = {
    "/api/health/": PUBLIC,
    "/api/ready/": PUBLIC,
    "/api/schema/": PUBLIC,
    "/api/docs/": PUBLIC,
    "/api/auth/login/": PUBLIC,
    "/api/auth/logout/": PUBLIC,
    "/api/auth/token/": PUBLIC,
    "/api/auth/csrf/": PUBLIC,
    "/api/auth/register/": PUBLIC,
    "/api/auth/password/reset/": PUBLIC,
    "/api/auth/password/reset/confirm/": PUBLIC,
    "/api/auth/me/": OWN_USER,
    "/api/auth/password/change/": OWN_USER,
    "/api/auth/logout-everywhere/": OWN_USER,
    "/api/auth/sessions/": OWNER_SCOPED,
    "/api/auth/sessions/{}/": OWNER_SCOPED,
    "/api/audit-events/": OWNER_SCOPED,
    "/api/exchange-accounts/": OWNER_SCOPED,
    "/api/exchange-accounts/{}/": OWNER_SCOPED,
    "/api/exchange-accounts/{}/test/": OWNER_SCOPED,
    "/api/exchanges/": MARKET_DATA,
    "/api/markets/": MARKET_DATA,
    "/api/candles/": MARKET_DATA,
    "/api/news/": MARKET_DATA,
    "/api/posts/": MARKET_DATA,
    "/api/sentiment/": MARKET_DATA,
    "/api/models/": MARKET_DATA,
    "/api/models/{}/": MARKET_DATA,
    # A search over shared market data; its progress goes to the requester's own stream.
    "/api/models/tune/": MARKET_DATA,
    "/api/signals/": MARKET_DATA,
    "/api/backtests/": OWNER_SCOPED,
    "/api/backtests/{}/": OWNER_SCOPED,
    "/api/backtests/compare/": OWNER_SCOPED,
    "/api/orders/": OWNER_SCOPED,
    "/api/orders/{}/": OWNER_SCOPED,
    "/api/orders/{}/cancel/": OWNER_SCOPED,
    "/api/fills/": OWNER_SCOPED,
    "/api/paper-accounts/": OWNER_SCOPED,
    "/api/bots/": OWNER_SCOPED,
    "/api/bots/{}/": OWNER_SCOPED,
    "/api/bots/{}/start/": OWNER_SCOPED,
    "/api/bots/{}/pause/": OWNER_SCOPED,
    "/api/bots/{}/stop/": OWNER_SCOPED,
    "/api/bots/{}/kill/": OWNER_SCOPED,
    "/api/bots/{}/live-opt-in/": OWNER_SCOPED,
    "/api/bots/{}/replay/": OWNER_SCOPED,
    "/api/bots/{}/ticks/": OWNER_SCOPED,
    "/api/bots/{}/fills/": OWNER_SCOPED,
    "/api/bots/{}/alert-hook/": OWNER_SCOPED,
    "/api/bots/{}/alerts/": OWNER_SCOPED,
    # Inbound alerts: no sign-in, the hook's own secret is the credential.
    "/api/hooks/{}/": PUBLIC,
    "/api/positions/": OWNER_SCOPED,
    # The requester's own switch, and the global one (changed by staff only).
    "/api/kill-switches/": OWN_USER,
    "/api/notification-channels/": OWNER_SCOPED,
    "/api/notification-channels/{}/": OWNER_SCOPED,
    "/api/notification-channels/{}/test/": OWNER_SCOPED,
    "/api/notification-channels/{}/deliveries/": OWNER_SCOPED,
    "/api/notification-preferences/": OWN_USER,
    "/api/notifications/": OWNER_SCOPED,
    "/api/notifications/unread-count/": OWN_USER,
    "/api/notifications/mark-read/": OWN_USER,
}

# Owner-scoped routes that read objects named in the query string, checked by their own test.
QUERY_SCOPED = {"/api/backtests/compare/": "ids"}


def _exchange_account(owner: Any, canary: Callable[..., str]) -> Any:
    return exchange_account_make(owner, canary)


def _backtest_run(owner: Any, canary: Callable[..., str]) -> Any:
    from trading.tests.factories import BacktestRunFactory

    return BacktestRunFactory(owner=owner, status="done")


def _paper_account(owner: Any, canary: Callable[..., str]) -> Any:
    from trading.orders.paper_store import paper_account_create

    return paper_account_create(owner=owner, label=f"paper-{uuid.uuid4().hex[:8]}")


def _order(owner: Any, canary: Callable[..., str]) -> Any:
    from decimal import Decimal

    from trading.orders.services import order_place
    from trading.tests.orders.conftest import make_market

    make_market(exchange_id="demo")
    account = _paper_account(owner, canary)
    return order_place(
        owner=owner,
        paper_account_id=account.pk,
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        amount=Decimal("0.1"),
        price=Decimal("100"),
        enqueue=False,
    ).order


def _fill(owner: Any, canary: Callable[..., str]) -> Any:
    from django.utils import timezone

    from trading.models import Fill

    order = _order(owner, canary)
    return Fill.objects.create(
        order=order,
        exchange="demo",
        venue=f"paper_account:{order.paper_account_id}",
        symbol="BTC/USDT",
        trade_id=f"t-{order.pk}",
        amount=order.amount,
        price=order.price,
        executed_at=timezone.now(),
    )


def _sign_in(owner: Any, canary: Callable[..., str]) -> Any:
    from accounts.services.sessions import token_lookup

    return token_lookup(token_issue(user=owner))


def _audit_event(owner: Any, canary: Callable[..., str]) -> Any:
    from accounts.models import AuditEvent
    from accounts.services import audit_record

    return audit_record(action=AuditEvent.Action.LOGIN_FAILED, target=owner, ip_address="::1")


def _bot(owner: Any, canary: Callable[..., str]) -> Any:
    from trading.bots.services import bot_create
    from trading.tests.bots.conftest import make_market as make_bot_market

    market = make_bot_market()
    return bot_create(
        owner=owner,
        name=f"bot-{uuid.uuid4().hex[:8]}",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 5, "slow": 20},
    )


def _position(owner: Any, canary: Callable[..., str]) -> Any:
    return _bot(owner, canary).position


def _notification_channel(owner: Any, canary: Callable[..., str]) -> Any:
    from accounts.notifications.services import channel_create

    channel, _ = channel_create(
        owner=owner,
        kind="apprise",
        label=f"ntfy-{uuid.uuid4().hex[:8]}",
        events=["order.filled"],
        url=f"ntfys://ntfy.example.test/{canary('topic').replace('-', '')}",
    )
    return channel


def _notification(owner: Any, canary: Callable[..., str]) -> Any:
    from accounts.services import notify

    return notify(user_id=owner.pk, kind="order.filled", title="Order filled")


# Collection path -> factory making one object owned by the given user.
OWNER_FACTORIES: dict[str, Callable[[Any, Callable[..., str]], Any]] = {
    "/api/auth/sessions/": _sign_in,
    "/api/audit-events/": _audit_event,
    "/api/exchange-accounts/": _exchange_account,
    "/api/backtests/": _backtest_run,
    "/api/orders/": _order,
    "/api/fills/": _fill,
    "/api/paper-accounts/": _paper_account,
    "/api/bots/": _bot,
    "/api/positions/": _position,
    "/api/notification-channels/": _notification_channel,
    "/api/notifications/": _notification,
}

# Stream group makers (`<app>.events.<name>_group`) and who may join their groups.
GROUPS: dict[str, str] = {
    "accounts.events.user_group": OWN_USER,
    "accounts.events.sign_in_group": SERVER_ONLY,
    "markets.events.market_group": PUBLIC,
    "sentiment.events.asset_group": PUBLIC,
}
GROUP_EXAMPLES: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "accounts.events.user_group": lambda user: (user.pk,),
    # An id no sign-in of this test has (bob's own connection is in his sign-in's group).
    "accounts.events.sign_in_group": lambda user: (10**12 + user.pk,),
    "markets.events.market_group": lambda user: ("binance", "BTC/USDT", "1h"),
    "sentiment.events.asset_group": lambda user: ("BTC",),
}


def _normalize(path: str) -> str:
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "{}", path)
    path = re.sub(r"\{[^}]*\}", "{}", path)
    return "/" + path.lstrip("/")


def resolver_routes() -> set[str]:
    """Every URL pattern under /api/, as a path with `{}` for each parameter."""

    def walk(patterns: list[Any], prefix: str) -> Any:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = {_normalize(p) for p in walk(get_resolver().url_patterns, "")}
    return {r for r in routes if r.startswith("/api/")}


def schema_operations() -> set[tuple[str, str]]:
    """Every (path, METHOD) of the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (_normalize(path), method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def group_makers() -> set[str]:
    """Every group-naming function (`<x>_group`) in the apps' `events` modules.

    Predicates (`is_<x>_group`) and parsers (`<x>_of_group`) are not makers.
    """
    found = set()
    for app in APPS:
        try:
            module = import_module(f"{app}.events")
        except ModuleNotFoundError:
            continue
        for name, func in inspect.getmembers(module, inspect.isfunction):
            is_maker = name.endswith("_group") and not name.startswith("is_") and "_of_" not in name
            if is_maker and func.__module__ == module.__name__:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_api_route_is_classified():
    routes = resolver_routes() | {path for path, _ in schema_operations()}

    unclassified = sorted(routes - set(ROUTES))
    stale = sorted(set(ROUTES) - routes)

    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    assert not stale, f"these ROUTES entries match no route any more: {stale}"


def test_every_owner_scoped_route_has_a_factory():
    scoped = [path for path, kind in ROUTES.items() if kind == OWNER_SCOPED]

    orphans = [p for p in scoped if not any(p.startswith(c) for c in OWNER_FACTORIES)]

    assert not orphans, f"register an OWNER_FACTORIES entry covering: {orphans}"


def test_every_stream_group_is_classified():
    makers = group_makers()

    assert makers == set(GROUPS), f"classify stream groups: {sorted(makers ^ set(GROUPS))}"
    assert set(GROUP_EXAMPLES) == set(GROUPS)


@pytest.fixture
def fake_exchange(monkeypatch):
    fake = FakeExchange()
    monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
    return fake


def _call(client: Any, method: str, path: str) -> Any:
    body = {"label": "taken-over", "secret": "x" * 20} if method in ("PUT", "PATCH") else {}
    return client.generic(
        method, path, data=json.dumps(body) if body else "", content_type="application/json"
    )


def _listed_ids(response: Any) -> set[int]:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}


def test_user_b_never_reaches_user_a_objects(
    alice, bob, alice_client, bob_client, api_client, fake_exchange, canary
):
    operations = schema_operations()
    checked = 0
    for collection, factory in OWNER_FACTORIES.items():
        theirs = factory(alice, canary)
        mine = factory(bob, canary)
        model = type(theirs)
        before = model.objects.filter(pk=theirs.pk).values().get()
        for path, method in sorted(operations):
            if not path.startswith(collection) or ROUTES.get(path) != OWNER_SCOPED:
                continue
            if path in QUERY_SCOPED:
                param = QUERY_SCOPED[path]
                assert _call(bob_client, method, f"{path}?{param}={theirs.pk}").status_code == 404
                both = f"{path}?{param}={mine.pk},{theirs.pk}"
                assert _call(bob_client, method, both).status_code == 404, path
                assert _call(alice_client, method, f"{path}?{param}={theirs.pk}").status_code == 200
                checked += 1
                continue
            if "{}" in path:
                target = path.replace("{}", str(theirs.pk), 1)
                response = _call(bob_client, method, target)
                assert response.status_code == 404, (method, target, response.status_code)
                anonymous = _call(api_client, method, target)
                assert anonymous.status_code in (401, 403), (method, target)
                own = _call(alice_client, "GET", path.replace("{}", str(theirs.pk), 1))
                assert own.status_code in (200, 405), (path, own.status_code)
            elif method == "GET":
                listed = _listed_ids(bob_client.get(path))
                assert theirs.pk not in listed, path
                assert mine.pk in listed, path
                assert theirs.pk in _listed_ids(alice_client.get(path)), path
                assert api_client.get(path).status_code in (401, 403)
            checked += 1
        after = model.objects.filter(pk=theirs.pk).values().get()
        assert after == before, f"user B changed user A's {model.__name__}"
    owner_scoped_ops = {(p, m) for p, m in operations if ROUTES.get(p) == OWNER_SCOPED}
    assert checked >= len(owner_scoped_ops) - 1  # every operation but POST on the collection


def test_own_user_routes_answer_about_the_requester_only(alice, bob, bob_client, password):
    me = bob_client.get("/api/auth/me/").json()
    change = bob_client.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": "bobs-new-passphrase-1"},
        format="json",
    )

    assert me["id"] == bob.pk
    assert "alice" not in json.dumps(me)
    assert change.status_code == 204
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.check_password(password)
    assert bob.check_password("bobs-new-passphrase-1")


ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def _connect(user: Any) -> WebsocketCommunicator:
    from quantum_trader.asgi import application

    key = await database_sync_to_async(token_issue)(user=user)
    ws = WebsocketCommunicator(
        application, "/ws/stream/", headers=[ORIGIN, (b"authorization", f"Token {key}".encode())]
    )
    assert (await ws.connect())[0]
    await ws.receive_json_from()
    return ws


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("maker", sorted(GROUPS))
async def test_stream_group_access_follows_the_matrix(alice, bob, maker):
    module_name, _, name = maker.rpartition(".")
    make_group = getattr(import_module(module_name), name)
    alices_group = make_group(*GROUP_EXAMPLES[maker](alice))
    bob_ws = await _connect(bob)

    await bob_ws.send_json_to({"action": "subscribe", "topic": alices_group})
    reply = await bob_ws.receive_json_from()
    await get_channel_layer().group_send(
        alices_group,
        {"type": "stream.message", "message": {"type": "notification", "data": {"probe": 1}}},
    )

    if GROUPS[maker] == OWN_USER:
        assert reply["type"] == "error"
        assert await bob_ws.receive_nothing(timeout=0.2)
        own_group = make_group(*GROUP_EXAMPLES[maker](bob))
        await bob_ws.send_json_to({"action": "subscribe", "topic": own_group})
        assert (await bob_ws.receive_json_from())["type"] == "subscribed"
    elif GROUPS[maker] == SERVER_ONLY:
        assert reply["type"] == "error"
        assert await bob_ws.receive_nothing(timeout=0.2)
    else:
        assert reply["type"] == "subscribed"
        assert (await bob_ws.receive_json_from())["data"] == {"probe": 1}
    await bob_ws.disconnect()
