# Two entry points for a fresh machine: `make run` (the main job) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: run test install lint

$(BIN)/ontrack: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev,optimize]'
	touch $(BIN)/ontrack

install: $(BIN)/ontrack

# The examples' reports as files, then the web app on 127.0.0.1 with the examples loaded.
run: install
	$(BIN)/ontrack demo examples -o $(OUT)
	$(BIN)/ontrack serve --examples examples --db .ontrack/demo.db

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# scripts/test-services installs the Debian packages the tests use and runs them with a
# throwaway PostgreSQL (ONTRACK_TEST_POSTGRES_URL).
test: lint
	scripts/test-services $(BIN)/pytest
