"""Sentiment scoring: VADER with the crypto lexicon, behind a pluggable `Scorer` protocol.

`score_text` is what the app calls; a different scorer (a transformer, say) only needs a
`version` and a `score` method. Every stored score records the version that produced it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from sentiment.core import lexicon
from sentiment.core.text import strip_html

VADER_VERSION = "vader-3.3.2"
# VADER is roughly linear in length; headlines and posts are short, so longer texts (a
# pasted article) are cut at a word boundary rather than slowing a whole batch down.
MAX_SCORED_CHARS = 2_000
NEUTRAL_BAND = 0.05


@dataclass(frozen=True)
class Score:
    """Compound in [-1, 1]; pos, neg, neu are shares of the text in [0, 1]."""

    compound: float
    positive: float
    negative: float
    neutral: float

    @property
    def label(self) -> str:
        return label_for(self.compound)


def label_for(compound: float, band: float = NEUTRAL_BAND) -> str:
    """Return `positive`, `negative` or `neutral` for a compound score and a neutral band."""
    if compound > band:
        return "positive"
    if compound < -band:
        return "negative"
    return "neutral"


class Scorer(Protocol):
    version: str

    def score(self, text: str) -> Score: ...


def prepare(text: str, limit: int = MAX_SCORED_CHARS) -> str:
    """Strip HTML and cut very long texts at a word boundary."""
    clean = strip_html(text) if "<" in text or "&" in text else text.strip()
    if len(clean) <= limit:
        return clean
    cut = clean[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def _phrase_pattern(phrases: Mapping[str, tuple[str, float]]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b", re.IGNORECASE)


class VaderScorer:
    """VADER 3.3.2, optionally with the crypto lexicon, phrases and emojis."""

    def __init__(self, *, crypto: bool = True) -> None:
        self._analyzer = SentimentIntensityAnalyzer()
        self._crypto = crypto
        self.version = f"{VADER_VERSION}+{lexicon.VERSION}" if crypto else VADER_VERSION
        if crypto:
            self._analyzer.lexicon.update(lexicon.entries())
            self._phrases = _phrase_pattern(lexicon.PHRASES)
            self._phrase_tokens = {k.lower(): v[0] for k, v in lexicon.PHRASES.items()}
            self._emojis = sorted(lexicon.EMOJIS.items(), key=lambda kv: len(kv[0]), reverse=True)

    def _rewrite(self, text: str) -> str:
        for emoji, (token, _weight) in self._emojis:
            if emoji in text:
                text = text.replace(emoji, f" {token} ")
        return self._phrases.sub(lambda m: self._phrase_tokens[m.group(0).lower()], text)

    def score(self, text: str) -> Score:
        """Score one text; empty or non-text input scores neutral."""
        if not isinstance(text, str):
            return Score(0.0, 0.0, 0.0, 1.0)
        prepared = prepare(text)
        if not prepared:
            return Score(0.0, 0.0, 0.0, 1.0)
        if self._crypto:
            prepared = self._rewrite(prepared)
        result = self._analyzer.polarity_scores(prepared)
        return Score(
            compound=float(result["compound"]),
            positive=float(result["pos"]),
            negative=float(result["neg"]),
            neutral=float(result["neu"]),
        )


@lru_cache(maxsize=2)
def default_scorer(crypto: bool = True) -> VaderScorer:
    """Return the shared scorer (loading VADER's lexicon takes a moment, so do it once)."""
    return VaderScorer(crypto=crypto)


def score_text(text: str) -> Score:
    """Score a text with the default scorer (VADER + crypto lexicon)."""
    return default_scorer().score(text)


def votes_score(votes: Mapping[str, object] | None) -> float | None:
    """Return CryptoPanic readers' verdict in [-1, 1], or None without any vote.

    (positive - negative) / (positive + negative + 2): the +2 keeps a single vote from
    reading as a unanimous verdict. `important` votes carry no direction.
    """
    if not votes:
        return None
    positive = votes.get("positive", 0)
    negative = votes.get("negative", 0)
    pos = positive if isinstance(positive, int) and positive > 0 else 0
    neg = negative if isinstance(negative, int) and negative > 0 else 0
    if pos + neg == 0:
        return None
    return (pos - neg) / (pos + neg + 2)


def news_weight(votes: Mapping[str, object] | None) -> float:
    """Weight of a headline in the weighted mean: 1 + log1p(positive+negative+important)."""
    total = 0
    for key in ("positive", "negative", "important"):
        value = (votes or {}).get(key, 0)
        if isinstance(value, int) and value > 0:
            total += value
    return 1.0 + math.log1p(total)


def post_weight(metrics: Mapping[str, object] | None) -> float:
    """Weight of a post: 1 + log1p(likes + reposts + replies + quotes)."""

    total = 0
    for key in ("like_count", "retweet_count", "reply_count", "quote_count"):
        value = (metrics or {}).get(key, 0)
        if isinstance(value, int) and value > 0:
            total += value
    return 1.0 + math.log1p(total)
