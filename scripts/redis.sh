#!/usr/bin/env bash
# A private Redis server on 127.0.0.1:$REDIS_PORT for the Node guard's tests.
#   scripts/redis.sh start     start (installing Debian's redis-server as root when missing), wait until ready
#   scripts/redis.sh stop      shut down (no error if not running)
#   scripts/redis.sh crash     kill -9 (for the restart test), then nothing
# It keeps an append-only file with `appendfsync always` in $DIR, so an
# acknowledged write survives a crash, and a password made on first use
# ($DIR/password, mode 600); `start` prints the redis:// URL with it.
set -euo pipefail

# Ports below Linux's ephemeral range (32768-60999): a client connection's
# local port can never be holding ours.
REDIS_PORT=${REDIS_PORT:-26379}
DIR=${OTP_REDIS_DIR:-/tmp/otp-core-redis}

if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    else
        echo "redis.sh: redis-server is missing (apt-get install redis-server, as root)" >&2
        exit 1
    fi
fi

cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning -a "$(cat "$DIR/password")" "$@"; }

case "${1:-}" in
start)
    install -d -m 700 "$DIR"
    [ -f "$DIR/password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$DIR/password")
    if ! cli ping >/dev/null 2>&1; then
        # The password goes in a config file (mode 600), not on a command line other users can read.
        (umask 077; printf 'requirepass %s\n' "$(cat "$DIR/password")" >"$DIR/auth.conf")
        redis-server - >/dev/null <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
dir $DIR
pidfile $DIR/redis.pid
logfile $DIR/redis.log
appendonly yes
appendfsync always
save ""
include $DIR/auth.conf
CONF
        for _ in $(seq 1 100); do
            cli ping >/dev/null 2>&1 && break
            sleep 0.1
        done
        cli ping >/dev/null
    fi
    echo "redis://default:$(cat "$DIR/password")@127.0.0.1:$REDIS_PORT"
    ;;
stop)
    if [ -f "$DIR/password" ]; then cli shutdown >/dev/null 2>&1 || true; fi
    ;;
crash)
    if [ -f "$DIR/redis.pid" ]; then kill -9 "$(cat "$DIR/redis.pid")" 2>/dev/null || true; fi
    rm -f "$DIR/redis.pid"
    ;;
*)
    echo "usage: $0 start|stop|crash" >&2
    exit 2
    ;;
esac
