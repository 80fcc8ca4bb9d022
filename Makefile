# Set-up and the two jobs README.md gives: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite:///talentboard-demo.db
TALENTBOARD_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TALENTBOARD_TEST_POSTGRES_URL

.PHONY: setup run lint test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed

run: setup
	rm -f talentboard-demo.db talentboard-demo.db-wal talentboard-demo.db-shm
	$(BIN)/talentboard init --db $(DEMO_DB)
	$(BIN)/talentboard demo --db $(DEMO_DB) --scale national --seed 1
	$(BIN)/talentboard stats --db $(DEMO_DB) --at demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) talentboard-demo.db* .pytest_cache .mypy_cache .ruff_cache
