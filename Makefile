# storytrace: `make report` and `make test` set everything up on a fresh machine (Python 3.11 needed).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
EXTRAS ?= test
comma  := ,
STAMP  := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
SAMPLE_PARAMS := --params data/sample/params.yaml

.PHONY: help venv report test test-fast lint format lab lock bench bench-pipeline clean

help:
	@echo "make report   run the whole analysis on data/sample -> reports/sample/index.html"
	@echo "make test     run the test suite (unit tests, notebook runs, browser checks)"
	@echo "make lint     ruff: lint and format check (make format rewrites the files)"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make lock     regenerate requirements.lock from pyproject.toml"
	@echo "make bench    run the benchmarks (needs ../shared/benchmarks)"
	@echo "make bench-pipeline  the whole run at 1,000/3,000/10,000 real documents against the code before issue 13 (hours)"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[$(EXTRAS)]'
	@touch $@

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/python -m helpers run --corpus data/sample --out reports/sample $(SAMPLE_PARAMS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser and not dask and not embeddings" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --extra test --extra bench --extra embeddings --extra scale --no-emit-find-links --no-emit-index-url --output-file requirements.lock pyproject.toml
	$(BIN)/python scripts/sync_environment.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,bench]'
	for b in benchmarks/*.py; do case $$b in */synthetic.py|*/real_corpus.py|*/rewrite_sets.py|*/pipeline.py) ;; *) $(BIN)/python $$b || exit 1;; esac; done

bench-pipeline: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python benchmarks/pipeline.py

clean:
	rm -rf $(VENV) reports/sample
