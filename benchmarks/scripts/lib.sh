# shellcheck shell=bash
# Shared by the benchmarks/scripts/*.sh benchmarks: a private throwaway PostgreSQL and a Release build of the API.
# Never touches the shared test server (127.0.0.1:55432): pg_start picks a free port for a new cluster in a
# temporary directory, removed on exit together with the app.
#
#   bench_init NAME             build API + LoadGen, init and start PostgreSQL  -> BENCH_DIR, PG_PORT
#   bench_db NAME               create (fresh) database NAME
#   app_start DB [NAME]         run the API against DB on a free port          -> APP_URL, APP_PID
#                               with NAME (letters/digits/_), a further process -> APP_URL_NAME, APP_PID_NAME
#                               env: APP_PG_PORT (connect there instead of PG_PORT, e.g. a proxy),
#                               APP_CONN_EXTRA (appended to the connection string); other env passes through
#   app_stop [NAME]             stop it, printing its peak RSS (VmHWM)
#   app_url NAME, app_pid [NAME] the URL / pid of a named (or the default) API process
#   app_rss PID                 its VmHWM and VmRSS now
#   app_cpu_ms PID              user+system CPU of the API process so far, in ms
#   bench_track_pid PID         stop that helper process on exit too
#   loadgen ARGS...             run benchmarks/Apportionment.LoadGen against APP_URL
#   bench_need COMMAND [PACKAGE] find COMMAND, or apt-get install its Debian PACKAGE (as root), like PostgreSQL
#   bench_log NAME              copy everything printed from here on to benchmarks/results/NAME.log (env LOG: path)
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
APP_NAMES=""
BENCH_PIDS="" # helper processes (proxies, load balancers) stopped on exit

blog() { printf '[bench] %s\n' "$*" >&2; }

bench_cleanup() {
    local rc=$?
    set +e
    local name
    for name in $APP_NAMES; do app_stop "$name"; done
    for name in $BENCH_PIDS; do kill "$name" 2>/dev/null; done
    app_stop
    pg_stop "$PG_DATADIR"
    for name in ${BENCH_DATADIRS:-}; do pg_stop "$name"; done
    [ -n "${BENCH_DIR:-}" ] && [ -z "${BENCH_KEEP:-}" ] && rm -rf "$BENCH_DIR"
    exit "$rc"
}

# bench_need COMMAND [PACKAGE]: on a fresh machine the benchmarks install what they drive (wrk, haproxy) the way
# scripts/lib/postgres.sh installs PostgreSQL, rather than stopping at "wrk: not found".
bench_need() {
    local command="$1" package="${2:-$1}"
    command -v "$command" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        blog "$command not found; installing the Debian '$package' package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq "$package" >&2
    fi
    command -v "$command" >/dev/null 2>&1 && return 0
    blog "$command not found: install the Debian '$package' package (apt-get install $package) and run again"
    return 1
}

# A CPU profile of the API with perf, self and inclusive time per function (dotnet-trace's report gives inclusive only).
# perf_prepare before the API starts: perf names JIT-compiled frames from the runtime's perf map, which the W^X
# double mapping would hide. Sampling costs CPU, so a run that samples is for the profile only.
perf_prepare() {
    export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
    bench_need perf linux-perf
}

perf_sample() { # PID SECONDS PREFIX [DELAY]: samples in the background from DELAY seconds on, into PREFIX.perf
    (sleep "${4:-0}" && perf record -F 499 -g -p "$1" -o "$3.perf" -- sleep "$2") >/dev/null 2>&1 &
    PERF_SAMPLER=$!
}

perf_report() { # PREFIX: once the sampler is done, PREFIX-self.txt and PREFIX-inclusive.txt; the top of self printed
    wait "$PERF_SAMPLER" || true
    perf report -i "$1.perf" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep '%' >"$1-self.txt"
    perf report -i "$1.perf" --children --sort symbol --stdio -g none 2>/dev/null | grep '%' >"$1-inclusive.txt"
    echo "perf profile (for the profile only): $1-self.txt, $1-inclusive.txt; top 30 by self time:"
    head -30 "$1-self.txt" | cut -c1-200
}

bench_init() {
    local name="$1"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    [ -z "${BENCH_NEEDS:-}" ] || for need in $BENCH_NEEDS; do bench_need "$need"; done
    blog "machine: nproc=$(nproc); $(lscpu | sed -n 's/^Model name: *//p'); $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC')"
    blog "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet build "$REPO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -c Release -nologo -v quiet >/dev/null
    dotnet build "$REPO_ROOT/benchmarks/Apportionment.LoadGen/Apportionment.LoadGen.csproj" -c Release -nologo -v quiet >/dev/null
    # APP_DLL=/path/to/published/Apportionment.Api.dll measures a published build (e.g. ReadyToRun) instead.
    APP_DLL="${APP_DLL:-$(dotnet msbuild "$REPO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)}"
    LOADGEN_DLL="$(dotnet msbuild "$REPO_ROOT/benchmarks/Apportionment.LoadGen/Apportionment.LoadGen.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)"
    BENCH_DIR="$(mktemp -d "/tmp/apportionment-bench-$name.XXXXXX")"
    chmod 755 "$BENCH_DIR"
    pg_init "$BENCH_DIR/pgdata"
    # Default durability (fsync and synchronous_commit on): the API and its baseline share this server.
    pg_start "$BENCH_DIR/pgdata" "$BENCH_DIR/postgres.log" -c shared_buffers=1GB -c max_connections=300 \
        -c max_wal_size=4GB -c shared_preload_libraries=auto_explain
}

bench_log() {
    local log="${LOG:-$REPO_ROOT/benchmarks/results/$1.log}"
    mkdir -p "$(dirname "$log")"
    exec > >(tee "$log") 2>&1
    blog "log: $log"
}

bench_track_pid() { BENCH_PIDS="$BENCH_PIDS $1"; }

bench_db() {
    PGOPTIONS="-c client_min_messages=warning" pg_psql -d postgres -c "drop database if exists \"$1\"" -c "create database \"$1\"" >/dev/null
}

app_start() {
    local db="$1" name="${2:-}" port url pid log
    port="$(pg_free_port)"
    url="http://127.0.0.1:$port"
    log="$BENCH_DIR/app-$db${name:+-$name}.log"
    (
        cd "$(dirname "$APP_DLL")"
        ConnectionStrings__Apportionment="$(PG_PORT="${APP_PG_PORT:-$PG_PORT}" pg_conn_string "$db");Maximum Pool Size=100${APP_CONN_EXTRA:+;$APP_CONN_EXTRA}" \
            ASPNETCORE_URLS="$url" RateLimiting__PermitsPerSecond=1000000 \
            Logging__LogLevel__Default=Warning \
            exec dotnet "$(basename "$APP_DLL")"
    ) >"$log" 2>&1 &
    pid=$!
    if [ -n "$name" ]; then
        printf -v "APP_URL_$name" '%s' "$url"
        printf -v "APP_PID_$name" '%s' "$pid"
        APP_NAMES="$APP_NAMES $name"
    else
        APP_URL="$url"
        APP_PID="$pid"
    fi
    local i
    for i in $(seq 1 120); do
        if curl -fsS "$url/health/ready" >/dev/null 2>&1; then
            blog "API${name:+ $name} pid $pid on $url (database $db)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; return 1; }
        sleep 0.5
    done
    blog "API${name:+ $name} did not become ready"
    return 1
}

app_pid() { # [NAME]
    if [ -n "${1:-}" ]; then
        local var="APP_PID_$1"
        printf '%s' "${!var:-}"
    else
        printf '%s' "$APP_PID"
    fi
}

app_url() { # NAME
    local var="APP_URL_$1"
    printf '%s' "${!var:-}"
}

app_rss() { # PID
    # The dotnet host execs the app, so the pid is the app process itself.
    awk '/^VmHWM|^VmRSS/ {printf "%s %s kB  ", $1, $2} END {print ""}' "/proc/$1/status"
}

app_cpu_ms() { # PID: user+system CPU time of the API process so far, in ms (clock ticks of /proc/PID/stat)
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}

app_stop() { # [NAME]
    local name="${1:-}" pid
    pid="$(app_pid "$name")"
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        local hwm
        hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
        blog "API${name:+ $name} pid $pid peak RSS (VmHWM): $hwm kB = $((hwm / 1024)) MB"
        echo "PEAK_RSS_KB${name:+ $name} $hwm"
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null || true
    fi
    if [ -n "$name" ]; then
        printf -v "APP_PID_$name" '%s' ""
    else
        APP_PID=""
    fi
}

loadgen() {
    dotnet "$LOADGEN_DLL" --url "$APP_URL" --key "$Auth__AdminApiKey" "$@"
}

# Figures picked out of raw wrk/pgbench output (the raw output is printed as well).
wrk_rps() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
wrk_p99() { # in ms; wrk prints e.g. "     99%   12.34ms" (or us / s) under --latency
    awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1) }' <<<"$1"
}
pgbench_tps() { awk '/^tps = / {print $3; exit}' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "n/a" }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
