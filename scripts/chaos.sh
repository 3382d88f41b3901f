#!/usr/bin/env bash
# Chaos run: the service under a bounded posting load while PostgreSQL restarts twice.
#
#   scripts/chaos.sh [POSTINGS] [WORKERS]        (defaults: 2000 postings, 4 workers)
#
# Starts a private PostgreSQL (fresh data dir, removed afterwards) and the service (Release build,
# run as `dotnet Apportionment.Api.dll`), then posts POSTINGS costs, each with its own
# Idempotency-Key, from WORKERS curl loops. A client retries the same key, with the same body, on
# 503 (after Retry-After), other 5xx and connection errors until it gets 201. PostgreSQL is
# restarted (pg_ctl restart -m fast) when a third and two thirds of the postings are acknowledged.
#
# Pass: every acknowledged key is in cost_postings exactly once, no duplicates, no 5xx but 503.
# Not run by scripts/test.sh. Needs curl and the PostgreSQL server binaries (see scripts/lib/postgres.sh).
# shellcheck disable=SC2317
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

POSTINGS="${1:-2000}"
WORKERS="${2:-4}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/apportionment-chaos.XXXXXX")"
chmod 711 "$WORK_DIR"
APP_PID=""
PG_STARTED=0

log() { printf '[chaos] %s\n' "$*" >&2; }

cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM
    set +e
    [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
    [ "$PG_STARTED" = 1 ] && pg_stop "$WORK_DIR/pgdata"
    rm -rf "$WORK_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL and the service -------------------------------------------------
pg_setup_binaries
pg_init "$WORK_DIR/pgdata"
PG_STARTED=1
pg_start "$WORK_DIR/pgdata" "$WORK_DIR/postgres.log"
pg_create_db apportionment

PROJECT=src/Apportionment.Api/Apportionment.Api.csproj
log "building $PROJECT (Release)"
dotnet build "$PROJECT" -c Release -nologo -v quiet >&2
APP_DLL="$(dotnet msbuild "$PROJECT" -nologo -p:Configuration=Release -getProperty:TargetPath)"
APP_PORT="$(pg_free_port)"
BASE="http://127.0.0.1:$APP_PORT"
ADMIN_KEY="chaos-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
(
    cd "$(dirname "$APP_DLL")"
    ConnectionStrings__Apportionment="$(pg_conn_string apportionment)"
    export ConnectionStrings__Apportionment
    export Auth__AdminApiKey="$ADMIN_KEY" ASPNETCORE_URLS="$BASE" RateLimiting__PermitsPerSecond=100000
    export Logging__LogLevel__Default=Warning
    exec dotnet "$(basename "$APP_DLL")"
) >"$WORK_DIR/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && break
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE/health/ready" || { log "service did not become ready"; tail -n 30 "$WORK_DIR/app.log" >&2; exit 1; }
log "service ready on $BASE (pid $APP_PID)"

api() { curl -fsS -H "X-Api-Key: $ADMIN_KEY" -H 'Content-Type: application/json' "$@"; }
SUFFIX="$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')"
HOST="H$SUFFIX" PARTNER="P$SUFFIX" SERVICE="S$SUFFIX"
api -o /dev/null -X POST "$BASE/api/v1/councils" -d "{\"code\":\"$HOST\",\"name\":\"Host\"}"
api -o /dev/null -X POST "$BASE/api/v1/councils" -d "{\"code\":\"$PARTNER\",\"name\":\"Partner\"}"
api -o /dev/null -X POST "$BASE/api/v1/shared-services" \
    -d "{\"code\":\"$SERVICE\",\"name\":\"Chaos\",\"hostCouncil\":\"$HOST\",\"members\":[\"$HOST\",\"$PARTNER\"],\"startMonth\":\"2024-04\"}"

# --- load --------------------------------------------------------------------------
# One line per attempt in $WORK_DIR/attempts.<w>: "<key> <status> <retry-after>"; acknowledged keys in acked.<w>.
worker() {
    local w="$1" i key status retry_after tries
    for ((i = w; i < POSTINGS; i += WORKERS)); do
        key="chaos-$SUFFIX-$i"
        tries=0
        while :; do
            tries=$((tries + 1))
            status="$(curl -sS -o /dev/null -D "$WORK_DIR/h.$w" -w '%{http_code}' --max-time 30 \
                -H "X-Api-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
                -X POST "$BASE/api/v1/shared-services/$SERVICE/costs" \
                -d "{\"month\":\"2024-$(printf '%02d' $((4 + i % 9)))\",\"amount\":$((i % 997)).$((i % 100)),\"category\":\"chaos\",\"reference\":\"$key\"}" 2>/dev/null)" || status="${status:-000}"
            retry_after="$(tr -d '\r' <"$WORK_DIR/h.$w" 2>/dev/null | awk -F': ' 'tolower($1)=="retry-after"{print $2}')"
            echo "$key $status ${retry_after:--}" >>"$WORK_DIR/attempts.$w"
            case "$status" in
            201) echo "$key" >>"$WORK_DIR/acked.$w"; break ;;
            503) sleep "${retry_after:-1}" ;;
            000 | 5??) sleep 1 ;;
            *) break ;; # a 4xx is not retried: the request itself is wrong
            esac
            [ "$tries" -ge 60 ] && break
        done
    done
}

acked_count() { cat "$WORK_DIR"/acked.* 2>/dev/null | wc -l; }

chaos_monkey() {
    local restarts=0 target
    for target in $((POSTINGS / 3)) $((2 * POSTINGS / 3)); do
        while [ "$(acked_count)" -lt "$target" ]; do sleep 0.2; done
        log "restarting PostgreSQL after $(acked_count) acknowledged postings"
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATADIR" -l "$WORK_DIR/postgres.log" -m fast -w -t 60 restart >/dev/null
        restarts=$((restarts + 1))
    done
    echo "$restarts" >"$WORK_DIR/restarts"
}

STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
SECONDS=0
chaos_monkey &
MONKEY_PID=$!
WORKER_PIDS=()
for ((w = 0; w < WORKERS; w++)); do
    worker "$w" &
    WORKER_PIDS+=($!)
done
for pid in "${WORKER_PIDS[@]}"; do wait "$pid"; done
wait "$MONKEY_PID" || true
ELAPSED=$SECONDS

# --- verdict -------------------------------------------------------------------------
cat "$WORK_DIR"/attempts.* >"$WORK_DIR/attempts"
cat "$WORK_DIR"/acked.* 2>/dev/null | sort >"$WORK_DIR/acked" || true
sent="$(wc -l <"$WORK_DIR/attempts")"
created="$(awk '$2=="201"' "$WORK_DIR/attempts" | wc -l)"
unavailable_ra="$(awk '$2=="503" && $3!="-"' "$WORK_DIR/attempts" | wc -l)"
unavailable_no_ra="$(awk '$2=="503" && $3=="-"' "$WORK_DIR/attempts" | wc -l)"
other_5xx="$(awk '$2 ~ /^5/ && $2!="503"' "$WORK_DIR/attempts" | wc -l)"
conn_errors="$(awk '$2=="000"' "$WORK_DIR/attempts" | wc -l)"
client_4xx="$(awk '$2 ~ /^4/' "$WORK_DIR/attempts" | wc -l)"
acked="$(wc -l <"$WORK_DIR/acked")"

pg_psql -d apportionment -tA -c "select reference from cost_postings where service_code = '$SERVICE'" | sort >"$WORK_DIR/in_db"
in_db="$(wc -l <"$WORK_DIR/in_db")"
duplicates="$(uniq -d "$WORK_DIR/in_db" | wc -l)"
acked_missing="$(comm -23 "$WORK_DIR/acked" <(sort -u "$WORK_DIR/in_db") | wc -l)"
acked_once="$(comm -12 "$WORK_DIR/acked" <(uniq -u "$WORK_DIR/in_db") | wc -l)"
unacked_in_db="$(comm -13 "$WORK_DIR/acked" <(sort -u "$WORK_DIR/in_db") | wc -l)"

cat <<REPORT
chaos run started $STARTED_AT, ${ELAPSED}s, $POSTINGS postings, $WORKERS workers, PostgreSQL restarts: $(cat "$WORK_DIR/restarts" 2>/dev/null || echo 0)
requests sent:                 $sent
201 Created:                   $created
503 with Retry-After:          $unavailable_ra
503 without Retry-After:       $unavailable_no_ra
other 5xx:                     $other_5xx
connection errors / timeouts:  $conn_errors
4xx:                           $client_4xx
keys acknowledged:             $acked of $POSTINGS
postings in the database:      $in_db
duplicates:                    $duplicates
acknowledged keys in db once:  $acked_once
acknowledged keys missing:     $acked_missing
in db but never acknowledged:  $unacked_in_db
REPORT

if [ "$acked_once" -eq "$acked" ] && [ "$acked_missing" -eq 0 ] && [ "$duplicates" -eq 0 ] && [ "$other_5xx" -eq 0 ] \
    && [ "$unavailable_no_ra" -eq 0 ] && [ "$acked" -eq "$POSTINGS" ]; then
    echo "PASS"
else
    echo "FAIL"
    tail -n 40 "$WORK_DIR/app.log" >&2
    exit 1
fi
