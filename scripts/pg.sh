#!/usr/bin/env bash
# A private PostgreSQL server on 127.0.0.1:$PGPORT for the tests (Django, the Node guard).
#   scripts/pg.sh start   initdb on first use, start, wait until ready
#   scripts/pg.sh stop    fast shutdown (no error if not running)
#   scripts/pg.sh crash   immediate shutdown, as a crash (for the restart test)
# As root, the cluster belongs to the `postgres` user (initdb refuses root).
# TCP connections need a password (scram-sha-256), made at initdb and kept in
# $DIR/password (mode 600), so other local users cannot connect; `start`
# prints the database URL with it.
set -euo pipefail

# The newest installed server's binaries (the pattern itself when none is).
latest_pgbin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1; }
PGBIN=${PGBIN:-$(latest_pgbin)}
# Ports below Linux's ephemeral range (32768-60999): a client connection's
# local port (npm, pip, another test's) can never be holding ours.
PGPORT=${PGPORT:-25432}
DIR=${OTP_PG_DIR:-/tmp/otp-core-pg}

if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        PGBIN=$(latest_pgbin)
    else
        echo "pg.sh: PostgreSQL server binaries are missing (apt-get install postgresql, as root)" >&2
        exit 1
    fi
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "${1:-}" in
start)
    if [ "$(id -u)" -eq 0 ]; then install -d -o postgres -g postgres -m 700 "$DIR"; else install -d -m 700 "$DIR"; fi
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
        rm -rf "$DIR/data"
        (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$DIR/password")
        [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$DIR/password"
        as_owner "$PGBIN/initdb -D $DIR/data -U postgres --auth-local=peer --auth-host=scram-sha-256 --pwfile=$DIR/password -E UTF8 --locale=C.UTF-8 >$DIR/initdb.log"
    fi
    # A port still held for a moment (a server just stopped, a socket in use) is
    # retried for up to 20 s before giving up.
    for try in $(seq 1 10); do
        if as_owner "$PGBIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then break; fi
        if as_owner "$PGBIN/pg_ctl -D $DIR/data -l $DIR/server.log -w -t 60 -o \"-p $PGPORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start" >/dev/null; then
            break
        fi
        if [ "$try" -eq 10 ] || ! tail -n 5 "$DIR/server.log" | grep -q "Address already in use"; then
            echo "pg.sh: PostgreSQL did not start (see $DIR/server.log)" >&2
            exit 1
        fi
        sleep 2
    done
    # The database the URL names (Django's tests make their own test_ one beside it).
    if ! as_owner "$PGBIN/psql -h $DIR -p $PGPORT -U postgres -d otp_core -Atc 'select 1'" >/dev/null 2>&1; then
        as_owner "$PGBIN/createdb -h $DIR -p $PGPORT -U postgres otp_core" >/dev/null
    fi
    echo "postgres://postgres:$(cat "$DIR/password")@127.0.0.1:$PGPORT/otp_core"
    ;;
stop)
    if [ -f "$DIR/data/PG_VERSION" ]; then
        as_owner "$PGBIN/pg_ctl -D $DIR/data -m fast -w stop" >/dev/null 2>&1 || true
    fi
    ;;
crash)
    if [ -f "$DIR/data/PG_VERSION" ]; then
        as_owner "$PGBIN/pg_ctl -D $DIR/data -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: $0 start|stop|crash" >&2
    exit 2
    ;;
esac
