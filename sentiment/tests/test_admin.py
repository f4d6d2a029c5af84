from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentiment import services
from sentiment.models import NewsItem, SentimentScore
from sentiment.tests.factories import SourceFactory, news_record

pytestmark = pytest.mark.django_db


def test_admin_rescore_action_updates_scores(admin_client):
    source = SourceFactory()
    services.news_ingest(
        source=source,
        records=[news_record("1", "Bitcoin mooning 🚀")],
        now=datetime(2024, 3, 1, 12, tzinfo=UTC),
    )
    item = NewsItem.objects.get()
    SentimentScore.objects.filter(news=item).update(compound=0.0, scorer_version="old-0")

    response = admin_client.post(
        "/admin/sentiment/newsitem/",
        {"action": "rescore_news", "_selected_action": [item.pk]},
        follow=True,
    )

    assert response.status_code == 200
    item.score.refresh_from_db()
    assert item.score.scorer_version == "vader-3.3.2+crypto-1"
    assert item.score.compound > 0.5


@pytest.mark.parametrize("page", ["source", "newsitem", "post", "sentimentaggregate"])
def test_admin_changelists_render(admin_client, page):
    services.sources_ensure()
    assert admin_client.get(f"/admin/sentiment/{page}/").status_code == 200
