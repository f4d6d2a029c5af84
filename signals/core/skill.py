"""Skill before trust: baselines, the Deflated Sharpe Ratio and the Probability of Overfitting.

A model may be promoted only when its walk-forward (out-of-sample) results beat every baseline:
- calibrated log loss below the class prior's, by a block t-statistic of at least 2 (rows that
  share a label horizon are not independent, so rows are averaged in blocks first);
- net-of-costs return above buy-and-hold over the same test candles;
- net-of-costs return above the 95th percentile of random strategies with the same number of
  entries (many draws; the percentile is reported);
- a Deflated Sharpe Ratio (Bailey and López de Prado, 2014) of at least 0.95, deflated for the
  number of configurations tried.
A search's Probability of Backtest Overfitting (CSCV) is reported beside these but does not
decide: it measures whether picking the best configuration generalises, and is high both when
nothing works and when every configuration works about equally well.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import kurtosis, norm, skew

EULER_GAMMA = 0.5772156649015329
RANDOM_DRAWS = 500
PERCENTILE_REQUIRED = 95.0
DSR_REQUIRED = 0.95
LOG_LOSS_T_REQUIRED = 2.0


# --- a vectorised long/flat simulator (same conventions as the platform backtester) ----------


def strategy_returns(
    opens: np.ndarray, closes: np.ndarray, target: np.ndarray, *, cost: float
) -> np.ndarray:
    """Return per-candle returns of a long/flat target decided at each close, traded next open.

    The gap from the previous close to this open is earned by the previous position; the
    candle body by the position taken at this open. `cost` is charged on each change of
    exposure (fee plus slippage, as fractions).
    """
    held = np.r_[0.0, target[:-1]]  # exposure during candle t
    before = np.r_[0.0, held[:-1]]
    prev_close = np.r_[opens[0], closes[:-1]]
    gap = opens / prev_close - 1.0
    body = closes / opens - 1.0
    returns: np.ndarray = before * gap + held * body - np.abs(held - before) * cost
    # A position still open at the end is sold at the last close.
    returns[-1] -= held[-1] * cost
    return returns


def total_return(returns: np.ndarray) -> float:
    return float(np.expm1(np.log1p(returns).sum()))


def random_entries_target(size: int, entries: int, rng: np.random.Generator) -> np.ndarray:
    """Return a long/flat target with exactly `entries` entries at random times."""
    target = np.zeros(size)
    entries = min(entries, (size - 1) // 2)
    if entries <= 0:
        return target
    switches = np.sort(rng.choice(np.arange(1, size), size=2 * entries, replace=False))
    for start, stop in zip(switches[0::2], switches[1::2], strict=True):
        target[start:stop] = 1.0
    return target


def count_entries(target: np.ndarray) -> int:
    previous = np.r_[0.0, target[:-1]]
    return int(((target > 0) & (previous <= 0)).sum())


def random_percentile(
    opens: np.ndarray,
    closes: np.ndarray,
    segments: Sequence[tuple[int, int, int]],
    model_total: float,
    *,
    cost: float,
    draws: int = RANDOM_DRAWS,
    seed: int = 0,
) -> dict[str, float]:
    """Rank the model's net return among random strategies with its entries per segment.

    `segments` are (start, stop, entries) slices of the test candles (one per fold). Returns the
    percentile (ties count half) and the random strategies' median and 95th percentile.
    """
    rng = np.random.default_rng(seed)
    totals = np.empty(draws)
    for d in range(draws):
        log_sum = 0.0
        for start, stop, entries in segments:
            target = random_entries_target(stop - start, entries, rng)
            r = strategy_returns(opens[start:stop], closes[start:stop], target, cost=cost)
            log_sum += float(np.log1p(r).sum())
        totals[d] = math.expm1(log_sum)
    below = float((totals < model_total - 1e-12).mean())
    ties = float((np.abs(totals - model_total) <= 1e-12).mean())
    return {
        "percentile": 100.0 * (below + 0.5 * ties),
        "random_median": float(np.median(totals)),
        "random_p95": float(np.percentile(totals, 95)),
        "draws": draws,
    }


# --- Sharpe ratios ------------------------------------------------------------------------------


def sharpe(returns: np.ndarray) -> float:
    """Per-period Sharpe ratio (mean over standard deviation); 0 for a flat series."""
    sd = float(np.std(returns, ddof=1)) if returns.size > 1 else 0.0
    return float(np.mean(returns) / sd) if sd > 1e-15 else 0.0


def expected_max_sharpe(trials: int, variance: float) -> float:
    """The Sharpe the best of `trials` skill-less configurations is expected to reach."""
    if trials <= 1 or variance <= 0:
        return 0.0
    return math.sqrt(variance) * float(
        (1.0 - EULER_GAMMA) * norm.ppf(1.0 - 1.0 / trials)
        + EULER_GAMMA * norm.ppf(1.0 - 1.0 / (trials * math.e))
    )


def deflated_sharpe(returns: np.ndarray, *, trials: int, trial_variance: float) -> dict[str, float]:
    """Deflated Sharpe Ratio: P(true Sharpe > the best-of-N noise Sharpe), per period.

    With one trial it is the Probabilistic Sharpe Ratio against 0. Skew and kurtosis of the
    returns widen the Sharpe's standard error as in Bailey and López de Prado (2014).
    """
    size = returns.size
    sr = sharpe(returns)
    benchmark = expected_max_sharpe(trials, trial_variance)
    if size < 3 or float(np.std(returns)) < 1e-15:
        return {"sharpe": sr, "benchmark": benchmark, "dsr": 0.0, "trials": trials}
    g3 = float(skew(returns))
    g4 = float(kurtosis(returns, fisher=False))
    denominator = 1.0 - g3 * sr + (g4 - 1.0) / 4.0 * sr * sr
    denominator = max(denominator, 1e-12)
    z = (sr - benchmark) * math.sqrt(size - 1) / math.sqrt(denominator)
    return {"sharpe": sr, "benchmark": benchmark, "dsr": float(norm.cdf(z)), "trials": trials}


# --- Probability of Backtest Overfitting (CSCV) -------------------------------------------------


def probability_of_overfitting(performance: np.ndarray, *, blocks: int = 12) -> dict[str, Any]:
    """Estimate PBO by combinatorially symmetric cross-validation (Bailey et al., 2017).

    `performance` is a (rows, trials) matrix of per-row results of each configuration (higher
    is better), cut into `blocks` contiguous blocks of rows; see `pbo_from_block_sums`.
    """
    rows, trials = performance.shape
    if trials < 2 or rows < blocks:
        return {"pbo": None, "splits": 0, "trials": trials}
    edges = np.linspace(0, rows, blocks + 1).astype(int)
    pairs = list(itertools.pairwise(edges))
    sums = np.stack([performance[a:b].sum(axis=0) for a, b in pairs])
    squares = np.stack([(performance[a:b] ** 2).sum(axis=0) for a, b in pairs])
    return pbo_from_block_sums(sums, np.diff(edges).astype(np.float64), squares)


def _split_sharpe(sums: np.ndarray, squares: np.ndarray, rows: float) -> np.ndarray:
    mean = sums / rows
    variance = np.maximum(squares / rows - mean**2, 0.0)
    sd = np.sqrt(variance)
    out: np.ndarray = np.where(sd > 1e-15, mean / np.where(sd > 1e-15, sd, 1.0), 0.0)
    return out


def pbo_from_block_sums(
    sums: np.ndarray, sizes: np.ndarray, squares: np.ndarray | None = None
) -> dict[str, Any]:
    """PBO from per-block sums (blocks, trials) of each configuration's per-row results.

    For every choice of half the blocks as in-sample, the configuration best in-sample is
    ranked among all on the other half (out-of-sample); PBO is the share of splits where
    that rank is at or below the median (relative rank logit <= 0). With `squares` (per-block
    sums of squares) configurations are compared by Sharpe ratio, otherwise by mean.
    """
    blocks, trials = sums.shape
    if trials < 2 or blocks < 2:
        return {"pbo": None, "splits": 0, "trials": trials}
    blocks -= blocks % 2
    sums, sizes = sums[:blocks], sizes[:blocks]
    logits: list[float] = []
    for chosen in itertools.combinations(range(blocks), blocks // 2):
        inside = np.zeros(blocks, dtype=bool)
        inside[list(chosen)] = True
        if squares is None:
            is_mean = sums[inside].sum(axis=0) / sizes[inside].sum()
            oos_mean = sums[~inside].sum(axis=0) / sizes[~inside].sum()
        else:
            is_mean = _split_sharpe(
                sums[inside].sum(axis=0), squares[inside].sum(axis=0), sizes[inside].sum()
            )
            oos_mean = _split_sharpe(
                sums[~inside].sum(axis=0), squares[~inside].sum(axis=0), sizes[~inside].sum()
            )
        best = int(np.argmax(is_mean))
        below = int((oos_mean < oos_mean[best]).sum())
        ties = int((oos_mean == oos_mean[best]).sum()) - 1
        omega = (1 + below + 0.5 * ties) / (trials + 1.0)
        logits.append(math.log(omega / (1.0 - omega)))
    values = np.asarray(logits)
    return {"pbo": float((values <= 0).mean()), "splits": int(values.size), "trials": trials}


# --- the verdict ----------------------------------------------------------------------------------


@dataclass
class Verdict:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)


def block_t_stat(values: np.ndarray, block: int) -> float:
    """t-statistic of the mean of `values` over non-overlapping blocks of `block` rows."""
    block = max(block, 1)
    count = values.size // block
    if count < 2:
        return 0.0
    means = values[: count * block].reshape(count, block).mean(axis=1)
    sd = float(np.std(means, ddof=1))
    if sd < 1e-15:
        return 0.0 if abs(float(means.mean())) < 1e-15 else math.copysign(1e9, means.mean())
    return float(means.mean() / (sd / math.sqrt(count)))


def judge(evaluation: dict[str, Any]) -> Verdict:
    """Decide whether walk-forward results earn the champion's seat; say why not."""
    reasons: list[str] = []
    loss, prior = evaluation["log_loss"], evaluation["prior_log_loss"]
    t_stat = evaluation.get("log_loss_t", 0.0)
    if not (loss < prior and t_stat >= LOG_LOSS_T_REQUIRED):
        reasons.append(
            f"log loss {loss:.4f} is not meaningfully below the class prior's {prior:.4f} "
            f"(block t-statistic {t_stat:.2f}, {LOG_LOSS_T_REQUIRED:.0f} needed)"
        )
    net, hold = evaluation["net_return"], evaluation["buy_hold_return"]
    if not net > hold:
        reasons.append(f"net return {net:+.2%} does not beat buy-and-hold {hold:+.2%}")
    percentile = evaluation["random_percentile"]
    if not percentile >= PERCENTILE_REQUIRED:
        reasons.append(
            f"net return ranks at the {percentile:.1f}th percentile of "
            f"{evaluation['random_draws']} random strategies with as many entries "
            f"({PERCENTILE_REQUIRED:.0f}th needed)"
        )
    dsr = evaluation["deflated_sharpe"]
    if not dsr >= DSR_REQUIRED:
        reasons.append(
            f"Deflated Sharpe {dsr:.3f} over {evaluation['trials']} configuration(s) is below "
            f"{DSR_REQUIRED}"
        )
    return Verdict(eligible=not reasons, reasons=reasons)
