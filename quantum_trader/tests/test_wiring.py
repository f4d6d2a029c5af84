"""The wiring connects the sentiment app to signals at startup, through a typed source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from markets.tests.factories import MarketFactory
from quantum_trader.sentiment_source import SentimentSelectorsSource
from sentiment import services as sentiment_services
from sentiment.tests.factories import SourceFactory, news_record
from signals import selectors as signal_selectors
from signals.core.features import SENTIMENT_COLUMNS, FeatureConfig
from signals.core.sentiment import SentimentSource, sentiment_source_installed

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_startup_installs_the_sentiment_apps_source_into_signals():
    installed = sentiment_source_installed()
    assert isinstance(installed, SentimentSelectorsSource)
    assert isinstance(installed, SentimentSource)
    assert installed.supports("1h")
    assert not installed.supports("1m")


@pytest.mark.django_db
def test_signals_read_stored_sentiment_through_the_installed_source(settings):
    # Given one stored headline about BTC, available at T0
    settings.SIGNALS_USE_SENTIMENT = True
    source = SourceFactory()
    sentiment_services.news_ingest(
        source=source, records=[news_record("w1", "Bitcoin soars")], now=T0, notify=False
    )

    market = MarketFactory.build()  # only read: no database row needed
    config = FeatureConfig(timeframe="1h", use_sentiment=True)
    # When signals ask for the frame and the headlines of the next hours
    frame = signal_selectors.sentiment_for(
        market,
        config,
        T0 - timedelta(hours=2),
        T0 + timedelta(hours=2),
    )
    headlines = signal_selectors.headlines_explained(
        market,
        config,
        T0 + timedelta(hours=1),
    )
    # Then both come from the sentiment app's tables, typed as signals expect them
    assert frame is not None
    assert list(frame.columns) == list(SENTIMENT_COLUMNS)
    assert frame["sent_count"].sum() == 1
    assert [h["title"] for h in headlines] == ["Bitcoin soars"]
    assert headlines[0]["available_at"] == "2024-03-01T12:00:00Z"
