"""Give the embedded default's demo user two running paper bots on the demo market (idempotent).

One follows a fast SMA cross, one the demo market's model; both trade the demo user's paper
account on the demo exchange, on the shortest demo timeframe, so a newcomer sees their first
decisions, orders and positions within minutes of `make run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand

from markets.core.errors import QuantumTraderError
from markets.selectors import candles_exist, market_get
from signals.selectors import champion_get, model_version_latest
from trading.bots.services import bot_create, bot_start
from trading.models import Bot
from trading.orders.paper_store import paper_accounts_ensure

if TYPE_CHECKING:
    from markets.models import Market

DEMO_USER = "demo"
DEMO_EXCHANGE = "demo"
DEMO_SYMBOL = "BTC/USDT"
TIMEFRAMES = ("5m", "15m", "1h")
RULE_BOT = "Demo SMA cross"
MODEL_BOT = "Demo model"
RISK = {"max_position": 0.5, "stop_loss": 0.03, "daily_loss_limit": 0.1, "max_drawdown": 0.25}


class Command(BaseCommand):
    help = "Create and start two paper bots (rule and model) for the demo user, once."

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=DEMO_USER).first()
        if user is None:
            self.stdout.write("bots seed: no demo user, nothing to do")
            return
        try:
            market = market_get(exchange=DEMO_EXCHANGE, symbol=DEMO_SYMBOL)
        except ObjectDoesNotExist:
            self.stdout.write("bots seed: no demo market, nothing to do")
            return
        timeframe = self._timeframe(market)
        if timeframe is None:
            self.stdout.write("bots seed: the demo market has no candles, nothing to do")
            return
        paper_accounts_ensure(owner=user)
        self._rule_bot(user, market, timeframe)
        self._model_bot(user, market, timeframe)

    def _timeframe(self, market: Market) -> str | None:
        for timeframe in TIMEFRAMES:
            if timeframe in (market.timeframes or []) and candles_exist(
                market_id=market.pk, timeframe=timeframe
            ):
                return timeframe
        return None

    def _start(self, user: Any, bot: Bot) -> None:
        try:
            bot_start(owner=user, bot_id=bot.pk)
        except QuantumTraderError as e:
            self.stdout.write(f"bots seed: {bot.name} not started: {e.message}")
            return
        self.stdout.write(f"bots seed: {bot.name} (#{bot.pk}) running on {bot.timeframe}")

    def _rule_bot(self, user: Any, market: Market, timeframe: str) -> None:
        if Bot.objects.filter(owner=user, name=RULE_BOT).exists():
            self.stdout.write(f"bots seed: {RULE_BOT} exists")
            return
        bot = bot_create(
            owner=user,
            name=RULE_BOT,
            market_id=market.pk,
            timeframe=timeframe,
            strategy=Bot.Strategy.RULE,
            rule_name="sma_cross",
            rule_params={"fast": 3, "slow": 8},
            risk_profile=RISK,
        )
        self._start(user, bot)

    def _model_bot(self, user: Any, market: Market, timeframe: str) -> None:
        if Bot.objects.filter(owner=user, name=MODEL_BOT).exists():
            self.stdout.write(f"bots seed: {MODEL_BOT} exists")
            return
        # The demo model rarely proves skill enough to be champion; the bot names its version
        # explicitly (a user's choice the model strategy allows), so a candidate serves too.
        version = champion_get(
            exchange=DEMO_EXCHANGE, symbol=DEMO_SYMBOL, timeframe=timeframe
        ) or model_version_latest(exchange=DEMO_EXCHANGE, symbol=DEMO_SYMBOL, timeframe=timeframe)
        if version is None:
            self.stdout.write(f"bots seed: no demo model for {DEMO_SYMBOL} {timeframe}; skipped")
            return
        bot = bot_create(
            owner=user,
            name=MODEL_BOT,
            market_id=market.pk,
            timeframe=timeframe,
            strategy=Bot.Strategy.MODEL,
            model_version_id=version.pk,
            # The demo model is small and rarely sure; lower thresholds let it act.
            buy_threshold=0.4,
            sell_threshold=0.4,
            risk_profile=RISK,
        )
        self._start(user, bot)
