#!/usr/bin/env bash
# Builds and runs the Apportionment API locally.
#
#   scripts/run.sh [--demo] [-- app arguments...]
#
# Environment:
#   ASPNETCORE_URLS        where to listen (default http://localhost:8080)
#   APPORTIONMENT_DB       Npgsql connection string to use; when unset a local PostgreSQL is
#                          run from .local/pgdata (kept across runs, free 127.0.0.1 port chosen
#                          at each start), installing the Debian `postgresql` package if needed.
#   Auth__AdminApiKey      admin API key (header X-Api-Key); when unset one is generated once,
#                          stored in .local/admin-api-key and reused.
#   Logging__Console__FormatterName
#                          json or simple; default simple when stdout is a terminal, else json.
#   --demo                 sets APPORTIONMENT_DEMO=true (load demo data at start-up).
#
# Ctrl-C / SIGTERM stops the service and the local PostgreSQL.
# Functions below are called indirectly (trap).
# shellcheck disable=SC2317
set -euo pipefail

cd "$(dirname "$0")/.."
REPO_ROOT="$(pwd -P)"
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

APP_ARGS=()
while [ "$#" -gt 0 ]; do
    case "$1" in
    --demo) export APPORTIONMENT_DEMO=true ;;
    -h | --help) usage; exit 0 ;;
    --) shift; APP_ARGS+=("$@"); break ;;
    *) APP_ARGS+=("$1") ;;
    esac
    shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:8080}"
# Readable log lines on a terminal; JSON (the service's default, for log collectors) when piped or redirected.
if [ -t 1 ] && [ -z "${Logging__Console__FormatterName:-}" ]; then
    export Logging__Console__FormatterName=simple
fi

LOCAL_DIR="$REPO_ROOT/.local"
PG_DATA="$LOCAL_DIR/pgdata"
KEY_FILE="$LOCAL_DIR/admin-api-key"
mkdir -p "$LOCAL_DIR"

LOCAL_PG_STARTED=0
APP_PID=""

log() { printf '[run] %s\n' "$*" >&2; }

cleanup() {
    local rc=$?
    # Ignore (not reset) further signals: a second Ctrl-C or SIGTERM must not cut the clean-up short and leave
    # PostgreSQL running.
    trap - EXIT
    trap '' INT TERM HUP
    # Keep cleaning up even if stdout/stderr went away (e.g. `| tee` killed by Ctrl-C).
    trap '' PIPE
    set +e
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        log "stopping the service (pid $APP_PID)"
        kill -TERM "$APP_PID" 2>/dev/null || true
        # The host's shutdown timeout is 30 s by default; give it a little more.
        local i
        for i in $(seq 1 70); do
            kill -0 "$APP_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$APP_PID" 2>/dev/null; then
            log "service did not stop in time; killing it"
            kill -KILL "$APP_PID" 2>/dev/null || true
        fi
        wait "$APP_PID" 2>/dev/null || true
    fi
    if [ "$LOCAL_PG_STARTED" = 1 ]; then
        pg_stop "$PG_DATA" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- admin key -----------------------------------------------------------------
KEY_SOURCE="from Auth__AdminApiKey"
if [ -z "${Auth__AdminApiKey:-}" ]; then
    if [ ! -s "$KEY_FILE" ]; then
        (
            umask 077
            if command -v openssl >/dev/null 2>&1; then
                openssl rand -hex 32
            else
                head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
                echo
            fi >"$KEY_FILE"
        )
        log "generated a new admin API key in $KEY_FILE"
    fi
    Auth__AdminApiKey="$(tr -d '\r\n' <"$KEY_FILE")"
    KEY_SOURCE="stored in ${KEY_FILE#"$REPO_ROOT"/}"
fi
export Auth__AdminApiKey

# --- build ---------------------------------------------------------------------
PROJECT=src/Apportionment.Api/Apportionment.Api.csproj
log "building $PROJECT (Release)"
dotnet build "$PROJECT" -c Release -nologo -v quiet
APP_DLL="$(dotnet msbuild "$PROJECT" -nologo -p:Configuration=Release -getProperty:TargetPath)"
if [ ! -f "$APP_DLL" ]; then
    log "built assembly not found: $APP_DLL"
    exit 1
fi

# --- database ------------------------------------------------------------------
if [ -n "${APPORTIONMENT_DB:-}" ]; then
    log "using the database from APPORTIONMENT_DB"
    ConnectionStrings__Apportionment="$APPORTIONMENT_DB"
else
    pg_setup_binaries
    pg_init "$PG_DATA"
    LOCAL_PG_STARTED=1
    pg_start "$PG_DATA" "$LOCAL_DIR/postgres.log"
    pg_create_db apportionment
    ConnectionStrings__Apportionment="$(pg_conn_string apportionment)"
fi
export ConnectionStrings__Apportionment

# --- run -----------------------------------------------------------------------
first_url="${ASPNETCORE_URLS%%;*}"
first_url="${first_url/\/\/+:/\/\/localhost:}"
first_url="${first_url/\/\/\*:/\/\/localhost:}"
first_url="${first_url/\/\/0.0.0.0:/\/\/localhost:}"
first_url="${first_url/\/\/\[::\]:/\/\/localhost:}"
first_url="${first_url%/}"
cat >&2 <<EOF

  Apportionment API
    listening on   $ASPNETCORE_URLS
    Swagger UI     $first_url/swagger
    OpenAPI        $first_url/openapi/v1.json
    health         $first_url/health/ready
    admin API key  $Auth__AdminApiKey  (header X-Api-Key; $KEY_SOURCE)
    demo data      ${APPORTIONMENT_DEMO:-false}
    dashboard      $first_url/dashboard/  (sign in with a council key; with --demo, for Mid Devon:)
                   curl -s -X POST $first_url/api/v1/api-keys -H "X-Api-Key: $Auth__AdminApiKey" \\
                     -H 'Content-Type: application/json' \\
                     -d '{"name":"Mid Devon finance","council":"MDDC","scopes":["statements:read","agreements:approve"]}'
                   (the answer's "key" is the council key; docs/dashboard.md has more)
  Press Ctrl-C to stop.

EOF

# Run from the output directory (content root = appsettings.json location, as in the
# container). In the background so that the traps can forward Ctrl-C/SIGTERM.
(cd "$(dirname "$APP_DLL")" && exec dotnet "$(basename "$APP_DLL")" "${APP_ARGS[@]}") &
APP_PID=$!
app_rc=0
wait "$APP_PID" || app_rc=$?
APP_PID=""
exit "$app_rc"
