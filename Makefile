# Two commands on a fresh machine: `make run` (the app on the bundled data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench validate store clean

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

run: $(VENV)/.installed
	$(BIN)/atlas build-store --if-missing
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

bench: $(VENV)/.installed-test
	$(BIN)/python tools/bench.py

clean:
	rm -rf .atlas
