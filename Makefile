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

run: install
	$(BIN)/ontrack demo examples -o $(OUT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest
