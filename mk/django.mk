# The Django plugin (otp_core.django) and its demo site. Included by the root
# Makefile; uses its PY_VENV/PY and the Python package build stamps.

DJANGO_TESTS := bindings-python/tests_django
DJANGO_BROWSER := $(DJANGO_TESTS)/browser
DEMO_DIR := bindings-python/examples/django_demo
DEMO_PORT ?= 8000

TEST_TARGETS += django-test

.PHONY: demo
demo: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built ## The Django demo site on SQLite at http://127.0.0.1:8000 (DATABASE_URL=postgres://… for PostgreSQL)
	cd $(DEMO_DIR) && $(abspath $(PY)) manage.py migrate --noinput
	cd $(DEMO_DIR) && $(abspath $(PY)) manage.py demo_setup
	cd $(DEMO_DIR) && $(abspath $(PY)) manage.py runserver 127.0.0.1:$(DEMO_PORT)

.PHONY: django-test
django-test: $(PY_VENV)/.deps-ok $(PY_VENV)/.otp_core-built python-tools browser-tools gettext-tools $(DJANGO_BROWSER)/node_modules/.ok ## Django plugin: migrations check, pytest-django on SQLite (complete catalogues), then on a private PostgreSQL (50-thread races), browser flows in chromium (English, French)
	cd $(DEMO_DIR) && $(abspath $(PY)) manage.py makemigrations --check --dry-run
	cd $(DJANGO_TESTS) && env -u DATABASE_URL $(abspath $(PY)) -m pytest
	url=$$(scripts/pg.sh start); trap '$(abspath scripts/pg.sh) stop' EXIT; \
		cd $(DJANGO_TESTS) && DATABASE_URL=$$url OTP_CORE_REQUIRE_POSTGRES=1 $(abspath $(PY)) -m pytest

$(DJANGO_BROWSER)/node_modules/.ok: $(DJANGO_BROWSER)/package.json $(DJANGO_BROWSER)/package-lock.json
	cd $(DJANGO_BROWSER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: browser-tools
browser-tools: ## Install Debian chromium for the browser test (as root) when missing
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "chromium is missing: apt-get install chromium (as root)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

.PHONY: messages
messages: $(PY_VENV)/.deps-ok gettext-tools ## Refresh the fr/de/es catalogues of otp_core.django and the demo from the sources and compile them (then translate what test_translations.py reports)
	cd $(DJANGO_TESTS) && $(abspath $(PY)) test_translations.py --update

.PHONY: gettext-tools
gettext-tools: ## Install GNU gettext (makemessages, msgfmt, msgcmp) when missing (as root)
	@command -v msgcmp >/dev/null && command -v xgettext >/dev/null && command -v msgunfmt >/dev/null || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "GNU gettext is missing: apt-get install gettext (as root)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null; }
