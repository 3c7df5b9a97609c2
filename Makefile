# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run   - create .venv, install kg, build the graph from seeds/ into output/
#   make test  - the same set-up, then the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
WORKERS ?= 2

.PHONY: install run test lint bench wheel notebook model clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/kg build seeds --out output --workers $(WORKERS)

test: install
	$(BIN)/ruff check kg tests bench eval
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check kg tests bench eval
	$(BIN)/ruff format --check kg tests bench eval

# The wheel and the sdist, as users install them (pip install dist/kg-*.whl, pipx install ...).
wheel: install
	$(BIN)/python -m build --outdir dist .

# Re-run docs/from_python.ipynb top to bottom (it builds seeds/ into output/) and save it.
notebook: install
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace docs/from_python.ipynb

# Train the shipped learned extractor (kg/models/default) and write its card, the figures on
# papers it never saw (held-out, dev, 5-fold CV) and the learning curve (docs/learning_curve.*).
model: install
	$(BIN)/python -m pip install --quiet -e ".[train]"
	$(BIN)/kg train --config configs/train.toml --curve --curve-png docs/learning_curve.png

bench: install
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/html_bench.py
	$(BIN)/python bench/sparql_bench.py
	$(BIN)/python bench/build_bench.py

clean:
	rm -rf $(VENV) output build dist *.egg-info .pytest_cache .ruff_cache
