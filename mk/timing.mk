# Timing tests (timing/, the binary otp-timing): dudect-style Welch's
# t-tests between input classes that must take the same time. Included by
# the root Makefile. `make test` runs the quick version (20,000 samples per
# pair, |t| < 10, a finding confirmed by a second run, so that it cannot
# flap); `make timing` the long one (10^6 samples per pair, |t| < 4.5), whose
# table otp-core/README.md ("Timing") reports.

TEST_TARGETS += timing-lint timing-quick

.PHONY: timing-quick
timing-quick: ## Timing tests, quick: 20,000 samples per pair, threshold 10 with a confirming second run, the leaky control detected
	$(CARGO) run -q --release -p otp-core-timing -- --quick

.PHONY: timing
timing: ## Timing tests, long: 10^6 samples per pair, threshold 4.5 (about 5 minutes); the table goes to target/timing/timing.txt
	mkdir -p target/timing
	$(CARGO) run -q --release -p otp-core-timing -- --samples 1000000 | tee target/timing/timing.txt

.PHONY: timing-lint
timing-lint: ## The timing crate: rustfmt --check and clippy (-D warnings)
	$(CARGO) fmt -p otp-core-timing -- --check
	$(CARGO) clippy -p otp-core-timing -- -D warnings
