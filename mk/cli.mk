# The `otp` command-line tool (cli/). Included by the root Makefile.

TEST_TARGETS += cli-lint cli-test

.PHONY: cli-test
cli-test: cli-tools ## otp CLI: unit tests, the README's console examples, the vault (a pty for the prompt), the differential against oathtool (10,000 random cases)
	$(CARGO) test -p otp-cli --release -- --nocapture

.PHONY: cli-lint
cli-lint: ## otp CLI: rustfmt --check and clippy (-D warnings)
	$(CARGO) fmt -p otp-cli -- --check
	$(CARGO) clippy -p otp-cli --all-targets -- -D warnings

.PHONY: cli-tools
cli-tools: ## Install Debian's oathtool (the differential's peer) when missing (as root)
	@command -v oathtool >/dev/null || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "oathtool is missing: apt-get install oathtool (as root)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends oathtool >/dev/null; }

.PHONY: bench-cli
bench-cli: cli-tools ## otp code --totp vs oathtool --totp as whole processes, interleaved in one run (benches/cli/compare.sh)
	benches/cli/compare.sh
