"""The bots API: create with validation, actions, ticks, positions, kill switches, live opt-in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import AuditEvent, ExchangeAccount
from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange as FakeKeyCheck
from accounts.tests.factories import exchange_account_make
from markets.models import Exchange
from signals.models import ModelVersion
from trading.bots.engine import bot_tick
from trading.models import Bot, KillSwitch
from trading.tests.bots.conftest import add_candles, make_market, newest_closed_open, rising


def _body(market: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "sma",
        "market": market.pk,
        "timeframe": "1h",
        "strategy": "rule",
        "rule_name": "sma_cross",
        "rule_params": {"fast": 2, "slow": 5},
    }
    body.update(overrides)
    return body


def _model(market: Any, timeframe: str = "1h") -> ModelVersion:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    version = ModelVersion.objects.create(
        scope=f"{market.exchange.ccxt_id}:{market.symbol}",
        timeframe=timeframe,
        feature_set_version="1",
        feature_config={},
        label_params={},
        hyperparameters={},
        train_start=now,
        train_end=now,
        summary_score=0.0,
        artifact_path="x",
        artifact_sha256="0" * 64,
    )
    version.markets.add(market)
    return version


def _account(monkeypatch: pytest.MonkeyPatch, owner: Any, canary: Any, **fields: Any) -> Any:
    monkeypatch.setattr(exchange_accounts, "adapter_create", FakeKeyCheck().create)
    return exchange_account_make(owner, canary, **fields)


def test_create_bot_is_stopped_paper_with_its_risk_profile(alice_client, market):
    response = alice_client.post(
        "/api/bots/",
        _body(market, risk_profile={"max_position": 0.5, "stop_loss": 0.02}),
        format="json",
    )
    assert response.status_code == 201, response.json()
    bot = response.json()
    assert (bot["state"], bot["mode"], bot["account"]["kind"]) == ("stopped", "paper", "paper")
    assert bot["risk_profile"]["max_position"] == 0.5
    assert bot["risk_profile"]["stop_loss"] == 0.02
    assert bot["position"]["amount"] == "0"
    assert alice_client.get(f"/api/bots/{bot['id']}/").json()["name"] == "sma"


@pytest.mark.parametrize(
    ("risk", "field"),
    [
        ({"max_position": 1.5}, "risk_profile.max_position"),
        ({"max_position": 0}, "risk_profile.max_position"),
        ({"max_position": "NaN"}, "risk_profile.max_position"),
        ({"stop_loss": 1.0}, "risk_profile.stop_loss"),
        ({"daily_loss_limit": -0.1}, "risk_profile.daily_loss_limit"),
        ({"max_drawdown": "Infinity"}, "risk_profile.max_drawdown"),
        ({"risk_per_trade": 2}, "risk_profile.risk_per_trade"),
        ({"max_orders_per_hour": -1}, "risk_profile.max_orders_per_hour"),
        ({"cooldown_seconds": -5}, "risk_profile.cooldown_seconds"),
        ({"atr_multiple": -2}, "risk_profile.atr_multiple"),
    ],
)
def test_create_bot_impossible_risk_profile_is_400_naming_the_field(
    alice_client, market, risk, field
):
    response = alice_client.post("/api/bots/", _body(market, risk_profile=risk), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Bot.objects.exists()


def test_create_bot_bad_inputs_are_400_naming_the_field(
    alice, bob, alice_client, market, monkeypatch, canary
):
    other_market = make_market(symbol="ETH/USDT")
    disabled = make_market(symbol="SOL/USDT")
    disabled.enabled = False
    disabled.save()
    cases = [
        (_body(market, strategy="model", model_version=_model(other_market).pk), "model_version"),
        (_body(market, strategy="model", model_version=_model(market, "4h").pk), "model_version"),
        (_body(market, exchange_account=_account(monkeypatch, bob, canary).pk), "exchange_account"),
        (_body(disabled), "market"),
        (_body(market, rule_name="nope"), "rule_name"),
        (_body(market, rule_params={"fast": 9, "slow": 5}), "rule_params.fast"),
        (_body(market, rule_params={"speed": 1}), "rule_params.speed"),
        (_body(market, capital="-5"), "capital"),
        (_body(market, timeframe="7m"), "timeframe"),
        (_body(market, fee_rate=1.5), "fee_rate"),
        (_body(market, buy_threshold="NaN"), "buy_threshold"),
    ]
    for body, field in cases:
        response = alice_client.post("/api/bots/", body, format="json")
        assert response.status_code == 400, (field, response.json())
        assert response.json()["field"] == field, response.json()
    assert not Bot.objects.exists()


def test_bot_actions_ticks_and_positions(alice, alice_client, market):
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot_id = alice_client.post("/api/bots/", _body(market), format="json").json()["id"]
    started = alice_client.post(f"/api/bots/{bot_id}/start/")
    assert started.json()["state"] == "running"
    assert bot_tick(bot_id=bot_id, candle_time=last) == "ordered"
    ticks = alice_client.get(f"/api/bots/{bot_id}/ticks/").json()
    assert ticks["count"] == 1
    assert ticks["results"][0]["outcome"] == "ordered"
    assert ticks["results"][0]["order"] is not None
    orders = alice_client.get(f"/api/orders/?bot={bot_id}").json()
    assert orders["count"] == 1
    assert alice_client.post(f"/api/bots/{bot_id}/pause/").json()["state"] == "paused"
    assert alice_client.post(f"/api/bots/{bot_id}/stop/").json()["state"] == "stopped"
    killed = alice_client.post(f"/api/bots/{bot_id}/kill/", {"reason": "enough"}, format="json")
    assert killed.json()["state"] == "halted"
    assert "enough" in killed.json()["state_reason"]
    positions = alice_client.get("/api/positions/").json()
    assert [p["bot"] for p in positions] == [bot_id]
    patched = alice_client.patch(
        f"/api/bots/{bot_id}/", {"risk_profile": {"max_position": 0.3}}, format="json"
    )
    assert patched.json()["risk_profile"]["max_position"] == 0.3
    bad = alice_client.patch(
        f"/api/bots/{bot_id}/", {"risk_profile": {"max_position": 3}}, format="json"
    )
    assert bad.json()["field"] == "risk_profile.max_position"


def test_another_users_bot_is_404(alice_client, bob_client, market):
    bot_id = alice_client.post("/api/bots/", _body(market), format="json").json()["id"]
    assert bob_client.get(f"/api/bots/{bot_id}/").status_code == 404
    assert bob_client.post(f"/api/bots/{bot_id}/start/").status_code == 404
    assert bob_client.post(f"/api/bots/{bot_id}/kill/").status_code == 404
    assert Bot.objects.get(pk=bot_id).state == "stopped"


def test_kill_switches_own_and_global_staff_only(alice, bob, alice_client, bob_client):
    own = alice_client.post("/api/kill-switches/", {"scope": "user", "active": True}, format="json")
    assert own.status_code == 200
    assert own.json()["user"] == alice.pk
    refused = alice_client.post(
        "/api/kill-switches/", {"scope": "global", "active": True}, format="json"
    )
    assert refused.status_code == 403
    assert not KillSwitch.objects.filter(scope="global").exists()
    # bob sees only his own (none) and no global one yet
    assert bob_client.get("/api/kill-switches/").json() == []
    bob.is_staff = True
    bob.save()
    on = bob_client.post("/api/kill-switches/", {"scope": "global", "active": True}, format="json")
    assert on.json()["scope"] == "global"
    scopes = sorted(s["scope"] for s in alice_client.get("/api/kill-switches/").json())
    assert scopes == ["global", "user"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.KILL_SWITCH).count() == 2


# --- live ---------------------------------------------------------------------------------


@pytest.fixture
def live_bot(alice, alice_client, market, monkeypatch, canary) -> dict[str, Any]:
    account = _account(monkeypatch, alice, canary, mode="live")
    response = alice_client.post(
        "/api/bots/", _body(market, exchange_account=account.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["mode"] == "live"
    return {"id": response.json()["id"], "account": account}


def test_live_bot_refused_while_live_trading_is_off(alice_client, live_bot):
    start = alice_client.post(f"/api/bots/{live_bot['id']}/start/")
    assert start.status_code == 403
    assert "LIVE_TRADING_ENABLED" in start.json()["message"]
    opt_in = alice_client.post(
        f"/api/bots/{live_bot['id']}/live-opt-in/", {"confirmation": "sma"}, format="json"
    )
    assert opt_in.status_code == 403
    assert opt_in.json()["code"] == "live_trading_disabled"


def test_live_bot_refused_without_opt_in(alice_client, live_bot, settings):
    settings.LIVE_TRADING_ENABLED = True
    start = alice_client.post(f"/api/bots/{live_bot['id']}/start/")
    assert start.status_code == 403
    assert "opt-in" in start.json()["message"]
    wrong = alice_client.post(
        f"/api/bots/{live_bot['id']}/live-opt-in/", {"confirmation": "yes"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "confirmation"


@pytest.mark.parametrize(
    "scope",
    [{"permissions_known": False}, {"can_withdraw": True}, {"can_transfer": True}],
)
def test_live_bot_refused_when_key_scope_unknown_or_allows_withdrawals(
    alice_client, live_bot, settings, scope
):
    settings.LIVE_TRADING_ENABLED = True
    ExchangeAccount.objects.filter(pk=live_bot["account"].pk).update(**scope)
    opt_in = alice_client.post(
        f"/api/bots/{live_bot['id']}/live-opt-in/", {"confirmation": "BTC/USDT"}, format="json"
    )
    assert opt_in.status_code == 403
    assert opt_in.json()["code"] == "key_scope"
    assert not Bot.objects.get(pk=live_bot["id"]).live_opt_in


def test_live_bot_with_opt_in_and_safe_key_starts_and_is_audited(alice_client, live_bot, settings):
    settings.LIVE_TRADING_ENABLED = True
    opt_in = alice_client.post(
        f"/api/bots/{live_bot['id']}/live-opt-in/", {"confirmation": "sma"}, format="json"
    )
    assert opt_in.status_code == 200, opt_in.json()
    assert opt_in.json()["live_opt_in"] is True
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BOT_MODE_CHANGED).exists()
    assert alice_client.post(f"/api/bots/{live_bot['id']}/start/").json()["state"] == "running"
    # and once the server switch goes off again, its ticks refuse to order
    settings.LIVE_TRADING_ENABLED = False
    last = newest_closed_open()
    bot = Bot.objects.get(pk=live_bot["id"])
    add_candles(bot.market, rising(), last_open=last)
    assert bot_tick(bot_id=bot.pk, candle_time=last) == "refused"


def test_paper_account_of_another_exchange_is_refused(alice, alice_client, market):
    from trading.orders.paper_store import paper_account_create

    Exchange.objects.get_or_create(ccxt_id="demo", defaults={"name": "Demo"})
    paper = paper_account_create(owner=alice, label="demo paper")
    response = alice_client.post(
        "/api/bots/",
        _body(market, paper_account=paper.pk, capital=str(Decimal(100))),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "paper_account"
