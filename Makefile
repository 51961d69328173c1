# Two commands for a newcomer: `make run` (start the app) and `make test` (the whole suite).
# Both create .venv if it is missing and install the project into it; a stamp file keeps that quick.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: run test install browser system-deps lint data bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser test (a browser download from elsewhere fails here).
browser:
	bash scripts/install_browser.sh

# LibreOffice, poppler and CJK fonts: the printed workbook and the PDF brief, and the tests that look at them.
system-deps:
	bash scripts/install_system_deps.sh

run: install
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: install browser system-deps
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check planner tests scripts bench views app.py

# Regenerate the shipped workbook from its readable source.
data: install
	$(PY) scripts/build_nantong_workbook.py

bench: install
	$(PY) bench/bench_engine.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
