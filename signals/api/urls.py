"""API routes of the signals app, mounted under /api/."""

from django.urls import URLPattern, URLResolver, path

from signals.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("models/", views.ModelVersionListView.as_view(), name="model-list"),
    path("models/tune/", views.ModelTuneView.as_view(), name="model-tune"),
    path("models/<int:pk>/", views.ModelVersionDetailView.as_view(), name="model-detail"),
    path("signals/", views.SignalListView.as_view(), name="signal-list"),
]
