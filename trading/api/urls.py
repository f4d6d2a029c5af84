"""API routes of the trading app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path

from trading.api.backtests import BacktestCompareView, BacktestDetailView, BacktestListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("backtests/", BacktestListView.as_view(), name="backtest-list"),
    path("backtests/compare/", BacktestCompareView.as_view(), name="backtest-compare"),
    path("backtests/<int:run_id>/", BacktestDetailView.as_view(), name="backtest-detail"),
]
