# jobmatch — the two commands: `make demo` and `make test` (each sets everything up first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test serve lint typecheck check bench clean install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/jobmatch demo

# The API and the staff pages on the demo data (made by `make demo` when missing), bound to
# 127.0.0.1:8000. The demo data follow the 2022 campaign calendar, so the server treats
# 2022-10-08 (金秋招聘月) as today. The first time, an admin account `demo-admin` is made for the
# desk (/desk/login) and its password printed once. For the JSON API create a key:
# .venv/bin/jobmatch --home var/demo apikey create --name me --scopes score,read
serve: $(STAMP)
	@test -f var/demo/models/ACTIVE || $(BIN)/jobmatch demo
	@$(BIN)/jobmatch --home var/demo staff list | grep -q '^no staff accounts' \
		&& $(BIN)/jobmatch --home var/demo staff add demo-admin --role admin || true
	@echo "staff pages: http://127.0.0.1:8000/desk/login   API docs: http://127.0.0.1:8000/docs"
	$(BIN)/jobmatch --home var/demo serve --today 2022-10-08

test: $(STAMP)
	$(BIN)/ruff check matcher features models api tests benchmarks
	$(BIN)/ruff format --check matcher features models api tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check matcher features models api tests benchmarks
	$(BIN)/ruff format --check matcher features models api tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
