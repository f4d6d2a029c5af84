"""Measure a scorer: correlation with human ratings and 3-class accuracy on labelled headlines."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

from sentiment.core.scoring import NEUTRAL_BAND, Scorer, label_for

DATA = Path(__file__).resolve().parent.parent / "data"
HEADLINES_CSV = DATA / "crypto_headlines_labelled.csv"
# Written after the lexicon was settled and never used to tune it.
HOLDOUT_CSV = DATA / "crypto_headlines_holdout.csv"
LABELS = ("positive", "negative", "neutral")


def read_tweets(path: Path) -> list[tuple[float, str]]:
    """Read VADER's tweet ground truth: tab-separated `id, mean rating, text`, no header."""
    rows: list[tuple[float, str]] = []
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for line in handle:
            parts = line.rstrip("\r\n").split("\t", 2)
            if len(parts) != 3:
                continue
            try:
                rating = float(parts[1])
            except ValueError:
                continue
            rows.append((rating, parts[2]))
    return rows


def read_headlines(path: Path = HEADLINES_CSV) -> list[tuple[str, str]]:
    """Read the labelled headline set: (headline, label) rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["headline"], row["label"]) for row in csv.DictReader(handle)]
    unknown = {label for _, label in rows} - set(LABELS)
    if unknown:
        raise ValueError(f"unknown labels in {path}: {sorted(unknown)}")
    return rows


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return Pearson's r of two equally long sequences."""
    n = len(xs)
    if n != len(ys) or n < 2:
        raise ValueError("need two sequences of the same length, at least 2")
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    return cov / math.sqrt(var_x * var_y)


def tweet_correlation(scorer: Scorer, rows: Sequence[tuple[float, str]]) -> float:
    """Return Pearson's r between the scorer's compound and the human mean rating."""
    return pearson([scorer.score(text).compound for _, text in rows], [r for r, _ in rows])


def headline_accuracy(
    scorer: Scorer, rows: Sequence[tuple[str, str]], band: float = NEUTRAL_BAND
) -> float:
    """Return the share of headlines whose 3-class label (neutral band +-band) matches."""
    hits = sum(1 for text, label in rows if label_for(scorer.score(text).compound, band) == label)
    return hits / len(rows)
