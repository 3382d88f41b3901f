# shellcheck shell=bash
# A demo instance of the API for the dashboard scripts (page weight): a Release build with the Devon
# demo data in a fresh database, on a free loopback port, plus a Mid Devon key for the dashboard.
#
#   demo_app_start NAME     -> APP_URL, ADMIN_KEY, MDDC_KEY; everything is stopped and removed on exit
#   api METHOD PATH [JSON]  curl the API with the admin key
#
# Uses the PostgreSQL server named by APPORTIONMENT_TEST_DB (a maintenance connection string, as for the tests) in a
# database of its own, dropped afterwards; else a throwaway server in a temporary directory (scripts/lib/postgres.sh).
# shellcheck disable=SC2317
set -euo pipefail

DEMO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
# shellcheck source=scripts/lib/postgres.sh
source "$DEMO_ROOT/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/chromium.sh
source "$DEMO_ROOT/scripts/lib/chromium.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
DEMO_DIR=""
DEMO_DB=""
DEMO_PG_STARTED=0
APP_PID=""

demo_log() { printf '[demo] %s\n' "$*" >&2; }

_demo_setting() { sed -n "s/.*\\b$1=\\([^;]*\\).*/\\1/ip" <<<"$APPORTIONMENT_TEST_DB"; }

demo_cleanup() {
    local rc=$?
    set +e
    if [ -n "$APP_PID" ]; then
        kill -TERM "$APP_PID" 2>/dev/null
        wait "$APP_PID" 2>/dev/null
    fi
    if [ "$DEMO_PG_STARTED" = 1 ]; then
        pg_stop "$DEMO_DIR/pgdata"
    elif [ -n "$DEMO_DB" ]; then
        PGPASSWORD="$(_demo_setting Password)" psql -q -h "$(_demo_setting Host)" -p "$(_demo_setting Port)" \
            -U "$(_demo_setting Username)" -d postgres -c "drop database if exists \"$DEMO_DB\" with (force)" >/dev/null
    fi
    [ -n "$DEMO_DIR" ] && rm -rf "$DEMO_DIR"
    exit "$rc"
}

api() {
    curl -fsS -X "$1" -H "X-Api-Key: $ADMIN_KEY" -H "Content-Type: application/json" ${3:+--data "$3"} "$APP_URL/api/v1$2"
}

demo_app_start() {
    local name="$1" connection port app_dll i
    trap demo_cleanup EXIT
    trap 'exit 130' INT TERM
    chromium_setup
    DEMO_DIR="$(mktemp -d "/tmp/apportionment-$name.XXXXXX")"
    chmod 755 "$DEMO_DIR"
    dotnet build "$DEMO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -c Release -nologo -v quiet >/dev/null
    app_dll="$(dotnet msbuild "$DEMO_ROOT/src/Apportionment.Api/Apportionment.Api.csproj" -nologo -p:Configuration=Release -getProperty:TargetPath)"
    DEMO_DB="demo_${name//-/_}_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    if [ -n "${APPORTIONMENT_TEST_DB:-}" ]; then
        # The API creates the database when it migrates; a later Database= wins over the maintenance one.
        connection="$APPORTIONMENT_TEST_DB;Database=$DEMO_DB"
    else
        pg_init "$DEMO_DIR/pgdata"
        DEMO_PG_STARTED=1
        pg_start "$DEMO_DIR/pgdata" "$DEMO_DIR/postgres.log" -c fsync=off -c synchronous_commit=off
        pg_create_db "$DEMO_DB"
        connection="$(pg_conn_string "$DEMO_DB")"
    fi

    port="$(pg_free_port)"
    APP_URL="http://127.0.0.1:$port"
    ADMIN_KEY="demo-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    (
        cd "$(dirname "$app_dll")"
        ConnectionStrings__Apportionment="$connection" Auth__AdminApiKey="$ADMIN_KEY" APPORTIONMENT_DEMO=true \
            ASPNETCORE_URLS="$APP_URL" Logging__LogLevel__Default=Warning exec dotnet "$(basename "$app_dll")"
    ) >"$DEMO_DIR/app.log" 2>&1 &
    APP_PID=$!
    for i in $(seq 1 240); do
        if curl -fsS "$APP_URL/health/ready" >/dev/null 2>&1 && api GET /shared-services/DAP >/dev/null 2>&1; then
            break
        fi
        kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$DEMO_DIR/app.log" >&2; return 1; }
        [ "$i" -lt 240 ] || { demo_log "the API did not become ready"; return 1; }
        sleep 0.5
    done
    MDDC_KEY="$(api POST /api-keys '{"name":"Mid Devon finance officers","council":"MDDC","scopes":["statements:read","agreements:approve"]}' |
        sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
    demo_log "API with the demo data on $APP_URL"
    npm ci --prefix "$DEMO_ROOT/tools/dashboard" --no-audit --no-fund --loglevel=error >&2
}
