"""API routes of the trading app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path

from trading.api.alerts import AlertHookView, AlertInboundView, AlertReceiptListView
from trading.api.backtests import BacktestCompareView, BacktestDetailView, BacktestListView
from trading.api.bots import (
    BotDetailView,
    BotFillListView,
    BotKillView,
    BotListView,
    BotLiveOptInView,
    BotPauseView,
    BotReplayView,
    BotStartView,
    BotStopView,
    BotTickListView,
    KillSwitchView,
    PositionListView,
)
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
    path("bots/", BotListView.as_view(), name="bot-list"),
    path("bots/<int:bot_id>/", BotDetailView.as_view(), name="bot-detail"),
    path("bots/<int:bot_id>/start/", BotStartView.as_view(), name="bot-start"),
    path("bots/<int:bot_id>/pause/", BotPauseView.as_view(), name="bot-pause"),
    path("bots/<int:bot_id>/stop/", BotStopView.as_view(), name="bot-stop"),
    path("bots/<int:bot_id>/kill/", BotKillView.as_view(), name="bot-kill"),
    path("bots/<int:bot_id>/live-opt-in/", BotLiveOptInView.as_view(), name="bot-live-opt-in"),
    path("bots/<int:bot_id>/replay/", BotReplayView.as_view(), name="bot-replay"),
    path("bots/<int:bot_id>/ticks/", BotTickListView.as_view(), name="bot-tick-list"),
    path("bots/<int:bot_id>/fills/", BotFillListView.as_view(), name="bot-fill-list"),
    path("positions/", PositionListView.as_view(), name="position-list"),
    path("kill-switches/", KillSwitchView.as_view(), name="kill-switch"),
    path("bots/<int:bot_id>/alert-hook/", AlertHookView.as_view(), name="bot-alert-hook"),
    path("bots/<int:bot_id>/alerts/", AlertReceiptListView.as_view(), name="bot-alert-list"),
    path("hooks/<int:bot_id>/", AlertInboundView.as_view(), name="alert-inbound"),
]
