# shellcheck shell=bash
# Shared by the scripts/bench/*.sh benchmarks: a private throwaway PostgreSQL and a Release build of the API.
# Never touches the shared test server (127.0.0.1:55432): pg_start picks a free port for a new cluster in a
# temporary directory, removed on exit together with the app.
#
#   bench_init NAME             build API + LoadGen, init and start PostgreSQL  -> BENCH_DIR, PG_PORT
#   bench_db NAME               create (fresh) database NAME
#   app_start DB                run the API against DB on a free port          -> APP_URL, APP_PID
#   app_stop                    stop it, printing its peak RSS (VmHWM)
#   loadgen ARGS...             run tools/Apportionment.LoadGen against APP_URL
# shellcheck disable=SC2317
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
# shellcheck source=scripts/lib/postgres.sh
source "$REPO_ROOT/scripts/lib/postgres.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
Auth__AdminApiKey="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export Auth__AdminApiKey
PGBENCH="${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}"
APP_PID=""
APP_URL=""

blog() { printf '[bench] %s\n' "$*" >&2; }

bench_cleanup() {
    local rc=$?
    set +e
    app_stop
    pg_stop "$PG_DATADIR"
    [ -n "${BENCH_DIR:-}" ] && [ -z "${BENCH_KEEP:-}" ] && rm -rf "$BENCH_DIR"
    exit "$rc"
}

bench_init() {
    local name="$1"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    blog "machine: nproc=$(nproc); $(lscpu | sed -n 's/^Model name: *//p'); $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC')"
    blog "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet build "$REPO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -c Release -nologo -v quiet >/dev/null
    dotnet build "$REPO_ROOT/tools/Apportionment.LoadGen/Apportionment.LoadGen.csproj" -c Release -nologo -v quiet >/dev/null
    APP_DLL="$(dotnet msbuild "$REPO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)"
    LOADGEN_DLL="$(dotnet msbuild "$REPO_ROOT/tools/Apportionment.LoadGen/Apportionment.LoadGen.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)"
    BENCH_DIR="$(mktemp -d "/tmp/apportionment-bench-$name.XXXXXX")"
    chmod 755 "$BENCH_DIR"
    pg_init "$BENCH_DIR/pgdata"
    # Default durability (fsync and synchronous_commit on): the API and its baseline share this server.
    pg_start "$BENCH_DIR/pgdata" "$BENCH_DIR/postgres.log" -c shared_buffers=1GB -c max_connections=300 \
        -c max_wal_size=4GB -c shared_preload_libraries=auto_explain
}

bench_db() {
    PGOPTIONS="-c client_min_messages=warning" pg_psql -d postgres -c "drop database if exists \"$1\"" -c "create database \"$1\"" >/dev/null
}

app_start() {
    local db="$1" port
    port="$(pg_free_port)"
    APP_URL="http://127.0.0.1:$port"
    (
        cd "$(dirname "$APP_DLL")"
        ConnectionStrings__Apportionment="$(pg_conn_string "$db");Maximum Pool Size=100" \
            ASPNETCORE_URLS="$APP_URL" RateLimiting__PermitsPerSecond=1000000 \
            Logging__LogLevel__Default=Warning \
            exec dotnet "$(basename "$APP_DLL")"
    ) >"$BENCH_DIR/app-$db.log" 2>&1 &
    APP_PID=$!
    local i
    for i in $(seq 1 120); do
        if curl -fsS "$APP_URL/health/ready" >/dev/null 2>&1; then
            blog "API pid $APP_PID on $APP_URL (database $db)"
            return 0
        fi
        kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$BENCH_DIR/app-$db.log" >&2; return 1; }
        sleep 0.5
    done
    blog "API did not become ready"
    return 1
}

app_rss() {
    # The dotnet host execs the app, so APP_PID is the app process itself.
    awk '/^VmHWM|^VmRSS/ {printf "%s %s kB  ", $1, $2} END {print ""}' "/proc/$APP_PID/status"
}

app_stop() {
    [ -n "$APP_PID" ] || return 0
    if kill -0 "$APP_PID" 2>/dev/null; then
        local hwm
        hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$APP_PID/status")"
        blog "API pid $APP_PID peak RSS (VmHWM): $hwm kB = $((hwm / 1024)) MB"
        echo "PEAK_RSS_KB $hwm"
        kill -TERM "$APP_PID" 2>/dev/null
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}

loadgen() {
    dotnet "$LOADGEN_DLL" --url "$APP_URL" --key "$Auth__AdminApiKey" "$@"
}
