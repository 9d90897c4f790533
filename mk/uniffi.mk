# bindings-uniffi: Kotlin (run on the JVM here) and Swift (generated and
# checked here; compiled on macOS) over otp-core, by UniFFI in library mode.
# Included by the root Makefile. Fresh clone: builds the crate and the
# uniffi-bindgen tool, npm-installs the Kotlin compiler, apt-installs JNA, a
# JRE, zbarimg and shellcheck when missing (as root; otherwise it stops and
# names them). Run again: cargo and kotlinc only rerun for changed inputs
# (generated files are rewritten only when their text changes).

UNIFFI := bindings-uniffi
UNIFFI_OUT := target/uniffi
UNIFFI_GEN := $(UNIFFI)/generated
UNIFFI_LIB_DIR := target/debug
UNIFFI_SO := $(UNIFFI_LIB_DIR)/libotp_core_uniffi.so
UNIFFI_BINDGEN := $(UNIFFI_LIB_DIR)/uniffi-bindgen
UNIFFI_KT := $(UNIFFI_GEN)/kotlin/dev/otpcore/otp_core_uniffi.kt
UNIFFI_SWIFT := $(UNIFFI_GEN)/swift/OtpCore.swift $(UNIFFI_GEN)/swift/OtpCoreFFI.h $(UNIFFI_GEN)/swift/OtpCoreFFI.modulemap
UNIFFI_TEST_KT := $(sort $(wildcard $(UNIFFI)/tests/kotlin/*.kt))
# Every Kotlin block of the README (but those marked `readme-kotlin: skip`),
# one file each, and ReadmeBlocks.kt listing the blocks of statements:
# compiled with the tests, which run each listed block.
UNIFFI_README_DIR := $(UNIFFI_GEN)/readme
UNIFFI_README_KT := $(UNIFFI_README_DIR)/.stamp
UNIFFI_JAR := $(UNIFFI_OUT)/otp-core-kotlin-tests.jar
# The product: otp-core.jar (the binding, the JVM layer in kotlin/, the
# Kotlin stdlib, and the release library under JNA's resource path), and
# the Java program that calls it (javac).
UNIFFI_PRODUCT_JAR := $(UNIFFI_OUT)/otp-core.jar
UNIFFI_JVM_KT := $(sort $(wildcard $(UNIFFI)/kotlin/dev/otpcore/*.kt))
UNIFFI_RELEASE_SO := target/release/libotp_core_uniffi.so
UNIFFI_STDLIB := $(UNIFFI)/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar
UNIFFI_JAVA_TEST := $(UNIFFI)/tests/java/JavaInterop.java
UNIFFI_VERSION := $(shell awk -F'"' '/^\[workspace.package\]/ { w = 1 } w && /^version/ { print $$2; exit }' Cargo.toml)
# `make dist-jvm` puts the jar with both Linux libraries here; `make test`
# checks it when it exists.
UNIFFI_DIST_JAR := target/dist/jvm/otp-core-$(UNIFFI_VERSION).jar
UNIFFI_KOTLINC := $(UNIFFI)/node_modules/kotlin-compiler/bin/kotlinc
UNIFFI_NPM_OK := $(UNIFFI)/node_modules/.otp-core-ok
JNA_JAR ?= /usr/share/java/jna.jar
# What the library and uniffi-bindgen are built from: a change here rebuilds them.
UNIFFI_RUST_SOURCES := $(shell find otp-core/src $(UNIFFI)/src -name '*.rs') $(UNIFFI)/uniffi-bindgen.rs \
	$(UNIFFI)/uniffi.toml $(UNIFFI)/Cargo.toml otp-core/Cargo.toml Cargo.toml Cargo.lock

TEST_TARGETS += uniffi-lint uniffi-test

.PHONY: uniffi-test
uniffi-test: uniffi-tools $(UNIFFI_JAR) $(UNIFFI_PRODUCT_JAR) $(UNIFFI_OUT)/swift.ok ## Kotlin/Java/Swift (UniFFI): Rust error-mapping test; the Kotlin test program on the JVM against otp-core.jar with no library path (every vector, error docs, core rules, sealed secrets and the Verifier, threads, QR via zbarimg, bad input, the JVM layer, README blocks); a Java program (javac) calling every entry point, and no mangled name in the jar; Swift generated and checked
	$(CARGO) test -q -p otp-core-uniffi --lib
	java -cp $(UNIFFI_JAR):$(UNIFFI_PRODUCT_JAR):$(JNA_JAR) OtpCoreTestKt otp-core/tests/vectors $(UNIFFI_GEN)
	rm -rf $(UNIFFI_OUT)/java && mkdir -p $(UNIFFI_OUT)/java
	javac -Xlint:all -Werror -cp $(UNIFFI_PRODUCT_JAR) -d $(UNIFFI_OUT)/java $(UNIFFI_JAVA_TEST)
	java -cp $(UNIFFI_OUT)/java:$(UNIFFI_PRODUCT_JAR):$(JNA_JAR) JavaInterop $(UNIFFI_PRODUCT_JAR)
	@if [ -f $(UNIFFI_DIST_JAR) ]; then \
		echo "uniffi-test: the Java program against $(UNIFFI_DIST_JAR) (make dist-jvm)"; \
		python3 $(UNIFFI)/scripts/jar.py --check $(UNIFFI_DIST_JAR) linux-x86-64 linux-aarch64; \
		java -cp $(UNIFFI_OUT)/java:$(UNIFFI_DIST_JAR):$(JNA_JAR) JavaInterop $(UNIFFI_DIST_JAR); fi

# The release library, for the jar.
$(UNIFFI_OUT)/release.stamp: $(UNIFFI_RUST_SOURCES)
	$(CARGO) build --release -p otp-core-uniffi --lib
	mkdir -p $(UNIFFI_OUT)
	touch $@

# otp-core.jar: the generated binding and the JVM layer compiled together,
# then packed with the stdlib and the x86-64 library (scripts/jar.py).
$(UNIFFI_PRODUCT_JAR): $(UNIFFI_KT) $(UNIFFI_JVM_KT) $(UNIFFI_OUT)/release.stamp $(UNIFFI_NPM_OK) $(UNIFFI)/scripts/jar.py | uniffi-tools
	rm -rf $(UNIFFI_OUT)/classes && mkdir -p $(UNIFFI_OUT)/classes
	$(UNIFFI_KOTLINC) -nowarn -cp $(JNA_JAR) -d $(UNIFFI_OUT)/classes $(UNIFFI_KT) $(UNIFFI_JVM_KT)
	python3 $(UNIFFI)/scripts/jar.py --classes $(UNIFFI_OUT)/classes --stdlib $(UNIFFI_STDLIB) --version $(UNIFFI_VERSION) \
		--native linux-x86-64=$(UNIFFI_RELEASE_SO) --out $@

.PHONY: dist-jvm
dist-jvm: $(UNIFFI_PRODUCT_JAR) ## The JVM jar in target/dist/jvm: otp-core.jar with the Linux x86-64 and aarch64 (glibc 2.28, zig) libraries
	scripts/dist-jvm.sh $(UNIFFI_OUT)/classes $(UNIFFI_STDLIB) $(UNIFFI_VERSION)

.PHONY: uniffi-lint
uniffi-lint: uniffi-tools ## bindings-uniffi: rustfmt --check, clippy (-D warnings, the uniffi-bindgen bin included), bash -n and shellcheck of the XCFramework script
	$(CARGO) fmt -p otp-core-uniffi -- --check
	$(CARGO) clippy -p otp-core-uniffi --all-targets --features cli -- -D warnings
	bash -n $(UNIFFI)/swift/build-xcframework.sh
	shellcheck --shell=bash $(UNIFFI)/swift/build-xcframework.sh

.PHONY: uniffi-gen
uniffi-gen: $(UNIFFI_OUT)/generate.stamp ## Generate the Kotlin and Swift bindings into bindings-uniffi/generated (git-ignored)

.PHONY: uniffi-tools
uniffi-tools: python-tools ## Install what uniffi-test and uniffi-lint call, when missing (as root): JNA (Debian libjna-java), a JDK (javac), shellcheck
	@missing="$$(test -f $(JNA_JAR) || echo libjna-java) $$(command -v javac >/dev/null || echo default-jdk-headless) \
		$$(command -v shellcheck >/dev/null || echo shellcheck)"; missing="$$(echo $$missing)"; \
	[ -z "$$missing" ] || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "$(JNA_JAR), javac or shellcheck is missing: apt-get install $$missing (as root)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }

# One cargo call builds the cdylib (and staticlib) and the uniffi-bindgen tool.
$(UNIFFI_OUT)/build.stamp: $(UNIFFI_RUST_SOURCES)
	$(CARGO) build -p otp-core-uniffi --features cli --lib --bins
	mkdir -p $(UNIFFI_OUT)
	touch $@

# Library mode: the bindings come from the metadata in the built library.
# Generated into a scratch folder, then copied over only where the text
# changed, so that an unchanged binding does not trigger a Kotlin compile.
$(UNIFFI_OUT)/generate.stamp: $(UNIFFI_OUT)/build.stamp
	rm -rf $(UNIFFI_OUT)/gen
	$(UNIFFI_BINDGEN) generate --library $(UNIFFI_SO) --language kotlin --no-format --out-dir $(UNIFFI_OUT)/gen/kotlin
	$(UNIFFI_BINDGEN) generate --library $(UNIFFI_SO) --language swift --no-format --out-dir $(UNIFFI_OUT)/gen/swift
	cd $(UNIFFI_OUT)/gen && find . -type f | while read -r f; do \
		dest="$(abspath $(UNIFFI_GEN))/$$f"; mkdir -p "$$(dirname "$$dest")"; \
		cmp -s "$$f" "$$dest" || cp "$$f" "$$dest"; done
	touch $@

# The generated files keep their time when their text is unchanged; one
# deleted by hand is generated again.
$(UNIFFI_KT) $(UNIFFI_SWIFT): $(UNIFFI_OUT)/generate.stamp
	@test -f $@ || { rm -f $<; $(MAKE) --no-print-directory $<; }

$(UNIFFI_NPM_OK): $(UNIFFI)/package.json $(UNIFFI)/package-lock.json
	cd $(UNIFFI) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The script touches the stamp only when a block's file changed.
$(UNIFFI_README_KT): $(UNIFFI)/README.md $(UNIFFI)/scripts/readme_kotlin.py
	python3 $(UNIFFI)/scripts/readme_kotlin.py $< $(UNIFFI_README_DIR)

# The README's blocks and the test program, compiled against otp-core.jar
# (as a user's code is).
$(UNIFFI_JAR): $(UNIFFI_PRODUCT_JAR) $(UNIFFI_README_KT) $(UNIFFI_TEST_KT) $(UNIFFI_NPM_OK) | uniffi-tools
	mkdir -p $(UNIFFI_OUT)
	$(UNIFFI_KOTLINC) -nowarn -cp $(UNIFFI_PRODUCT_JAR):$(JNA_JAR) -d $@.tmp.jar $(UNIFFI_README_DIR)/*.kt $(UNIFFI_TEST_KT)
	mv $@.tmp.jar $@

# Swift cannot be compiled here: check, owner by owner, that every class
# member, record field, enum case, error case and function of the Kotlin
# binding exists in the Swift one, that the header declares every symbol the
# library exports, and that the XCTests and the README's Swift examples call
# the binding with declared arguments. First, the check's self-test: it must
# catch mutations of the generated Swift (and pass on it unmodified).
UNIFFI_SWIFT_TESTS := $(sort $(wildcard $(UNIFFI)/swift/Tests/OtpCoreTests/*.swift))
UNIFFI_SWIFT_EXT := $(UNIFFI)/swift/Sources/OtpCore/OtpCoreSwift.swift
$(UNIFFI_OUT)/swift.ok: $(UNIFFI_KT) $(UNIFFI_SWIFT) $(UNIFFI)/scripts/check_swift.py $(UNIFFI)/scripts/test_check_swift.py \
		$(UNIFFI_SWIFT_TESTS) $(UNIFFI_SWIFT_EXT) $(UNIFFI)/README.md
	python3 $(UNIFFI)/scripts/test_check_swift.py --kotlin $(UNIFFI_KT) --swift-dir $(UNIFFI_GEN)/swift --library $(UNIFFI_SO)
	awk '/^[[:space:]]*```swift$$/ { on = 1; next } on && /^[[:space:]]*```$$/ { on = 0 } on' $(UNIFFI)/README.md > $(UNIFFI_OUT)/ReadmeExamples.swift
	python3 $(UNIFFI)/scripts/check_swift.py --kotlin $(UNIFFI_KT) --swift-dir $(UNIFFI_GEN)/swift --library $(UNIFFI_SO) \
		--swift-sources $(UNIFFI_SWIFT_TESTS) $(UNIFFI_SWIFT_EXT) $(UNIFFI_OUT)/ReadmeExamples.swift --swift-extensions $(UNIFFI_SWIFT_EXT)
	touch $@

.PHONY: uniffi-clean
uniffi-clean: ## Remove bindings-uniffi's generated code, its node_modules and target/uniffi
	rm -rf $(UNIFFI_GEN) $(UNIFFI)/node_modules $(UNIFFI_OUT) $(UNIFFI)/swift/build
