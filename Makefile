# Two commands on a fresh machine: `make run` (the app on the bundled data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench bench-quick validate store clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,build-data]"
	touch $(VENV)/.installed $@

# A store made by an older atlas is brought to this code's schema (after a backup beside it);
# a current one is left alone. The app itself refuses an older store rather than upgrade it.
run: $(VENV)/.installed
	$(BIN)/atlas build-store --if-missing
	$(BIN)/atlas upgrade
	$(BIN)/python -m atlas.ui.serve --server.port $(PORT)

test: $(VENV)/.installed-test lint
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check atlas tests tools pages streamlit_app.py
	$(BIN)/mypy

validate: $(VENV)/.installed
	$(BIN)/atlas validate

store: $(VENV)/.installed
	$(BIN)/atlas build-store

# Speed and size at the bundled size and at 1,000, 10,000 and 100,000 generated sites, with the
# browser and the naive folium.Marker baseline, then the store's operations on SQLite and on
# PostgreSQL side by side (a throwaway server; skipped without one) (long: about half an hour).
bench: $(VENV)/.installed-test
	$(BIN)/python tools/bench.py

# The same at 10,000 sites, server side only (and the two engines): check every hot-path change
# against it.
bench-quick: $(VENV)/.installed-test
	$(BIN)/python tools/bench.py --quick

clean:
	rm -rf .atlas
