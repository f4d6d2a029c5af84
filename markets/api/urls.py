"""API routes of the markets app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path

from markets.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("exchanges/", views.ExchangeListView.as_view(), name="exchange-list"),
    path("markets/", views.MarketListView.as_view(), name="market-list"),
    path("candles/", views.CandleListView.as_view(), name="candle-list"),
]
