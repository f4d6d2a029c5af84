"""Leak-free features, one function for training, backtests and live prediction.

Every feature at row t (a candle keyed by its open time, closing at open + timeframe) uses only
candles up to and including t, higher-timeframe bars that have closed by t's close, and
sentiment buckets available by t's close. The truncation test in the suite checks this.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from signals.core import indicators as ind

CANDLE_COLUMNS = ("open", "high", "low", "close", "volume")
SENTIMENT_COLUMNS = ("sent_count", "sent_mean", "sent_weighted", "sent_pos_share", "sent_neg_share")


class CandleDataError(QuantumTraderError, ValueError):
    """Candles that cannot produce trustworthy features (NaN, non-positive, gaps, too short)."""

    code = "candle_data_unusable"
    status = 409


@dataclass(frozen=True)
class FeatureConfig:
    """Names and parameters of a feature set; hashed into its version."""

    timeframe: str = "1h"
    return_horizons: tuple[int, ...] = (1, 3, 6, 12, 24)
    volatility_windows: tuple[int, ...] = (12, 48)
    zscore_window: int = 48
    volume_window: int = 48
    slope_lag: int = 5
    higher_timeframe: str | None = "4h"
    use_sentiment: bool = False
    max_gap_candles: int = 72

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["return_horizons"] = list(self.return_horizons)
        data["volatility_windows"] = list(self.volatility_windows)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureConfig:
        values = dict(data)
        values["return_horizons"] = tuple(values["return_horizons"])  # type: ignore[arg-type]
        values["volatility_windows"] = tuple(values["volatility_windows"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


def feature_names(config: FeatureConfig) -> list[str]:
    """Return the ordered feature column names that `build_features` produces for `config`."""
    names = [f"ret_{h}" for h in config.return_horizons]
    names += [f"vol_{w}" for w in config.volatility_windows]
    names += [
        "close_sma20",
        "close_ema20",
        "ema20_slope",
        "rsi",
        "macd_norm",
        "macd_signal_norm",
        "macd_hist_norm",
        "bb_position",
        "bb_width",
        "atr_norm",
        "close_z",
        "range_norm",
        "body_norm",
        "volume_z",
        "hour_sin",
        "hour_cos",
        "dow_sin",
        "dow_cos",
    ]
    if config.higher_timeframe:
        names += ["htf_ret_1", "htf_close_ema", "htf_rsi"]
    if config.use_sentiment:
        names += list(SENTIMENT_COLUMNS)
    return names


def feature_set_version(config: FeatureConfig) -> str:
    """Return a short hash of the feature names and every parameter of `config`."""
    payload = json.dumps(
        {"names": feature_names(config), "config": config.to_dict(), "code": 1},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def warmup_rows(config: FeatureConfig) -> int:
    """Return how many leading rows of `build_features` output can hold warm-up NaN."""
    base = max(
        34,
        max(config.return_horizons),
        max(config.volatility_windows) + 1,
        config.zscore_window,
        config.volume_window,
        20 + config.slope_lag,
    )
    if config.higher_timeframe:
        ratio = timeframe_ms(config.higher_timeframe) // timeframe_ms(config.timeframe)
        base = max(base, (ind.RSI_PERIOD + 2) * ratio)
    return base


def validate_candles(candles: pd.DataFrame, config: FeatureConfig) -> None:
    """Raise CandleDataError unless candles are usable: sorted, finite, positive, few gaps."""
    missing = [c for c in CANDLE_COLUMNS if c not in candles.columns]
    if missing:
        raise CandleDataError(f"candles lack columns {missing}")
    if not isinstance(candles.index, pd.DatetimeIndex) or candles.index.tz is None:
        raise CandleDataError("candles need a timezone-aware UTC DatetimeIndex of open times")
    if len(candles) == 0:
        raise CandleDataError("no candles")
    values = candles[list(CANDLE_COLUMNS)].to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        bad = candles.index[~np.isfinite(values).all(axis=1)]
        raise CandleDataError(f"{len(bad)} candles hold NaN or infinite values, first at {bad[0]}")
    if (values[:, :4] <= 0).any():
        raise CandleDataError("candles hold non-positive prices")
    if (values[:, 4] < 0).any():
        raise CandleDataError("candles hold negative volume")
    if len(values) > 1 and (values[:, :4] == values[0, 0]).all():
        raise CandleDataError("prices are constant: nothing to learn or predict from")
    if not candles.index.is_monotonic_increasing or candles.index.has_duplicates:
        raise CandleDataError("candle open times must strictly increase")
    step = timeframe_ms(config.timeframe) * 1_000_000
    stamps = candles.index.as_unit("ns").asi8
    if (stamps % step).any():
        raise CandleDataError(f"candle open times are not aligned to {config.timeframe}")
    if len(stamps) > 1:
        largest = int(np.max(np.diff(stamps)) // step) - 1
        if largest > config.max_gap_candles:
            raise CandleDataError(
                f"a gap of {largest} missing candles exceeds the limit of "
                f"{config.max_gap_candles}; refill the candles or shorten the window"
            )


def _higher_timeframe(candles: pd.DataFrame, config: FeatureConfig) -> pd.DataFrame:
    """Return higher-timeframe features joined to each candle from closed higher bars only."""
    step_ns = timeframe_ms(config.timeframe) * 1_000_000
    htf_ns = timeframe_ms(config.higher_timeframe or config.timeframe) * 1_000_000
    if htf_ns <= step_ns or htf_ns % step_ns:
        raise ValueError("higher_timeframe must be a multiple of timeframe")
    opens = candles.index.as_unit("ns").asi8
    bucket_end = (opens // htf_ns) * htf_ns + htf_ns
    close = candles["close"].to_numpy()
    # The last candle of each bucket carries the higher bar's close; the bar closes at the
    # bucket's end, so a candle may use it only when its own close time has reached that end.
    last_in_bucket = np.r_[bucket_end[1:] != bucket_end[:-1], True]
    bar_end = bucket_end[last_in_bucket]
    bar_close = close[last_in_bucket]
    bars = pd.DataFrame(
        {
            "htf_ret_1": np.log(bar_close / np.r_[np.nan, bar_close[:-1]]),
            "htf_close_ema": bar_close / ind.ema(bar_close, 12) - 1.0,
            "htf_rsi": ind.rsi(bar_close, ind.RSI_PERIOD) / 100.0 - 0.5,
            "available": pd.to_datetime(bar_end, utc=True),
        }
    )
    keys = pd.DataFrame({"close_time": pd.to_datetime(opens + step_ns, utc=True)})
    joined = pd.merge_asof(
        keys,
        bars,
        left_on="close_time",
        right_on="available",
        direction="backward",
        allow_exact_matches=True,
    )
    return joined[["htf_ret_1", "htf_close_ema", "htf_rsi"]].set_axis(candles.index)


def join_sentiment(
    candles: pd.DataFrame, sentiment: pd.DataFrame, config: FeatureConfig
) -> pd.DataFrame:
    """Return sentiment columns as of each candle's close (available time <= close time)."""
    step = pd.Timedelta(milliseconds=timeframe_ms(config.timeframe))
    keys = pd.DataFrame({"close_time": candles.index + step})
    right = sentiment.reindex(columns=list(SENTIMENT_COLUMNS)).astype("float64")
    right = right.sort_index()
    right.index = pd.DatetimeIndex(right.index).tz_convert("UTC").as_unit("ns").rename("available")
    right = right.reset_index()
    keys["close_time"] = keys["close_time"].dt.as_unit("ns")
    joined = pd.merge_asof(
        keys,
        right,
        left_on="close_time",
        right_on="available",
        direction="backward",
        allow_exact_matches=True,
    )
    return joined[list(SENTIMENT_COLUMNS)].set_axis(candles.index)


def build_features(
    candles: pd.DataFrame,
    *,
    sentiment: pd.DataFrame | None = None,
    config: FeatureConfig,
) -> pd.DataFrame:
    """Return the feature frame for `candles` (same index); warm-up rows hold NaN.

    `sentiment` is a frame indexed by availability time (bucket end) with the
    `SENTIMENT_COLUMNS`; it is required when `config.use_sentiment` is set (pass an empty
    frame when there is no sentiment data, which gives NaN sentiment features).
    """
    validate_candles(candles, config)
    close = candles["close"].to_numpy(dtype=np.float64)
    open_ = candles["open"].to_numpy(dtype=np.float64)
    high = candles["high"].to_numpy(dtype=np.float64)
    low = candles["low"].to_numpy(dtype=np.float64)
    volume = candles["volume"].to_numpy(dtype=np.float64)
    indicators = ind.compute_indicators(candles)
    log_close = np.log(close)
    one_step = np.r_[np.nan, np.diff(log_close)]
    out: dict[str, np.ndarray] = {}
    for horizon in config.return_horizons:
        out[f"ret_{horizon}"] = log_close - _shift(log_close, horizon)
    steps = np.nan_to_num(one_step, nan=0.0)
    for window in config.volatility_windows:
        volatility = ind.rolling_mean_std(steps, window)[1] * np.sqrt(window)
        volatility[:window] = np.nan  # the first window would include the made-up 0 return
        out[f"vol_{window}"] = volatility
    sma20 = indicators["sma_20"].to_numpy()
    ema20 = indicators["ema_20"].to_numpy()
    out["close_sma20"] = close / sma20 - 1.0
    out["close_ema20"] = close / ema20 - 1.0
    out["ema20_slope"] = ema20 / _shift(ema20, config.slope_lag) - 1.0
    out["rsi"] = indicators["rsi_14"].to_numpy() / 100.0 - 0.5
    out["macd_norm"] = indicators["macd"].to_numpy() / close
    out["macd_signal_norm"] = indicators["macd_signal"].to_numpy() / close
    out["macd_hist_norm"] = indicators["macd_hist"].to_numpy() / close
    upper = indicators["bb_upper"].to_numpy()
    lower = indicators["bb_lower"].to_numpy()
    band = upper - lower
    with np.errstate(invalid="ignore", divide="ignore"):
        out["bb_position"] = np.where(band > 0, (close - lower) / band - 0.5, 0.0)
    out["bb_position"][np.isnan(band)] = np.nan
    out["bb_width"] = band / sma20
    out["atr_norm"] = indicators["atr_14"].to_numpy() / close
    out["close_z"] = _zscore(log_close, config.zscore_window)
    out["range_norm"] = (high - low) / close
    out["body_norm"] = (close - open_) / close
    out["volume_z"] = _zscore(np.log1p(volume), config.volume_window)
    hours = candles.index.hour.to_numpy() + candles.index.minute.to_numpy() / 60.0
    days = candles.index.day_of_week.to_numpy() + hours / 24.0
    out["hour_sin"] = np.sin(2 * np.pi * hours / 24.0)
    out["hour_cos"] = np.cos(2 * np.pi * hours / 24.0)
    out["dow_sin"] = np.sin(2 * np.pi * days / 7.0)
    out["dow_cos"] = np.cos(2 * np.pi * days / 7.0)
    frame = pd.DataFrame(out, index=candles.index)
    if config.higher_timeframe:
        frame = pd.concat([frame, _higher_timeframe(candles, config)], axis=1)
    if config.use_sentiment:
        if sentiment is None:
            raise ValueError("this feature set uses sentiment: pass a (possibly empty) frame")
        frame = pd.concat([frame, join_sentiment(candles, sentiment, config)], axis=1)
    return frame[feature_names(config)]


def _shift(values: np.ndarray, lag: int) -> np.ndarray:
    out = np.full(values.size, np.nan)
    if lag < values.size:
        out[lag:] = values[: values.size - lag]
    return out


def _zscore(values: np.ndarray, window: int) -> np.ndarray:
    mean, std = ind.rolling_mean_std(values, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values - mean) / std
    z[std == 0] = 0.0
    return z
