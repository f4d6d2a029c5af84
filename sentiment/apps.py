from django.apps import AppConfig


class SentimentConfig(AppConfig):
    name = "sentiment"
    default_auto_field = "django.db.models.BigAutoField"
