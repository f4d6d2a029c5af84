"""The embedded default's two running paper bots."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from markets.models import Market
from markets.services import seed_demo_markets
from signals.models import ModelVersion
from trading.models import Bot


def _demo_model() -> ModelVersion:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    version = ModelVersion.objects.create(
        scope="demo:BTC/USDT",
        timeframe="5m",
        feature_set_version="1",
        feature_config={},
        label_params={},
        hyperparameters={},
        train_start=now,
        train_end=now,
        summary_score=0.0,
        artifact_path="x",
        artifact_sha256="0" * 64,
        status=ModelVersion.Status.CHAMPION,
        is_demo=True,
    )
    version.markets.add(Market.objects.get(exchange__ccxt_id="demo", symbol="BTC/USDT"))
    return version


def test_seed_embedded_bots_starts_a_rule_and_a_model_paper_bot_once(db):
    user = get_user_model().objects.create_user(username="demo", password="x" * 12)
    seed_demo_markets(symbols={"BTC/USDT": ["5m"]}, history={"5m": 50})
    version = _demo_model()
    call_command("seed_embedded_5_bots", stdout=StringIO())
    call_command("seed_embedded_5_bots", stdout=StringIO())
    bots = list(Bot.objects.filter(owner=user).order_by("id"))
    assert [(b.strategy, b.state, b.mode, b.timeframe) for b in bots] == [
        ("rule", "running", "paper", "5m"),
        ("model", "running", "paper", "5m"),
    ]
    assert bots[1].model_version_id == version.pk
    assert bots[0].paper_account is not None
    assert bots[0].paper_account.exchange.ccxt_id == "demo"


def test_seed_embedded_bots_without_demo_user_does_nothing(db):
    out = StringIO()
    call_command("seed_embedded_5_bots", stdout=out)
    assert "no demo user" in out.getvalue()
    assert not Bot.objects.exists()
