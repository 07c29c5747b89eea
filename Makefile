# Pamong: `make demo` and `make test` work on a fresh clone (Python 3.11+, Node.js/npm, Debian).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_WORKERS ?= 2
export PAMONG_DATA_DIR ?= $(abspath ../shared/data/kupang)

.PHONY: setup demo serve test bench lint messages browser clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translations are build output; the .po files are the source.
messages: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v0

setup: $(VENV)/.installed node_modules/.installed messages
	mkdir -p var bench/results

demo: export PAMONG_ENV ?= demo
demo: export PAMONG_BUSINESS_DATE ?= 2024-10-17
demo: setup
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_kupang --if-empty
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Pamong berjalan di http://127.0.0.1:$(PORT)/  (Ctrl-C untuk berhenti)"
	$(BIN)/gunicorn pamong.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s' --logger-class pamong.gunicorn_logging.PamongLogger

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Memasang Chromium dari paket Debian untuk uji peramban..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: export PAMONG_ENV = test
test: setup browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --create-db -q

bench: export PAMONG_ENV = test
bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pamong

clean:
	rm -rf $(VENV) node_modules var
