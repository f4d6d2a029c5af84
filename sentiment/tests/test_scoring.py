from __future__ import annotations

import pytest

from sentiment.core.evaluation import (
    HOLDOUT_CSV,
    headline_accuracy,
    read_headlines,
    read_tweets,
    tweet_correlation,
)
from sentiment.core.scoring import (
    MAX_SCORED_CHARS,
    VaderScorer,
    label_for,
    prepare,
    score_text,
    votes_score,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Bitcoin hits a new ATH, bulls in control 🚀", "positive"),
        ("HODL 💎🙌", "positive"),
        ("Got rekt by that rug pull, total scam", "negative"),
        ("Exchange delisting the token after the exploit 📉", "negative"),
        ("Bitcoin trades at $61K on Tuesday", "neutral"),
    ],
)
def test_score_text_crypto_jargon_gets_expected_label(text, label):
    assert score_text(text).label == label


def test_score_text_plain_vader_misses_jargon_the_lexicon_catches():
    plain = VaderScorer(crypto=False)
    assert plain.score("mooning 🚀🚀").compound == 0.0
    assert score_text("mooning 🚀🚀").compound > 0.5


def test_score_text_any_input_stays_in_range():
    for text in ["", "   ", "🚀" * 500, "<p>x</p>" * 1000, "比特币暴跌", "word " * 50_000]:
        score = score_text(text)
        assert -1.0 <= score.compound <= 1.0
        assert abs(score.positive + score.negative + score.neutral - 1.0) < 0.01


def test_prepare_long_text_cut_at_word_boundary():
    text = "good " * 2000
    prepared = prepare(text)
    assert len(prepared) <= MAX_SCORED_CHARS
    assert prepared.endswith("good")


def test_prepare_html_tags_and_entities_removed():
    assert prepare('NEO price is up <span class="x">20%</span> &amp; more') == (
        "NEO price is up 20% & more"
    )


def test_score_text_non_english_scores_neutral_without_error():
    assert score_text("Le marché est calme aujourd'hui").label == "neutral"


def test_scorer_version_names_lexicon():
    assert VaderScorer(crypto=True).version == "vader-3.3.2+crypto-1"
    assert VaderScorer(crypto=False).version == "vader-3.3.2"


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        (None, None),
        ({}, None),
        ({"important": 5}, None),
        ({"positive": 4, "negative": 0}, 4 / 6),
        ({"positive": 0, "negative": 2, "important": 1}, -2 / 4),
        ({"positive": "x", "negative": 1}, -1 / 3),
    ],
)
def test_votes_score_votes_give_bounded_verdict(votes, expected):
    assert votes_score(votes) == expected


def test_label_for_band_edges_are_neutral():
    assert label_for(0.05) == "neutral"
    assert label_for(-0.05) == "neutral"
    assert label_for(0.051) == "positive"


def test_headline_set_has_at_least_150_labelled_rows():
    rows = read_headlines()
    assert len(rows) >= 150
    assert {label for _, label in rows} == {"positive", "negative", "neutral"}


def test_crypto_lexicon_headline_accuracy_improves_over_plain_vader():
    rows = read_headlines()
    plain = headline_accuracy(VaderScorer(crypto=False), rows)
    crypto = headline_accuracy(VaderScorer(crypto=True), rows)
    assert crypto > plain + 0.1


def test_crypto_lexicon_holdout_accuracy_improves_over_plain_vader():
    rows = read_headlines(HOLDOUT_CSV)
    assert len(rows) >= 40
    assert headline_accuracy(VaderScorer(crypto=True), rows) > headline_accuracy(
        VaderScorer(crypto=False), rows
    )


@pytest.mark.shared_data
def test_crypto_lexicon_tweet_correlation_stays_at_least_085(shared_data):
    rows = read_tweets(shared_data / "tweets" / "vader_tweets_GroundTruth.txt")
    assert len(rows) >= 4000
    assert tweet_correlation(VaderScorer(crypto=True), rows) >= 0.85
