"""No server error from any input: one regression test per hostile input found by probing.

Each answer is a 4xx naming the problem (or 404 for an id that cannot exist); never a 500.
"""

from __future__ import annotations

import json
import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from accounts.services import token_issue
from quantum_trader.tests.test_isolation_matrix import schema_operations

DEEP = "[" * 1000 + "]" * 1000
HUGE = "100000000000000000000"  # 10**20, beyond a 64-bit integer
ID21 = "1" * 21
BACKTEST = {"exchange": "demo", "symbol": "BTC/USDT", "timeframe": "1h", "strategy": "sma_cross"}


@pytest.fixture
def client(alice):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(alice)
    return c


@pytest.fixture
def anonymous():
    return APIClient(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "100000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    rates["login"] = rates["anon"] = "100000/min"


def _post_json(client, path, body: str):
    return client.generic("POST", path, body, content_type="application/json")


def _list_paths() -> list[str]:
    return sorted(p for p, m in schema_operations() if m == "GET" and "{}" not in p)


# 1. JSON nested 1,000 levels, anonymous, on the token endpoint (was RecursionError).
def test_deep_json_on_token_endpoint_is_a_400(anonymous, db):
    response = _post_json(anonymous, "/api/auth/token/", DEEP)

    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()


# 2. The same body on every JSON endpoint that takes one.
@pytest.mark.django_db
def test_deep_json_is_a_400_on_every_post(client):
    posts = sorted(p for p, m in schema_operations() if m == "POST" and "{}" not in p)
    answers = {path: _post_json(client, path, DEEP).status_code for path in posts}

    assert answers, "no POST operations found"
    assert all(status < 500 for status in answers.values()), answers
    assert answers["/api/backtests/"] == 400


# 3. ?limit=10**20 on every list endpoint (was IntegrityError/DataError).
@pytest.mark.django_db
def test_huge_limit_is_a_400_everywhere(client):
    answers = {path: client.get(f"{path}?limit={HUGE}") for path in _list_paths()}

    assert all(r.status_code < 500 for r in answers.values())
    for path in ("/api/exchange-accounts/", "/api/backtests/", "/api/news/", "/api/signals/"):
        assert answers[path].status_code == 400, path
        assert answers[path].json()["field"] == "limit"


# 4. ?offset=10**20 is a 400; negative or non-numeric paging falls back to the defaults.
@pytest.mark.django_db
def test_huge_offset_is_a_400(client):
    for path in ("/api/backtests/", "/api/audit-events/", "/api/auth/sessions/"):
        response = client.get(f"{path}?offset={HUGE}")
        assert response.status_code == 400, (path, response.status_code)
        assert response.json()["field"] == "offset"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["limit=-1", "offset=-5", "limit=²", "offset=1e3", "limit=0"])
def test_odd_paging_values_are_never_a_server_error(client, query):
    for path in _list_paths():
        if path in ("/api/health/", "/api/ready/"):
            continue  # 503 by design here: no worker or beat runs in the tests
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, (path, response.status_code)


# 5. 21-digit ids in URLs (was OverflowError): 404, as for any id that does not exist.
@pytest.mark.django_db
def test_21_digit_ids_in_urls_are_404(client):
    paths = sorted({p for p, _ in schema_operations() if "{}" in p})
    for path in paths:
        url = path.replace("{}", ID21, 1)
        for method in ("GET", "DELETE"):
            status = client.generic(method, url).status_code
            assert status in (404, 405), (method, url, status)


# 6. A 21-digit id in the query string of the comparison endpoint.
@pytest.mark.django_db
def test_21_digit_id_in_a_query_is_not_a_server_error(client):
    response = client.get(f"/api/backtests/compare/?ids={ID21}")

    assert response.status_code == 400
    assert response.json()["field"] == "ids"


# 7. "strategy": "model:²" (was ValueError from int("²") after str.isdigit()).
@pytest.mark.django_db
def test_superscript_model_id_is_a_400(client):
    response = _post_json(
        client, "/api/backtests/", json.dumps({**BACKTEST, "strategy": "model:²"})
    )

    assert response.status_code == 400
    assert response.json()["field"] == "strategy"


# 8-10. NaN, Infinity and 1e999 in strategy parameters (was a database CHECK failure).
@pytest.mark.django_db
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_strategy_parameter_is_a_400_naming_it(client, literal):
    body = json.dumps(BACKTEST)[:-1] + f', "params": {{"fast": {literal}}}}}'

    response = _post_json(client, "/api/backtests/", body)

    assert response.status_code == 400
    assert "params.fast" in response.content.decode()


# 11. NaN in a risk parameter (stop loss) and in the fee.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "fragment"),
    [("stops.stop_loss", '"stops": {"stop_loss": NaN}'), ("fee", '"fee": Infinity')],
)
def test_non_finite_risk_parameter_is_a_400_naming_it(client, field, fragment):
    body = json.dumps(BACKTEST)[:-1] + ", " + fragment + "}"

    response = _post_json(client, "/api/backtests/", body)

    assert response.status_code == 400
    assert field in response.content.decode()


# 12-13. Dates at year 1 and 9999 with offsets, in query strings (was OverflowError).
@pytest.mark.django_db
@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01", "9999-12-31"]
)
def test_extreme_dates_in_queries_are_a_400(client, when):
    for path, extra in (
        ("/api/sentiment/", "asset=BTC"),
        ("/api/news/", ""),
        ("/api/candles/", "symbol=BTC/USDT&timeframe=1h"),
        ("/api/signals/", ""),
    ):
        for name in ("start", "end"):
            response = client.get(
                path, {name: when, **dict(p.split("=") for p in extra.split("&") if p)}
            )
            assert response.status_code == 400, (path, name, response.status_code)


# 14. The same dates in a JSON body (a backtest's window).
@pytest.mark.django_db
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_extreme_dates_in_a_body_are_a_400_naming_the_field(client, when):
    response = _post_json(client, "/api/backtests/", json.dumps({**BACKTEST, "start": when}))

    assert response.status_code == 400
    assert "start" in response.content.decode()


# 15. An oversized JSON body.
@pytest.mark.django_db
def test_oversized_json_body_is_a_400(client, settings):
    settings.API_JSON_MAX_BYTES = 1000

    response = _post_json(client, "/api/backtests/", json.dumps({**BACKTEST, "pad": "x" * 2000}))

    assert response.status_code == 400
    assert "larger than 1000 bytes" in response.content.decode()


# 16-19. Websocket frames: non-JSON text, binary, deep JSON answer with an error and keep
# the connection; an oversized frame closes it with 1009. No traceback is logged.
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def _connect(user):
    from quantum_trader.asgi import application

    key = await database_sync_to_async(token_issue)(user=user)
    ws = WebsocketCommunicator(
        application, "/ws/stream/", headers=[ORIGIN, (b"authorization", f"Token {key}".encode())]
    )
    assert (await ws.connect())[0]
    assert (await ws.receive_json_from())["type"] == "hello"
    return ws


async def _still_alive(ws):
    await ws.send_json_to({"action": "subscribe", "topic": "nonsense"})
    assert (await ws.receive_json_from())["type"] == "error"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "frame",
    [{"text_data": "this is not json"}, {"bytes_data": b"\x00\x01binary"}, {"text_data": DEEP}],
    ids=["text", "binary", "deep"],
)
async def test_bad_websocket_frames_get_an_error_and_keep_the_connection(alice, frame, caplog):
    caplog.set_level(logging.DEBUG)
    ws = await _connect(alice)

    await ws.send_to(**frame)
    reply = await ws.receive_json_from()

    assert reply["type"] == "error"
    await _still_alive(ws)
    await ws.disconnect()
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.django_db(transaction=True)
async def test_oversized_websocket_frame_closes_with_1009(alice, settings):
    settings.WEBSOCKET_MAX_FRAME_BYTES = 1024
    ws = await _connect(alice)

    await ws.send_to(text_data=json.dumps({"action": "subscribe", "topic": "x" * 5000}))
    output = await ws.receive_output()

    assert output == {"type": "websocket.close", "code": 1009}
