# One image for every production process (web, worker, beat); the command picks the role.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 NUMBA_CACHE_DIR=/app/var/numba
WORKDIR /app
RUN useradd --create-home --uid 10001 trader
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt
COPY . .
COPY --from=frontend /src/frontend/dist frontend/dist
RUN DEBUG=true QT_ENV_FILE= python manage.py collectstatic --noinput \
    && mkdir -p /app/var /app/artifacts && chown -R trader /app/var /app/artifacts
USER trader
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "quantum_trader.asgi:application"]
