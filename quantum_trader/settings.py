"""Quantum Trader settings: one module, every value read from the environment.

Every variable is listed with a comment in `.env.example`. Two shapes come out of the
same code: the embedded default (no DATABASE_URL or REDIS_URL: SQLite, a file broker,
the in-memory channel layer) and production (PostgreSQL and Redis).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import django_stubs_ext
import environ
from csp.constants import NONE, SELF

# Generic Django classes (ModelAdmin[Model], ...) are subscriptable at run time as they are
# in the type stubs, so annotations and base classes name their model.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def _config_error(variable: str, problem: str) -> NoReturn:
    """Stop startup with one line naming the variable, instead of a traceback."""
    sys.stderr.write(f"configuration error: {variable}: {problem}\n")
    raise SystemExit(2)


env = environ.Env()


def _str(name: str, default: str) -> str:
    """Read a text variable; empty counts as unset (as copied from .env.example)."""
    return env.str(name, default="").strip() or default


def _list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default="").strip()
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


def _int(name: str, default: int) -> int:
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        _config_error(name, f"must be a whole number, not {raw!r}")


# `make run` writes .env on first start; QT_ENV_FILE="" (as the tests set) reads none.
_env_file = env.str("QT_ENV_FILE", default=str(BASE_DIR / ".env"))  # "" reads none
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file, overwrite=False)

# Local state of the embedded default (SQLite, cache, broker folders, collected static files).
VAR_DIR = Path(_str("QT_VAR_DIR", str(BASE_DIR / "var"))).resolve()
for _folder in ("cache", "broker/queue", "broker/processed", "broker/control", "staticfiles"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)


def _read_secret(name: str) -> str | None:
    """Return a secret from NAME or from the file named by NAME_FILE (Docker secrets)."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as e:
            _config_error(f"{name}_FILE", f"cannot read {file_name!r} ({e.strerror})")
    value = env.str(name, default="")
    return value or None


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


def _flag(name: str, default: bool) -> bool:
    """Read a boolean variable strictly: a typo stops startup instead of meaning False."""
    raw = env.str(name, default="true" if default else "false").strip().lower()
    if raw not in _TRUE + _FALSE:
        _config_error(name, f"must be true or false, not {raw!r}")
    return raw in _TRUE


DEBUG = _flag("DEBUG", False)

# --- secrets -------------------------------------------------------------------------------
SECRET_KEY = _read_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        _config_error("SECRET_KEY", "is required when DEBUG is off (see .env.example)")
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105 (DEBUG only)


def _parse_keyring(raw: str) -> list[tuple[str, bytes]]:
    """Parse `id:base64key,id:base64key` into (id, 32-byte key) pairs; the first one encrypts."""
    keyring: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id:
            _config_error("QT_ENCRYPTION_KEYS", "each entry must look like `id:base64key`")
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            _config_error("QT_ENCRYPTION_KEYS", f"key {key_id!r} is not valid base64")
        if len(key) != 32:
            _config_error("QT_ENCRYPTION_KEYS", f"key {key_id!r} must decode to 32 bytes")
        if key_id in (k for k, _ in keyring):
            _config_error("QT_ENCRYPTION_KEYS", f"key id {key_id!r} appears twice")
        keyring.append((key_id, key))
    return keyring


_raw_keys = _read_secret("QT_ENCRYPTION_KEYS")
if _raw_keys:
    QT_ENCRYPTION_KEYS = _parse_keyring(_raw_keys)
    if not QT_ENCRYPTION_KEYS:
        _config_error("QT_ENCRYPTION_KEYS", "holds no key")
elif DEBUG:
    # Development only: a key derived from SECRET_KEY, so local data survives restarts.
    QT_ENCRYPTION_KEYS = [
        ("dev", hashlib.sha256(b"qt-dev-keyring:" + SECRET_KEY.encode()).digest())
    ]
else:
    _config_error("QT_ENCRYPTION_KEYS", "is required when DEBUG is off (see .env.example)")

# --- hosts and security ---------------------------------------------------------------------
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = _list(
    "CSRF_TRUSTED_ORIGINS",
    [f"http://{h}:{p}" for h in ("127.0.0.1", "localhost") for p in (8000, 5173, 4173)],
)
# Browser origins allowed to open the websocket stream (scheme://host:port); defaults to the above.
WEBSOCKET_ALLOWED_ORIGINS = _list("WEBSOCKET_ALLOWED_ORIGINS", CSRF_TRUSTED_ORIGINS)

SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _flag("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_TLS_PROXY = _flag("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For is believed (CIDRs), used only behind a proxy.
# Empty: the peer that connects is the one proxy. See accounts/services/client_address.py.
TRUSTED_PROXIES = _list("TRUSTED_PROXIES", [])
for _cidr in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_cidr, strict=False)
    except ValueError:
        _config_error("TRUSTED_PROXIES", f"{_cidr!r} is not an address or CIDR network")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp). The dashboard is built without
# inline scripts or styles; the API docs page loosens style-src and img-src for itself only
# (quantum_trader/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Error pages and reports hide sensitive variables and settings even with DEBUG on.
DEFAULT_EXCEPTION_REPORTER_FILTER = "accounts.reporting.AlwaysSafeExceptionReporterFilter"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A refused CSRF check answers API requests in the error shape (403), pages with Django's page.
CSRF_FAILURE_VIEW = "quantum_trader.exceptions.csrf_failure"

# --- applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_celery_beat",
    "channels",
    "django_prometheus",
    "markets",
    "accounts",
    "sentiment",
    "signals",
    "trading",
    # The wiring: connects apps that share a floor (the sentiment source of signals).
    "quantum_trader.apps.WiringConfig",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.ClientAddressMiddleware",
    "quantum_trader.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "quantum_trader.middleware.ApiQueryBoundsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionSignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "quantum_trader.urls"
ASGI_APPLICATION = "quantum_trader.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
if not _database_url.startswith(("postgres://", "postgresql://", "pgsql://", "sqlite://")):
    _config_error("DATABASE_URL", "must start with postgres:// or sqlite://")
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except (environ.ImproperlyConfigured, ValueError, KeyError) as e:
    _config_error("DATABASE_URL", f"cannot be parsed ({type(e).__name__}: {e})")
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = _int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_IS_POSTGRES = "postgresql" in _engine
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis, cache, channels, celery ---------------------------------------------------------
# channels_redis waits for a consumer's messages with BZPOPMIN and a 5 s server-side timeout;
# redis-py (8.0+) gives every connection a 5 s socket read timeout by default, so an idle
# receive lost that race and raised TimeoutError (closing the websocket) every 5 s. The read
# timeout must stay finite (a half-open connection would block a receive forever) and longer
# than the server-side wait.
CHANNEL_LAYER_SOCKET_TIMEOUT = 15.0
# redis-py 8 also caps a pool at 100 connections and fails a command over the cap at once
# (MaxConnectionsError); a web process's channel layer runs one command per connection being
# opened or closed, and more than 100 websockets arrive together under load.
CHANNEL_LAYER_MAX_CONNECTIONS = 1000


def redis_channel_layer(url: str) -> dict[str, Any]:
    """The Redis channel layer's settings entry for `url` (also used by tests and benches)."""
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": url,
                    "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                    "socket_connect_timeout": 5.0,
                    "max_connections": CHANNEL_LAYER_MAX_CONNECTIONS,
                }
            ]
        },
    }


REDIS_URL = _str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    _config_error("REDIS_URL", "must start with redis://, rediss:// or unix://")

if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS: dict[str, dict[str, Any]] = {"default": redis_channel_layer(REDIS_URL)}
    # A separate broker is optional; by default Redis is the broker too.
    CELERY_BROKER_URL = _str("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": 3600}
else:
    # Embedded default: processes share state through files, with no server to run.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# True in the embedded default (the channel layer lives inside the web process). Events go
# through the stream outbox in both modes (see markets/stream.py and docs/realtime.md).
STREAM_VIA_OUTBOX = not REDIS_URL
# The web process runs an outbox dispatcher (the embedded default needs it there; in
# production `manage.py stream_dispatch` processes may run beside or instead of it).
STREAM_DISPATCHER_IN_WEB = _flag("STREAM_DISPATCHER_IN_WEB", True)
STREAM_DISPATCH_INTERVAL = _int("STREAM_DISPATCH_INTERVAL_MS", 50) / 1000
# Sent events are kept this long and at most this many rows, for clients that reconnect.
STREAM_RETENTION = timedelta(seconds=_int("STREAM_RETENTION_SECONDS", 24 * 3600))
STREAM_RETENTION_ROWS = _int("STREAM_RETENTION_ROWS", 200_000)
STREAM_PRUNE_EVERY_SECONDS = 60
# /api/health/ reports degraded when an undispatched event is older than this.
STREAM_BACKLOG_MAX_AGE_SECONDS = _int("STREAM_BACKLOG_MAX_AGE_SECONDS", 60)
# A client more than this many events behind on a topic is told to refetch instead.
STREAM_REPLAY_MAX = _int("STREAM_REPLAY_MAX", 1000)
# Messages a connection may have waiting to be written before it is told to resync and closed.
STREAM_SEND_QUEUE = _int("STREAM_SEND_QUEUE", 2000)
STREAM_HEARTBEAT_SECONDS = _int("STREAM_HEARTBEAT_SECONDS", 20)
STREAM_MAX_SUBSCRIPTIONS = _int("STREAM_MAX_SUBSCRIPTIONS", 50)
# An event whose JSON is larger is stored with `{"too_big": true}` as its data (refetch).
STREAM_MAX_EVENT_BYTES = _int("STREAM_MAX_EVENT_BYTES", 65_536)

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = _int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Task modules route to a queue by the kind of work they do; see quantum_trader/celery.py.
CELERY_TASK_QUEUES_BY_KIND = ("ingest", "ml", "trading", "notify", "default")
CELERY_TASK_ALWAYS_EAGER = _flag("CELERY_TASK_ALWAYS_EAGER", False)
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=_int("WORKER_HEARTBEAT_MAX_AGE", 120))
# Beat writes each periodic task's run time to the database as it sends it (instead of every
# 3 minutes), so /api/ready/ can tell a stopped beat: fresh while a periodic task ran within
# BEAT_MAX_AGE (the worker heartbeat runs every 15 s). The outbox must hold fewer events.
CELERY_BEAT_SYNC_EVERY = 1
BEAT_MAX_AGE = timedelta(seconds=_int("BEAT_MAX_AGE", 120))
OUTBOX_BACKLOG_LIMIT = _int("OUTBOX_BACKLOG_LIMIT", 100_000)

# --- metrics --------------------------------------------------------------------------------
# /metrics: with METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`; with
# METRICS_ALLOWED_NETWORKS (CIDRs) set, it must come from one of them; with neither, only
# from this machine (127.0.0.0/8, ::1). See docs/operations.md.
METRICS_TOKEN = _read_secret("METRICS_TOKEN")
METRICS_ALLOWED_NETWORKS = _list("METRICS_ALLOWED_NETWORKS", [])
for _cidr in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_cidr, strict=False)
    except ValueError:
        _config_error("METRICS_ALLOWED_NETWORKS", f"{_cidr!r} is not an address or CIDR network")
# State read from the database is kept this long between scrapes (several scrapers, one query).
METRICS_DB_CACHE_SECONDS = _int("METRICS_DB_CACHE_SECONDS", 10)

# --- auth and API ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes missing or revoked credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "quantum_trader.exceptions.api_exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "quantum_trader.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Atomic counters on the shared cache, keyed on the real client address (see
    # accounts/api/throttling.py); every 429 carries Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.throttling.AnonThrottle",
        "accounts.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _str("API_THROTTLE_ANON", "60/min"),
        "user": _str("API_THROTTLE_USER", "1200/min"),
        "login": _str("API_THROTTLE_LOGIN", "10/min"),
    },
}

# Bounds on every JSON body (API and websocket frames): a clear 400 instead of a crash.
API_JSON_MAX_BYTES = _int("API_JSON_MAX_BYTES", 1_000_000)
API_JSON_MAX_DEPTH = _int("API_JSON_MAX_DEPTH", 32)
# The largest ?limit= and ?offset= any API request may carry (larger ones get a 400); each
# list endpoint may cap its page size lower.
API_MAX_PAGE_SIZE = _int("API_MAX_PAGE_SIZE", 100_000)
API_MAX_OFFSET = _int("API_MAX_OFFSET", 10_000_000)
# Websocket frames larger than this many bytes close the connection (code 1009).
WEBSOCKET_MAX_FRAME_BYTES = _int("WEBSOCKET_MAX_FRAME_BYTES", 65_536)

SPECTACULAR_SETTINGS = {
    "TITLE": "Quantum Trader API",
    "DESCRIPTION": "Market data, sentiment, signals, backtests and trading for Quantum Trader.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Serve Swagger UI from the installed package, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its error responses with the one Error component.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "quantum_trader.exceptions.error_responses_hook",
    ],
}

# --- accounts -------------------------------------------------------------------------------
# CORS stays closed: no CORS middleware is installed, so browsers refuse cross-origin reads.
# Anyone may create an account at POST /api/auth/register/ only when this is on.
QT_ALLOW_SIGNUP = _flag("QT_ALLOW_SIGNUP", False)
# Failed logins per username and address within the window before that pair is locked.
QT_LOGIN_LOCKOUT_FAILURES = _int("QT_LOGIN_LOCKOUT_FAILURES", 5)
# Length of the counting window and of the lock, in seconds.
QT_LOGIN_LOCKOUT_SECONDS = _int("QT_LOGIN_LOCKOUT_SECONDS", 15 * 60)
PASSWORD_RESET_TIMEOUT = _int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "HealthStatusEnum": ["ok", "degraded"],
    "HealthModeEnum": ["embedded", "production"],
    "ReadyStatusEnum": ["ready", "not_ready"],
    "ExchangeAccountModeEnum": "accounts.models.ExchangeAccount.Mode",
    "ExchangeAccountStatusEnum": "accounts.models.ExchangeAccount.Status",
    "BacktestStatusEnum": "trading.models.BacktestRun.Status",
    "ModelVersionStatusEnum": "signals.models.ModelVersion.Status",
    "SizingMethodEnum": "trading.services.SIZING_METHODS",
    "LabelMethodEnum": "signals.api.payloads.LABEL_METHODS",
    "OrderStatusEnum": "trading.models.Order.Status",
    # Where an order or a bot trades: an order's account kind and a bot's mode.
    "TradingModeEnum": ["paper", "testnet", "live"],
    "NotificationChannelKindEnum": "accounts.models.NotificationChannel.Kind",
    "DeliveryStatusEnum": "accounts.models.Delivery.Status",
}

# --- external sources -----------------------------------------------------------------------
DEFAULT_EXCHANGE = _str("DEFAULT_EXCHANGE", "demo")
LIVE_TRADING_ENABLED = _flag("LIVE_TRADING_ENABLED", False)
# Orders: how long an exchange may report a just-sent order as missing before it is resent,
# how long a worker's claim on an order (SUBMITTING, or NEW not yet claimed) lasts before
# the reconciler takes it over, how often the reconciler runs, and how long an
# Idempotency-Key stands for its order.
ORDERS_NOT_FOUND_GRACE_SECONDS = _int("ORDERS_NOT_FOUND_GRACE_SECONDS", 10)
ORDERS_CLAIM_TIMEOUT_SECONDS = _int("ORDERS_CLAIM_TIMEOUT_SECONDS", 60)
ORDERS_RECONCILE_INTERVAL_SECONDS = _int("ORDERS_RECONCILE_INTERVAL_SECONDS", 30)
# Bots: how often beat looks for running bots with a closed candle not decided yet.
BOTS_TICK_INTERVAL_SECONDS = _int("BOTS_TICK_INTERVAL_SECONDS", 60)
IDEMPOTENCY_KEY_TTL_SECONDS = _int("IDEMPOTENCY_KEY_TTL_SECONDS", 24 * 3600)
# How long a worker reuses an exchange account's adapter (its key version is checked each time).
ORDERS_ADAPTER_CACHE_SECONDS = _int("ORDERS_ADAPTER_CACHE_SECONDS", 300)
# The paper account every user gets on the demo exchange, in its quote currency.
PAPER_ACCOUNT_START_BALANCE = _str("PAPER_ACCOUNT_START_BALANCE", "10000")
CRYPTOPANIC_TOKEN = _read_secret("CRYPTOPANIC_TOKEN")
CRYPTOPANIC_BASE_URL = _str("CRYPTOPANIC_BASE_URL", "https://cryptopanic.com/api/v1")
X_BEARER_TOKEN = _read_secret("X_BEARER_TOKEN")
X_API_BASE_URL = _str("X_API_BASE_URL", "https://api.twitter.com")
# Per-exchange REST base URL overrides (testnets, local fakes): EXCHANGE_BASE_URL_BINANCE=...
EXCHANGE_BASE_URLS = {
    exchange_id: env.str(f"EXCHANGE_BASE_URL_{exchange_id.upper()}", default="")
    for exchange_id in ("binance", "coinbase", "kucoin")
}

# --- signals ---------------------------------------------------------------------------------
# Whether signals use sentiment features. The two apps share a floor, so the wiring
# (quantum_trader.apps) installs the sentiment source into signals at startup; with this on and
# no source installed, training and prediction fail with an error naming this setting.
SIGNALS_USE_SENTIMENT = _flag("SIGNALS_USE_SENTIMENT", True)

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
# The built dashboard (frontend/dist, from `npm run build`) is served as static files.
STATICFILES_DIRS = [BASE_DIR / "static"] + ([FRONTEND_DIST] if FRONTEND_DIST.is_dir() else [])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
ARTIFACTS_DIR = Path(_str("ARTIFACTS_DIR", str(BASE_DIR / "artifacts")))

EMAIL_BACKEND = _str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = _str("DEFAULT_FROM_EMAIL", "quantum-trader@localhost")
EMAIL_HOST = _str("EMAIL_HOST", "localhost")
EMAIL_PORT = _int("EMAIL_PORT", 25)
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 10)

# --- notifications ----------------------------------------------------------------------------
# Webhooks may point at loopback and private addresses only when this is on (tests, a local
# receiver); otherwise a user's webhook could make the server call into its own network.
NOTIFY_ALLOW_PRIVATE_TARGETS = _flag("NOTIFY_ALLOW_PRIVATE_TARGETS", False)
NOTIFY_HTTP_TIMEOUT = float(_int("NOTIFY_HTTP_TIMEOUT", 10))
NOTIFY_RETRY_BASE_SECONDS = float(_int("NOTIFY_RETRY_BASE_SECONDS", 30))
# The daily P&L summary covers the previous UTC day and goes out from this UTC hour on.
NOTIFY_DAILY_SUMMARY_HOUR = _int("NOTIFY_DAILY_SUMMARY_HOUR", 0)
# A market's ingestion is stalled when no candle came for this many of its timeframe's periods.
INGESTION_STALL_PERIODS = _int("INGESTION_STALL_PERIODS", 3)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# --- logging --------------------------------------------------------------------------------
LOG_LEVEL = _str("LOG_LEVEL", "INFO").upper()
LOG_JSON = _flag("LOG_JSON", not DEBUG)
LOGGING_CONFIG = None  # configured by quantum_trader.logging below, once, for every process

from quantum_trader.logging import configure_logging  # noqa: E402

configure_logging(level=LOG_LEVEL, json=LOG_JSON)
