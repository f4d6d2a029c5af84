"""An offline, seeded demo market for the embedded default (`demo` exchange, is_demo).

Each symbol and timeframe has its own path from `DEMO_EPOCH`: regimes switch between
trending up, trending down and ranging (a Markov chain), volatility clusters (GARCH(1,1)),
volume follows volatility, and intraday volatility has a daily rhythm. The path is made in
fixed chunks whose random draws depend only on (symbol, timeframe, chunk number), so the same
window always gives the same candles and new candles appear as wall-clock time passes.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from markets.core.adapter import OHLCV, KeyPermissions, MarketInfo, timeframe_ms
from markets.core.errors import BadRequestError, BadSymbolError

DEMO_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
CHUNK = 2048
_MAX_LIMIT = 1000


@dataclass(frozen=True)
class DemoSymbol:
    base: str
    quote: str
    start_price: float
    annual_vol: float
    base_volume: float
    price_precision: str
    amount_precision: str


DEMO_SYMBOLS: dict[str, DemoSymbol] = {
    "BTC/USDT": DemoSymbol("BTC", "USDT", 42_000.0, 0.55, 40.0, "0.01", "0.00001"),
    "ETH/USDT": DemoSymbol("ETH", "USDT", 2_300.0, 0.70, 600.0, "0.01", "0.0001"),
    "SOL/USDT": DemoSymbol("SOL", "USDT", 100.0, 0.95, 9_000.0, "0.001", "0.001"),
}

_YEAR_MS = 365 * 86_400_000
# Regimes: 0 ranging, 1 trending up, 2 trending down.
_REGIME_DRIFT = (0.0, 0.9, -0.9)  # annualised drift in units of annual volatility
_REGIME_MEAN_DAYS = (4.0, 3.0, 2.5)


def _seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class _State:
    log_price: float
    anchor: float
    sigma2: float
    regime: int


class _Path:
    """The generated path of one symbol and timeframe, extended chunk by chunk."""

    def __init__(self, symbol: str, timeframe: str) -> None:
        spec = DEMO_SYMBOLS[symbol]
        self.symbol = symbol
        self.spec = spec
        self.step_ms = timeframe_ms(timeframe)
        self.timeframe = timeframe
        years = self.step_ms / _YEAR_MS
        self.sigma_bar = spec.annual_vol * math.sqrt(years)  # per-step volatility, long run
        self.omega = self.sigma_bar**2 * 0.05
        self.alpha = 0.10
        self.beta = 0.85
        self.drift_unit = spec.annual_vol * years
        steps_per_day = 86_400_000 / self.step_ms
        self.switch = [1.0 / max(1.0, d * steps_per_day) for d in _REGIME_MEAN_DAYS]
        self.bars: list[np.ndarray] = []  # per chunk: (CHUNK, 5) float64 o,h,l,c,v
        start = math.log(spec.start_price)
        self.state = _State(start, start, self.sigma_bar**2, 0)

    def _make_chunk(self, k: int) -> np.ndarray:
        rng = np.random.default_rng(_seed("demo", self.symbol, self.timeframe, k))
        z = rng.standard_t(df=5, size=CHUNK) / math.sqrt(5 / 3)
        u_switch = rng.random(CHUNK)
        u_regime = rng.random(CHUNK)
        wick_hi = np.abs(rng.standard_normal(CHUNK))
        wick_lo = np.abs(rng.standard_normal(CHUNK))
        vol_noise = rng.lognormal(0.0, 0.35, CHUNK)
        st = self.state
        out = np.empty((CHUNK, 5))
        first_ms = DEMO_EPOCH_MS + k * CHUNK * self.step_ms
        hours = ((first_ms + np.arange(CHUNK) * self.step_ms) // 3_600_000) % 24
        intraday = self.step_ms < 86_400_000
        for i in range(CHUNK):
            if u_switch[i] < self.switch[st.regime]:
                st.regime = int(u_regime[i] * 3) % 3
                st.anchor = st.log_price
            season = 1.0 + 0.35 * math.cos(2 * math.pi * (hours[i] - 15) / 24) if intraday else 1.0
            sigma = math.sqrt(st.sigma2) * season
            drift = _REGIME_DRIFT[st.regime] * self.drift_unit
            if st.regime == 0:
                drift += 0.02 * (st.anchor - st.log_price)
            r = drift + sigma * z[i]
            o = math.exp(st.log_price)
            st.log_price += r
            c = math.exp(st.log_price)
            h = max(o, c) * math.exp(0.5 * sigma * wick_hi[i])
            lo = min(o, c) * math.exp(-0.5 * sigma * wick_lo[i])
            ratio = sigma / self.sigma_bar
            v = self.spec.base_volume * (self.step_ms / 3_600_000) * ratio**1.5 * vol_noise[i]
            out[i] = (o, h, lo, c, v)
            st.sigma2 = self.omega + self.alpha * r * r + self.beta * st.sigma2
            st.sigma2 = min(st.sigma2, 25 * self.sigma_bar**2)
        return out

    def bar(self, index: int) -> np.ndarray:
        k = index // CHUNK
        while len(self.bars) <= k:
            self.bars.append(self._make_chunk(len(self.bars)))
        row: np.ndarray = self.bars[k][index % CHUNK]
        return row


_paths: dict[tuple[str, str], _Path] = {}
_paths_lock = threading.Lock()


def _path(symbol: str, timeframe: str) -> _Path:
    with _paths_lock:
        path = _paths.get((symbol, timeframe))
        if path is None:
            path = _paths[(symbol, timeframe)] = _Path(symbol, timeframe)
        return path


class DemoAdapter:
    """The offline demo exchange. Candles up to the one open now; values never change."""

    exchange_id = "demo"
    is_demo = True

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def load_markets(self) -> list[MarketInfo]:
        return [
            MarketInfo(
                symbol=symbol,
                base=spec.base,
                quote=spec.quote,
                active=True,
                price_precision=Decimal(spec.price_precision),
                amount_precision=Decimal(spec.amount_precision),
                min_amount=Decimal(spec.amount_precision),
                min_notional=Decimal("5"),
            )
            for symbol, spec in DEMO_SYMBOLS.items()
        ]

    def fetch_ohlcv(
        self, symbol: str, timeframe: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[OHLCV]:
        if symbol not in DEMO_SYMBOLS:
            raise BadSymbolError(f"demo lists no market {symbol!r}", exchange="demo")
        try:
            step = timeframe_ms(timeframe)
        except ValueError as e:
            raise BadRequestError(str(e), exchange="demo") from None
        count = min(limit or _MAX_LIMIT, _MAX_LIMIT)
        now_ms = int(self._clock() * 1000)
        last_index = (now_ms - DEMO_EPOCH_MS) // step  # the candle open now
        if last_index < 0:
            return []
        if since_ms is None:
            first = max(0, last_index - count + 1)
        else:
            first = max(0, -(-(since_ms - DEMO_EPOCH_MS) // step))
        stop = min(last_index + 1, first + count)
        path = _path(symbol, timeframe)
        out = []
        for i in range(first, stop):
            o, h, lo, c, v = (float(x) for x in path.bar(i))
            out.append(OHLCV(DEMO_EPOCH_MS + i * step, o, h, lo, c, v))
        return out

    def fetch_key_permissions(self) -> KeyPermissions:
        return KeyPermissions(known=True, can_read=True, detail="demo exchange")

    def fetch_balance(self) -> dict[str, Decimal]:
        return {"USDT": Decimal("10000")}

    def close(self) -> None:
        return None
