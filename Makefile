# Two commands for a fresh machine: `make run` (the dashboard on the demo database) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.db
# axe-core, the accessibility engine the browser tests inject into each page (from npm, never a CDN).
AXE := var/axe/node_modules/axe-core/axe.min.js
AXE_VERSIONE := 4.14
PORT ?= 8501

.PHONY: run test system-deps demo lint format deck bench cluster cluster-stop load clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/activate

$(DEMO_DB): $(BIN)/activate
	$(BIN)/cruscotto-demo --out $(DEMO_DB)

run: $(BIN)/activate $(DEMO_DB)
	@echo "$(PORT)" | grep -Eq '^[0-9]{2,5}$$' || { echo "PORT=$(PORT) non valida: indicare un numero di porta (es. 8501)." >&2; exit 2; }
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT)

demo: $(BIN)/activate
	$(BIN)/cruscotto-demo --out $(DEMO_DB) --force

# The Debian packages the tests need (Chromium, PostgreSQL, fonts, venv), installed only when missing.
system-deps:
	bash .ci/install-system-deps

$(AXE):
	npm install --prefix var/axe --no-audit --no-fund --silent axe-core@$(AXE_VERSIONE)

test: system-deps $(BIN)/activate $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The tavolo deck as PowerPoint: make deck TAVOLO=LC OUT=dir (TAVOLO=regionale for the regional table).
TAVOLO ?= regionale
OUT ?= var/deck
deck: $(BIN)/activate
	$(BIN)/cruscotto-deck --tavolo $(TAVOLO) --out $(OUT)

format: $(BIN)/activate
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/activate
	$(BIN)/python bench/run.py

# The production topology on loopback (PostgreSQL, PgBouncer, two replicas, HAProxy) until Ctrl-C or cluster-stop.
cluster: $(BIN)/activate
	$(BIN)/python bench/cluster.py

cluster-stop: $(BIN)/activate
	$(BIN)/python bench/cluster.py --ferma

# Simulated browser tabs (Locust) against one replica and the balanced cluster: make load ARGS="--guasti".
load: $(BIN)/activate
	$(BIN)/python bench/carico.py $(ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache screenshots
