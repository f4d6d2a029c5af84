"""Sentiment scorer benchmark: VADER with and without the crypto lexicon.

Prints Pearson's r between compound and the human mean rating on VADER's 4,200 rated tweets
(../shared/data/tweets/), 3-class accuracy on the project's labelled crypto headlines
(sentiment/data/crypto_headlines_labelled.csv, plus a held-out set never used for tuning;
neutral when |compound| <= 0.05), and the scoring speed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sentiment.core.evaluation import (  # noqa: E402
    HOLDOUT_CSV,
    headline_accuracy,
    read_headlines,
    read_tweets,
    tweet_correlation,
)
from sentiment.core.scoring import NEUTRAL_BAND, VaderScorer  # noqa: E402

TWEETS = ROOT.parent / "shared" / "data" / "tweets" / "vader_tweets_GroundTruth.txt"


def main() -> None:
    plain = VaderScorer(crypto=False)
    crypto = VaderScorer(crypto=True)
    headlines = read_headlines()
    print(f"headlines: {len(headlines)} hand-labelled, neutral band |compound| <= {NEUTRAL_BAND}")
    print(
        f"  accuracy plain VADER      ({plain.version}): {headline_accuracy(plain, headlines):.3f}"
    )
    accuracy = headline_accuracy(crypto, headlines)
    print(f"  accuracy with crypto lex. ({crypto.version}): {accuracy:.3f}")
    holdout = read_headlines(HOLDOUT_CSV)
    print(f"held-out headlines: {len(holdout)} (never used to tune the lexicon)")
    print(f"  accuracy plain VADER:      {headline_accuracy(plain, holdout):.3f}")
    print(f"  accuracy with crypto lex.: {headline_accuracy(crypto, holdout):.3f}")
    if TWEETS.is_file():
        tweets = read_tweets(TWEETS)
        print(f"tweets: {len(tweets)} human-rated (VADER ground truth)")
        print(f"  pearson r plain VADER:      {tweet_correlation(plain, tweets):.4f}")
        print(f"  pearson r with crypto lex.: {tweet_correlation(crypto, tweets):.4f}")
        texts = [text for _, text in tweets]
        started = time.perf_counter()
        for text in texts:
            crypto.score(text)
        elapsed = time.perf_counter() - started
        print(f"  speed with crypto lex.: {len(texts) / elapsed:,.0f} texts/s")
    else:
        print(f"tweets: {TWEETS} not present, correlation skipped")


if __name__ == "__main__":
    main()
