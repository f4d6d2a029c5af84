"""URL routes: the API under /api/, the admin, metrics, and the dashboard for the rest."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from quantum_trader import health, metrics, views

admin.site.site_header = "Quantum Trader administration"
admin.site.site_title = "Quantum Trader"

# Swagger UI loads its start-up script from /api/docs/?script (no inline script); it needs
# inline styles and data: images, so its page alone gets them.
_docs_view = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

api_patterns: list[URLPattern | URLResolver] = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _docs_view, name="docs"),
    path("", include("accounts.api.urls")),
    path("", include("markets.api.urls")),
    path("", include("sentiment.api.urls")),
    path("", include("signals.api.urls")),
    path("", include("trading.api.urls")),
]

handler400 = "quantum_trader.exceptions.bad_request"
handler404 = "quantum_trader.exceptions.not_found"
handler500 = "quantum_trader.exceptions.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("metrics", metrics.metrics_view, name="prometheus-django-metrics"),
    re_path(r"^(?!api/|admin/|static/|ws/|metrics$).*$", views.spa, name="spa"),
]
