# Waypoint: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed train serve lint format check browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

train: seed
	$(PY) manage.py train_recommender --workspace ledgerly

run: train
	$(PY) manage.py collectstatic --no-input -v0
	@$(PY) manage.py demo_urls --host $(HOST) --port $(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (no browser is downloaded).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/waypoint.sqlite3 var/models var/static
