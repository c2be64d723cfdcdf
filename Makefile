# The two commands in the README: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint chromium clean

$(STAMP): pyproject.toml
	@python3 -m venv $(VENV) 2>/dev/null || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

run: $(STAMP)
	$(VENV)/bin/waitingroom serve

# Debian's Chromium for the browser tests; never a browser download.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q chromium; }

lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench

# The store tests run on SQLite and on PostgreSQL: tests/postgres.sh prints the URL of
# a server on 127.0.0.1:5432 if one answers, else starts a throwaway cluster of its own.
test: $(STAMP) chromium lint
	url="$$(tests/postgres.sh)" && WAITINGROOM_TEST_PG="$$url" $(VENV)/bin/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
