"""WSGI entry point, for HTTP-only hosting; the stream needs ASGI (daphne)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")
application = get_wsgi_application()
