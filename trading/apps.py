from django.apps import AppConfig


class TradingConfig(AppConfig):
    name = "trading"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from signals.events import champion_promoted
        from trading.bots.notices import champion_notice

        champion_promoted.connect(champion_notice, dispatch_uid="trading.champion_notice")
