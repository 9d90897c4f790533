# otp-core — one Makefile for the whole project. `make help` lists the targets.
# `make test` is what CI runs (.ci/run): it installs what it needs on a fresh
# machine and reuses cargo's target dir and venvs when run again.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
VECTORS_VENV := .venv-vectors
FUZZ_SECONDS ?= 10

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

.PHONY: test
test: lint rust-test nostd vectors-check fuzz-smoke ## Everything CI checks: lint, tests, no_std build, vectors, fuzz smoke
	@echo "make test: all checks passed"

.PHONY: lint
lint: ## rustfmt --check and clippy (-D warnings) with all and with no default features
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -p otp-core --all-features --all-targets -- -D warnings
	$(CARGO) clippy -p otp-core --no-default-features --features alloc -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -q -p otp-core --all-features --no-deps

.PHONY: rust-test
rust-test: ## cargo test of otp-core (all features, then default features; doctests included)
	$(CARGO) test -p otp-core --no-default-features --features alloc --lib
	$(CARGO) test -p otp-core --all-features

.PHONY: nostd
nostd: ## Build otp-core without std on a bare-metal target (host-side fallback if the target cannot be installed)
	scripts/nostd-check.sh

.PHONY: vectors
vectors: $(VECTORS_VENV)/.ok ## Regenerate the generated vector files (pyotp, Django)
	$(VECTORS_VENV)/bin/python otp-core/tests/vectors/generate.py

.PHONY: vectors-check
vectors-check: $(VECTORS_VENV)/.ok ## Check the committed vectors against pyotp and Django
	$(VECTORS_VENV)/bin/python otp-core/tests/vectors/generate.py --check

$(VECTORS_VENV)/.ok: otp-core/tests/vectors/requirements.txt
	python3 -m venv $(VECTORS_VENV)
	$(VECTORS_VENV)/bin/pip install -q --disable-pip-version-check -r $<
	touch $@

.PHONY: fuzz-smoke
fuzz-smoke: ## Run every fuzz target briefly (FUZZ_SECONDS each; installs cargo-fuzz if missing)
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz-smoke.sh

.PHONY: bench
bench: ## Criterion benches: otp-core vs totp-rs vs a raw HMAC floor
	$(CARGO) bench -p otp-core-benches -- --warm-up-time 1 --measurement-time 3

.PHONY: doc
doc: ## API docs for otp-core with every feature
	$(CARGO) doc -p otp-core --all-features --no-deps

.PHONY: clean
clean: ## Remove build outputs and venvs
	$(CARGO) clean
	rm -rf $(VECTORS_VENV) fuzz/target
