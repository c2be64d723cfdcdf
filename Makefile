# The two commands in the README: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint chromium clean cli

$(STAMP): pyproject.toml
	@python3 -m venv $(VENV) 2>/dev/null || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	@# setuptools explains editable installs in a boxed warning each time; nothing to act on.
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

run: $(STAMP)
	$(VENV)/bin/waitingroom serve

# Any command of the CLI through the venv, for example:
#   make cli ARGS="supporters add lena --role lead --display-name Lena"
cli: $(STAMP)
	$(VENV)/bin/waitingroom $(ARGS)

# Debian's Chromium for the browser tests; never a browser download.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q chromium; }

lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench

test: $(STAMP) chromium lint
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
