"""API routes of the trading app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path

from trading.api.backtests import BacktestCompareView, BacktestDetailView, BacktestListView
from trading.api.orders import (
    FillListView,
    OrderCancelView,
    OrderDetailView,
    OrderListView,
    PaperAccountListView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("backtests/", BacktestListView.as_view(), name="backtest-list"),
    path("backtests/compare/", BacktestCompareView.as_view(), name="backtest-compare"),
    path("backtests/<int:run_id>/", BacktestDetailView.as_view(), name="backtest-detail"),
    path("orders/", OrderListView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:order_id>/cancel/", OrderCancelView.as_view(), name="order-cancel"),
    path("fills/", FillListView.as_view(), name="fill-list"),
    path("paper-accounts/", PaperAccountListView.as_view(), name="paper-account-list"),
]
