# The two commands in the README: `make run` and `make test`; `make lock` after changing
# the dependencies in pyproject.toml.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Every package pinned, with hashes: runtime (the Docker image) and runtime + dev (make, CI).
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2
COMPILE   := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade,)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint lock chromium clean cli

$(STAMP): $(DEV_LOCK) pyproject.toml
	@python3 -m venv $(VENV) 2>/dev/null || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	@# setuptools explains editable installs in a boxed warning each time; nothing to act on.
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Re-pin after changing dependencies in pyproject.toml: keeps every pin it can, adds
# what is new. `make lock UPGRADE=1` moves everything to the newest allowed versions.
# The runtime lock is constrained by the dev one, so both pin the same versions.
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { python3 -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(COMPILE) --extra dev --output-file $(DEV_LOCK) pyproject.toml
	$(COMPILE) --constraint $(DEV_LOCK) --output-file $(LOCK) pyproject.toml

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
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# The store tests run on SQLite and on PostgreSQL: tests/postgres.sh prints the URL of
# a server on 127.0.0.1:5432 if one answers, else starts a throwaway cluster of its own.
test: $(STAMP) chromium lint
	url="$$(tests/postgres.sh)" && WAITINGROOM_TEST_PG="$$url" $(VENV)/bin/pytest

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .mypy_cache
