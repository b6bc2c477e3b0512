# The two commands: `make demo` and `make test`. Both set up a fresh machine first.
VENV   ?= .venv
# The interpreter: python3.12 when it runs (the Selenium render engine's axe-selenium-python 3
# needs >= 3.12; .python-version names it), else python3 (>= 3.11: everything but that engine,
# which then says so in one line). `make PYTHON=...` chooses another.
PYTHON ?= $(shell python3.12 -c 'import sys' >/dev/null 2>&1 && echo python3.12 || echo python3)
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.losi-installed

.PHONY: setup demo test chromium java lint clean

setup: $(STAMP) chromium java

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "losi needs Python >= 3.11, found " + sys.version.split()[0])'
	@# An existing venv of another Python (a 3.11 one made before 3.12 was chosen) is kept, never
	@# rebuilt under someone's feet: `rm -rf $(VENV)` (or `make clean`) moves it to $(PYTHON).
	@if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
		echo "note: $(VENV) is Python $$($(PY) -c 'import platform; print(platform.python_version())'), not $(PYTHON): kept; rm -rf $(VENV) to rebuild it"; \
	else $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,selenium]'
	@$(PY) -c 'import sys; sys.version_info < (3, 12) and print("note: Python " + sys.version.split()[0] + ": the Selenium render engine needs Python >= 3.12 (--render-engine playwright works)")'
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
