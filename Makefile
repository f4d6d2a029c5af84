# Quantum Trader: the one entry point. `make run` (embedded default), `make test`, `make bench`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
NPM ?= npm

.PHONY: help run venv venv-dev frontend frontend-deps lint typecheck check-ops pytest test-frontend e2e test bench clean

help:
	@echo "make run      start Quantum Trader locally (SQLite, file broker; no services needed)"
	@echo "make test     everything CI runs: lint, types, import rules, pytest, frontend, browser"
	@echo "make lint     quick checks: ruff, formatting, import rules"
	@echo "make check-ops  Dockerfiles, workflows, compose, Kubernetes, shell scripts, alert rules"
	@echo "make bench    benchmarks under bench/, printing their figures"

$(VENV)/.base-installed: requirements/base.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@touch $@

$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.dev-installed
	$(PY) -m pip install --quiet -r requirements/bench.txt
	@touch $@

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

frontend-deps: frontend/node_modules/.installed

FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/public -type f 2>/dev/null)
frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && $(NPM) run build

frontend: frontend/dist/index.html

run: venv frontend
	bin/run-embedded

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: venv-dev
	DEBUG=true QT_ENV_FILE= $(VENV)/bin/mypy .

# Dockerfiles, workflows, compose, Kubernetes manifests, shell scripts, alert rules (offline).
check-ops: venv-dev
	bin/check-ops

pytest: venv-dev
	$(PY) -m pytest

test-frontend: frontend-deps venv-dev
	cd frontend && $(NPM) run check:api && $(NPM) run typecheck && $(NPM) run lint && $(NPM) test

e2e: venv frontend
	bin/e2e

test: lint typecheck check-ops pytest test-frontend e2e

bench: $(VENV)/.bench-installed
	@set -e; for script in bench/bench_*.py; do \
	  echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf frontend/dist frontend/e2e/screenshots .mypy_cache .ruff_cache .pytest_cache
