"""ASGI entry point: HTTP through Django, websockets through the stream consumer."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from quantum_trader.consumers import StreamConsumer  # noqa: E402
from quantum_trader.ws_auth import SameOriginValidator, WebsocketAuthMiddleware  # noqa: E402

websocket_urlpatterns = [path("ws/stream/", StreamConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            WebsocketAuthMiddleware(URLRouter(websocket_urlpatterns)),
            settings.WEBSOCKET_ALLOWED_ORIGINS,
        ),
    }
)
