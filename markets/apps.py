from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "markets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from markets.budget import CacheRateBudget
        from markets.core.factory import set_budget_factory

        set_budget_factory(CacheRateBudget)
