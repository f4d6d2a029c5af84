# One image for every production process (web, worker, beat); the command picks the role.
# Stages: the dashboard's build (Node), the Python environment (binary wheels only, so no
# compiler is needed anywhere; `ta` ships only a source archive of pure Python, which builds
# without one), and the final image with neither Node nor pip's caches, run as a user.

FROM node:20.20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements/ /tmp/requirements/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --only-binary=:all: --no-binary=ta \
       -r /tmp/requirements/base.txt

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    NUMBA_CACHE_DIR=/app/var/numba PROMETHEUS_MULTIPROC_DIR=/app/var/metrics
WORKDIR /app
RUN useradd --create-home --uid 10001 trader
COPY --from=python /opt/venv /opt/venv
COPY --chown=10001:10001 . .
COPY --from=frontend /src/frontend/dist frontend/dist
RUN DEBUG=true QT_ENV_FILE="" python manage.py collectstatic --noinput \
    && mkdir -p /app/var/metrics /app/artifacts \
    && chown -R 10001:10001 /app/var /app/artifacts
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "bin/healthcheck", "http", "http://127.0.0.1:8000/api/health/"]
ENTRYPOINT ["bin/docker-entrypoint"]
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "quantum_trader.asgi:application"]
