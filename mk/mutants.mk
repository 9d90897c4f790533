# Mutation testing (cargo-mutants over otp-core, all features), included by
# the root Makefile. `make test` runs the fixed sample (scripts/mutants.sh
# quick: algorithm.rs, hotp.rs, throttle.rs, a few minutes), so a weakened
# test there fails CI; `make mutants` runs every mutant (about an hour on
# 2 cores). Equivalent mutants, excluded with their reasons:
# .cargo/mutants.toml. Results: otp-core/README.md ("Mutation testing").

TEST_TARGETS += mutants-quick

.PHONY: mutants
mutants: ## Mutation testing, every mutant of otp-core (about an hour); lists in target/mutants/full/mutants.out
	scripts/mutants.sh full

.PHONY: mutants-quick
mutants-quick: ## Mutation testing, the fixed sample in make test (algorithm.rs, hotp.rs, throttle.rs)
	scripts/mutants.sh quick
