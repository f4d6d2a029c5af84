from django.contrib import admin

from signals.models import ModelVersion, Signal


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin[ModelVersion]):
    list_display = (
        "id",
        "scope",
        "timeframe",
        "status",
        "summary_score",
        "feature_set_version",
        "train_end",
        "is_demo",
        "created_at",
    )
    list_filter = ("status", "timeframe", "is_demo")
    search_fields = ("scope", "feature_set_version", "artifact_sha256")
    readonly_fields = ("artifact_sha256", "artifact_path", "created_at", "promoted_at")


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin[Signal]):
    list_display = ("open_time", "market", "timeframe", "action", "confidence", "model_version")
    list_filter = ("action", "timeframe", "market__exchange")
    date_hierarchy = "open_time"
    raw_id_fields = ("market", "model_version")
