# The two commands: `make demo` and `make test`. Both set up a fresh machine first.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.losi-installed

.PHONY: setup demo test chromium java lint clean

setup: $(STAMP) chromium java

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "losi needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# Playwright drives Debian's Chromium (never `playwright install`, which downloads a browser).
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium and chromium-driver"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "note: Chromium is missing; rendering needs it (as root: apt-get install chromium chromium-driver)"; \
	fi

# The Nu Html Checker (markup validity, #208) runs on Java; without it that detector says
# not_assessable, never absent.
java:
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's default-jre-headless"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "note: Java is missing; markup validity (#208) will be not_assessable"; \
	fi

demo: setup
	$(VENV)/bin/losi demo

test: setup
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/python -m ruff check . || true

clean:
	rm -rf $(VENV) losi.db losi.db-* archive build *.egg-info
