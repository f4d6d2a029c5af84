"""A bot replayed over the shared BTC/USDT and ETH/USDT 1h candles trades as the backtester."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from markets.models import Candle
from trading.bots.replay import bot_replay
from trading.bots.services import bot_create
from trading.tests.bots.conftest import make_market
from trading.tests.core.candles import load_ohlcv

RELATIVE = 1e-9


def _stored(symbol: str, shared_data: Path) -> Any:
    frame = load_ohlcv(shared_data / "ohlcv" / f"binance_{symbol.replace('/', '')}_1h.csv")
    market = make_market(symbol=symbol)
    Candle.objects.bulk_create(
        Candle(
            market=market,
            timeframe="1h",
            open_time=at.to_pydatetime(),
            open=row.open,
            high=row.high,
            low=row.low,
            close=row.close,
            volume=row.volume,
        )
        for at, row in zip(frame.index, frame.itertuples(), strict=True)
    )
    return market, frame


@pytest.mark.shared_data
@pytest.mark.parametrize("symbol", ["BTC/USDT", "ETH/USDT"])
@pytest.mark.parametrize(
    "risk",
    [
        {},
        {"risk_per_trade": 0.01, "stop_loss": 0.03, "take_profit": 0.06, "trailing_stop": 0.04},
    ],
    ids=["signal_only", "atr_sizing_and_stops"],
)
def test_bot_replay_over_shared_candles_matches_the_backtest(alice, shared_data, symbol, risk):
    # given a paper bot (0.1 % fee, 5 bps slippage) on the stored shared 1h candles
    market, frame = _stored(symbol, shared_data)
    bot = bot_create(
        owner=alice,
        name="replayed",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 10, "slow": 30},
        capital=Decimal("10000"),
        fee_rate=0.001,
        slippage_bps=5.0,
        risk_profile=risk,
    )
    # when it is replayed through the engine's decisions over the whole history
    result = bot_replay(
        bot=bot,
        start=frame.index[0].to_pydatetime(),
        end=frame.index[-1].to_pydatetime() + timedelta(hours=1),
    )
    # then it has the backtest's trades (times, sizes, prices) and final equity to 1e-9
    ours, theirs = result.replay.trades, result.backtest.trades
    assert len(result.replay.equity) == len(frame)
    assert len(ours) > 50
    assert len(ours) == len(theirs)
    assert ours["entry_time"].tolist() == theirs["entry_time"].tolist()
    assert ours["exit_time"].tolist() == theirs["exit_time"].tolist()
    assert ours["exit_reason"].tolist() == theirs["exit_reason"].tolist()
    for column in ("size", "entry_price", "exit_price", "pnl"):
        np.testing.assert_allclose(
            ours[column].to_numpy(dtype=float),
            theirs[column].to_numpy(dtype=float),
            rtol=RELATIVE,
            err_msg=column,
        )
    assert result.final_equity_relative_difference <= RELATIVE
    if risk:
        assert set(theirs["exit_reason"]) >= {"stop_loss", "take_profit", "trailing_stop"}
        assert theirs["size"].nunique() > 20
