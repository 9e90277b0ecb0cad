# Every target bootstraps .venv from nothing; re-running is cheap when pyproject.toml is unchanged.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test bench eval-ner train-ner screenshots torture fuzz lint clean clean-bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py

# The shape is held by CI (.ci/run → make test): lint and types first, then every test.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

train-ner: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,ner-build]'
	nice -n 10 $(BIN)/python -m scripts.ner.train

eval-ner: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m bench.ner_eval

torture: $(STAMP)
	$(BIN)/python scripts/torture.py --kills 200

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability/test_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV)

clean-bench:
	rm -rf .bench-cache
