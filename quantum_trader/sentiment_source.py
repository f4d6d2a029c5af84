"""The signals app's `SentimentSource` over the sentiment app's selectors (installed at startup)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from sentiment import selectors as sentiment_selectors
from signals.core.sentiment import Headline


class SentimentSelectorsSource:
    """Aggregates and headlines as the sentiment app stores them."""

    def supports(self, interval: str) -> bool:
        return interval in sentiment_selectors.sentiment_intervals()

    def frame(
        self, *, asset: str, interval: str, start: datetime | None, end: datetime | None
    ) -> pd.DataFrame:
        return sentiment_selectors.sentiment_frame(
            asset=asset, interval=interval, start=start, end=end
        )

    def headlines(
        self, *, asset: str, start: datetime, end: datetime, limit: int
    ) -> list[Headline]:
        return [
            Headline(
                title=row["title"],
                url=row["url"],
                compound=row["compound"],
                available_at=row["available_at"],
                is_demo=row["is_demo"],
            )
            for row in sentiment_selectors.headlines_for(
                asset=asset, start=start, end=end, limit=limit
            )
        ]
