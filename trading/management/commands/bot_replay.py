"""Replay a bot over stored candles through the live engine, beside run_backtest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trading.bots.replay import ReplayError, bot_replay
from trading.core.profile import RiskProfileError
from trading.models import Bot


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not an ISO date: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Replay BOT_ID's strategy over stored candles in [--start, --end) through the live "
        "engine with the paper fill model; print its trades and equity beside run_backtest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bot_id", type=int)
        parser.add_argument("--start", required=True, help="ISO date, e.g. 2021-01-01")
        parser.add_argument("--end", required=True, help="ISO date, exclusive")

    def handle(self, *args: Any, **options: Any) -> None:
        bot = (
            Bot.objects.select_related("market__exchange", "risk_profile", "model_version")
            .filter(pk=options["bot_id"])
            .first()
        )
        if bot is None:
            raise CommandError(f"no bot #{options['bot_id']}")
        try:
            result = bot_replay(bot=bot, start=_date(options["start"]), end=_date(options["end"]))
        except (ReplayError, RiskProfileError, ValueError) as e:
            raise CommandError(str(e)) from None
        ours, theirs = result.replay.trades, result.backtest.trades
        self.stdout.write(
            f"bot #{bot.pk} {bot.name}: {bot.market.symbol} {bot.timeframe}, "
            f"{len(result.replay.equity)} candles"
        )
        self.stdout.write(
            f"{'entry (replay)':<26}{'exit':<26}{'size':>14}{'pnl':>14}   "
            f"{'entry (backtest)':<26}{'size':>14}{'pnl':>14}"
        )
        for i in range(max(len(ours), len(theirs))):
            left = right = ""
            if i < len(ours):
                row = ours.iloc[i]
                left = (
                    f"{row['entry_time']!s:<26}{row['exit_time']!s:<26}"
                    f"{row['size']:>14.8f}{row['pnl']:>14.4f}"
                )
            if i < len(theirs):
                row = theirs.iloc[i]
                right = f"{row['entry_time']!s:<26}{row['size']:>14.8f}{row['pnl']:>14.4f}"
            self.stdout.write(f"{left:<80}   {right}")
        summary = result.summary()
        self.stdout.write(
            f"final equity: replay {summary['replay_final_equity']:.6f}, backtest "
            f"{summary['backtest_final_equity']:.6f}, relative difference "
            f"{summary['final_equity_relative_difference']:.2e}; trades "
            f"{summary['replay_trades']} vs {summary['backtest_trades']}, same times: "
            f"{summary['same_trade_times']}"
        )
        if result.engine_only_rules:
            self.stdout.write(
                "note: the backtester has no counterpart for "
                + ", ".join(result.engine_only_rules)
                + "; the two may differ where they act."
            )
