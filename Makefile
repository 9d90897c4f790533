# otp-core — one Makefile for the whole project. `make help` lists the targets.
# `make test` is what CI runs (.ci/run): it installs what it needs on a fresh
# machine and reuses cargo's target dir and venvs when run again.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
VECTORS_VENV := .venv-vectors
FUZZ_SECONDS ?= 10
PY_VENV := .venv
PY := $(PY_VENV)/bin/python
# What the extension module is built from: a change here rebuilds it.
PY_NATIVE_SOURCES := $(shell find otp-core/src bindings-python/src -name '*.rs') Cargo.toml Cargo.lock \
	otp-core/Cargo.toml bindings-python/Cargo.toml bindings-python/pyproject.toml
PY_PACKAGE_SOURCES := $(shell find bindings-python/python/otp_core -type f -not -name '*.so' -not -path '*/__pycache__/*') \
	bindings-python/README.md

# What `make test` runs. Each binding's mk/<name>.mk appends its own targets
# (TEST_TARGETS += …), so the bindings' Makefiles stay apart.
TEST_TARGETS := lint rust-test nostd vectors-check fuzz-smoke python-test pyotp-suite
include $(sort $(wildcard mk/*.mk))

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

.PHONY: test
test: $(TEST_TARGETS) ## Everything CI checks: lint, tests, no_std build, vectors, fuzz smoke, each binding's tests
	@echo "make test: all checks passed"

.PHONY: lint
lint: lint-rust lint-generated lint-python lint-js lint-sh ## Every line linted: Rust, generated files, Python, JavaScript, shell

.PHONY: lint-rust
lint-rust: ## rustfmt --check and clippy (-D warnings) with all and with no default features, rustdoc -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -p otp-core --all-features --all-targets -- -D warnings
	$(CARGO) clippy -p otp-core --no-default-features --features alloc -- -D warnings
	$(CARGO) clippy -p otp-core-python --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -q -p otp-core --all-features --no-deps

.PHONY: lint-generated
lint-generated: ## The bindings' error declarations match the core's error table; every version written is Cargo.toml's
	python3 scripts/gen_errors.py --check
	python3 scripts/version.py --check

.PHONY: version
version: ## Set the one version everywhere: make version VERSION=X.Y.Z (Cargo.toml, npm packages, napi loader, README)
	@test -n "$(VERSION)" || { echo "usage: make version VERSION=X.Y.Z" >&2; exit 1; }
	python3 scripts/version.py --set $(VERSION)
	$(CARGO) update -w

.PHONY: errors
errors: ## Regenerate the bindings' error declarations from the core's error table
	python3 scripts/gen_errors.py

.PHONY: lint-python
lint-python: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built ## ruff check + ruff format --check (every Python file), mypy --strict with django-stubs (otp_core.django, the demo)
	$(PY_VENV)/bin/ruff check .
	$(PY_VENV)/bin/ruff format --check .
	cd bindings-python && $(abspath $(PY)) -m mypy --config-file mypy.ini -p otp_core.django -p demo

.PHONY: lint-js
lint-js: $(NODE_DIR)/node_modules/.installed ## biome (lint + format check) over the hand-written JavaScript (biome.json)
	$(NODE_DIR)/node_modules/.bin/biome check .

.PHONY: lint-sh
lint-sh: uniffi-tools ## shellcheck over every shell script
	shellcheck --shell=bash $$(git ls-files '*.sh') .ci/run

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

.PHONY: fuzz-long
fuzz-long: ## Every fuzz target to 10^7 executions or FUZZ_LONG_SECONDS (3600), corpora minimised (small ones to fuzz/corpora), results in fuzz/long-run.md
	scripts/fuzz-long.sh

.PHONY: fuzz-smoke
fuzz-smoke: ## Run every fuzz target briefly (FUZZ_SECONDS each; installs cargo-fuzz if missing)
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz-smoke.sh

.PHONY: python-test
python-test: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built target/python-wheel.ok python-tools ## Python package: build into .venv, then pytest (vectors, pyotp differential, Django, QR, bad input, threads, stubtest, mypy --strict)
	$(PY) -m pytest bindings-python/tests

# pyotp's own test.py (its sdist, fetched at run time; nothing of it is
# kept) against otp_core under pyotp's names. bindings-python/README.md
# states the figure and explains each test that fails.
PYOTP_SUITE_VERSION := 2.12.1
PYOTP_SUITE_PASSED := 35

.PHONY: pyotp-suite
pyotp-suite: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built ## pyotp 2.12.1's test suite against otp_core (at least PYOTP_SUITE_PASSED of its 64 tests pass)
	$(PY) bindings-python/compat/pyotp_suite.py --version $(PYOTP_SUITE_VERSION) --expect-passed $(PYOTP_SUITE_PASSED)

$(PY_VENV)/.deps-ok: bindings-python/requirements-dev.txt
	test -x $(PY) || python3 -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r $<
	touch $@

# `maturin develop` installs the package editable (python/otp_core) and puts
# the extension module next to it; Python-only changes need no rebuild.
$(PY_VENV)/.otp_core-built: $(PY_VENV)/.deps-ok $(PY_NATIVE_SOURCES)
	cd bindings-python && VIRTUAL_ENV=$(abspath $(PY_VENV)) $(abspath $(PY_VENV))/bin/maturin develop --release --quiet
	touch $@

# The x86_64 wheel in a fresh venv with no Rust on PATH: the Python and the
# Django suites against it (scripts/python-wheel-test.sh).
target/python-wheel.ok: $(PY_VENV)/.deps-ok $(PY_NATIVE_SOURCES) $(PY_PACKAGE_SOURCES) bindings-python/pyproject.toml \
		$(shell find bindings-python/tests bindings-python/tests_django -name '*.py') | python-tools browser-tools gettext-tools \
		$(DJANGO_BROWSER)/node_modules/.ok
	scripts/python-wheel-test.sh
	touch $@

.PHONY: python-wheel-test
python-wheel-test: target/python-wheel.ok ## The x86_64 wheel in a fresh venv, no Rust on PATH: the Python and Django suites against it

.PHONY: dist-python
dist-python: ## Python artefacts in target/dist/python: abi3 wheels (manylinux2014 x86_64 and aarch64, musllinux_1_2 x86_64; zig) checked by auditwheel, and the sdist
	scripts/dist-python.sh

.PHONY: dist
dist: dist-python dist-node dist-wasm dist-jvm ## Every artefact (target/dist): Python wheels and sdist, npm packages (native and WebAssembly), the JVM jar

.PHONY: python-tools
python-tools: ## Install what the Python tests call: zbarimg (Debian zbar-tools; as root)
	@command -v zbarimg >/dev/null || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "zbarimg is missing: apt-get install zbar-tools (as root)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zbar-tools >/dev/null; }

.PHONY: bench-python
bench-python: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built ## Python: ns per call for otp_core vs pyotp, django-otp and cryptography
	$(PY) benches/python/compare.py

.PHONY: bench
bench: ## Criterion benches: otp-core vs totp-rs vs a raw HMAC floor
	$(CARGO) bench -p otp-core-benches -- --warm-up-time 1 --measurement-time 3

.PHONY: doc
doc: ## API docs for otp-core with every feature
	$(CARGO) doc -p otp-core --all-features --no-deps

.PHONY: clean
clean: ## Remove build outputs and venvs
	$(CARGO) clean
	rm -rf $(VECTORS_VENV) $(PY_VENV) fuzz/target
	find bindings-python/python -name '_native*.so' -delete
	rm -rf bindings-node/node_modules bindings-node/*.node bindings-uniffi/node_modules bindings-uniffi/generated \
		bindings-python/tests_django/browser/node_modules bindings-python/tests_django/browser/screenshots \
		bindings-python/examples/django_demo/db.sqlite3 bindings-python/examples/django_demo/.otp_core_keys.json
