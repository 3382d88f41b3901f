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
# shellcheck source=scripts/lib/chaos.sh
source scripts/lib/chaos.sh

POSTINGS="${1:-2000}"
WORKERS="${2:-4}"

# --- PostgreSQL and the service -------------------------------------------------
chaos_start
# shellcheck disable=SC2119 # no extra settings for the service
chaos_start_service

chaos_partnership

# --- load --------------------------------------------------------------------------
worker() {
    local w="$1" i key
    for ((i = w; i < POSTINGS; i += WORKERS)); do
        key="chaos-$SUFFIX-$i"
        chaos_post_acknowledged "$w" "$key" "$BASE/api/v1/shared-services/$SERVICE/costs" \
            "{\"month\":\"2024-$(printf '%02d' $((4 + i % 9)))\",\"amount\":$((i % 997)).$((i % 100)),\"category\":\"chaos\",\"reference\":\"$key\"}"
    done
}

chaos_run_load "$POSTINGS" "$WORKERS" worker
ELAPSED=$SECONDS

# --- verdict -------------------------------------------------------------------------
chaos_request_summary
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
