# The WebAssembly package (bindings-wasm): otp-core for browsers, bundlers
# and edge runtimes, the npm package `otp-core-wasm`. Included by the root
# Makefile. `make wasm-test` sets everything up on a fresh clone (the rustup
# target, wasm-bindgen-cli, npm ci, Debian chromium) and is quick when run
# again: the package is rebuilt only when a source changed (stamp below).

WASM_DIR := bindings-wasm
WASM_STAMPS := target/wasm
WASM_SOURCES := $(shell find otp-core/src $(WASM_DIR)/src -name '*.rs') Cargo.toml Cargo.lock \
	otp-core/Cargo.toml $(WASM_DIR)/Cargo.toml $(WASM_DIR)/index.js scripts/wasm-build.sh

TEST_TARGETS += wasm-lint wasm-test

$(WASM_DIR)/node_modules/.installed: $(WASM_DIR)/package.json $(WASM_DIR)/package-lock.json
	cd $(WASM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WASM_STAMPS)/built: $(WASM_DIR)/node_modules/.installed $(WASM_SOURCES)
	scripts/wasm-build.sh
	mkdir -p $(WASM_STAMPS)
	touch $@

.PHONY: wasm-build
wasm-build: $(WASM_STAMPS)/built ## Build the WebAssembly package in bindings-wasm/ (size profile, wasm-bindgen, wasm-opt -Oz)

.PHONY: wasm-test
wasm-test: $(WASM_STAMPS)/built $(NODE_STAMPS)/built browser-tools ## WebAssembly package: the vectors in Node and in headless Chromium, the differential against the Node addon, bad input, the size budget, npm pack + fresh install + tsc --strict, the README's examples
	cd $(WASM_DIR) && node --test --test-reporter=spec test/*.test.mjs

.PHONY: wasm-lint
wasm-lint: $(WASM_STAMPS)/built ## WebAssembly crate: rustfmt --check and clippy (-D warnings) for wasm32-unknown-unknown
	$(CARGO) fmt -p otp-core-wasm -- --check
	$(CARGO) clippy -p otp-core-wasm --target wasm32-unknown-unknown -- -D warnings

.PHONY: dist-wasm
dist-wasm: $(WASM_STAMPS)/built ## The npm tarball of otp-core-wasm in target/dist/wasm
	mkdir -p target/dist/wasm
	cd $(WASM_DIR) && npm pack --pack-destination ../target/dist/wasm
