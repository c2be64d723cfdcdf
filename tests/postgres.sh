#!/usr/bin/env bash
# Prints a PostgreSQL URL for the tests (WAITINGROOM_TEST_PG), as `make test` does for
# Chromium: WAITINGROOM_TEST_PG if already set; else a server on 127.0.0.1:5432 if one
# answers and lets us in; else Debian's postgresql, installed if missing, running a
# throwaway cluster of our own (own port and socket dir under /tmp, trust auth on
# loopback only). Progress goes to stderr; only the URL goes to stdout.
set -euo pipefail

if [ -n "${WAITINGROOM_TEST_PG:-}" ]; then
    echo "$WAITINGROOM_TEST_PG"
    exit 0
fi

can_use() {
    command -v psql >/dev/null 2>&1 && psql "$1" -qtAc "SELECT 1" >/dev/null 2>&1
}

shared="postgresql://${PGUSER:-postgres}@127.0.0.1:5432/${PGDATABASE:-postgres}"
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 && can_use "$shared"; then
    echo "$shared"
    exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
    echo "installing Debian's postgresql for the tests" >&2
    $SUDO apt-get update -q >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

dir=${WAITINGROOM_PG_DIR:-/tmp/waitingroom-test-pg}
port=${WAITINGROOM_PG_PORT:-55432}
url="postgresql://postgres@127.0.0.1:$port/postgres"
# initdb and postgres refuse to run as root: run them as the postgres user.
as=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    as=(runuser -u postgres --)
fi
if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # fsync off: a test cluster holds nothing worth a durable write.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >&2 ||
        { cat "$dir/server.log" >&2; exit 1; }
fi
echo "$url"
