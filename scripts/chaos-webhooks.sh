#!/usr/bin/env bash
# Chaos run for webhooks: cost batches flow, each committing a cost-batch.accepted event into the outbox, while
# PostgreSQL restarts twice; a receiver on loopback takes the deliveries.
#
#   scripts/chaos-webhooks.sh [BATCHES] [WORKERS]     (defaults: 600 batches, 4 workers)
#
# Uses the helpers of scripts/chaos.sh (scripts/lib/chaos.sh): a private PostgreSQL and the Release service, with the
# dispatcher's retry schedule shortened (1 s doubling to 5 s). Each batch is posted with its own Idempotency-Key and
# retried until 201. The receiver (python3, loopback, allow-listed) answers 500 to about one request in ten, so
# retries happen on purpose too, and logs every request it gets.
#
# Pass: every committed batch has exactly one event in the outbox and was delivered (answered 2xx); no batch arrived
# under two different webhook-ids (the same id twice is allowed: delivery is at least once); every acknowledged key
# is committed. Not run by scripts/test.sh. Needs curl, python3 and the PostgreSQL server binaries.
# shellcheck disable=SC2317
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/chaos.sh
source scripts/lib/chaos.sh

BATCHES="${1:-600}"
WORKERS="${2:-4}"

chaos_start

# --- the receiver ---------------------------------------------------------------------
RECEIVER_PORT="$(pg_free_port)"
cat >"$WORK_DIR/receiver.py" <<'PY'
import json, random, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = open(sys.argv[2], "a", buffering=1)
lock = threading.Lock()
rng = random.Random(17)

class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        data = json.loads(body)["data"]
        with lock:
            status = 500 if rng.random() < 0.1 else 204
            log.write(f"{self.headers['webhook-id']} {data['batchId']} {status}\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
PY
python3 "$WORK_DIR/receiver.py" "$RECEIVER_PORT" "$WORK_DIR/received" &
CHAOS_EXTRA_PID=$!
RECEIVER="http://127.0.0.1:$RECEIVER_PORT/hooks"

chaos_start_service Webhooks__AllowedHosts__0=127.0.0.1 Webhooks__PollInterval=00:00:00.2 \
    Webhooks__FirstRetryDelay=00:00:01 Webhooks__MaxRetryDelay=00:00:05 Webhooks__MaxAttempts=100

chaos_partnership
chaos_api -o /dev/null -X POST "$BASE/api/v1/webhooks" -d "{\"council\":\"$PARTNER\",\"url\":\"$RECEIVER\",\"events\":[\"cost-batch.accepted\"]}"

# --- load --------------------------------------------------------------------------
worker() {
    local w="$1" i
    for ((i = w; i < BATCHES; i += WORKERS)); do
        chaos_post_acknowledged "$w" "chaos-wh-$SUFFIX-$i" "$BASE/api/v1/cost-batches" \
            "[{\"service\":\"$SERVICE\",\"month\":\"2024-$(printf '%02d' $((4 + i % 9)))\",\"amount\":$((i % 997)).$((i % 100)),\"category\":\"chaos\",\"reference\":\"chaos-wh-$i\"}]"
    done
}

chaos_run_load "$BATCHES" "$WORKERS" worker
LOAD_ELAPSED=$SECONDS

# Wait for the outbox to drain: no delivery still pending (at most 3 minutes).
for _ in $(seq 1 360); do
    pending="$(pg_psql -d apportionment -tA -c "select count(*) from webhook_deliveries where status = 'pending'")"
    [ "$pending" = 0 ] && break
    sleep 0.5
done
ELAPSED=$SECONDS

# --- verdict -------------------------------------------------------------------------
chaos_request_summary
pg_psql -d apportionment -tA -c "select distinct batch_id from cost_postings where service_code = '$SERVICE'" | sort >"$WORK_DIR/committed"
pg_psql -d apportionment -tA -c "select body::json->'data'->>'batchId' from webhook_events where service_code = '$SERVICE' and type = 'cost-batch.accepted'" \
    | sort >"$WORK_DIR/events"
pg_psql -d apportionment -tA -c "select status, count(*) from webhook_deliveries group by status order by status" >"$WORK_DIR/statuses"
pg_psql -d apportionment -tA -c "select count(*) from webhook_attempts" >"$WORK_DIR/attempt_rows"
awk '$3 ~ /^2/ {print $2}' "$WORK_DIR/received" | sort -u >"$WORK_DIR/delivered"

committed="$(wc -l <"$WORK_DIR/committed")"
events="$(wc -l <"$WORK_DIR/events")"
events_duplicated="$(uniq -d "$WORK_DIR/events" | wc -l)"
committed_without_event="$(comm -23 "$WORK_DIR/committed" <(sort -u "$WORK_DIR/events") | wc -l)"
events_without_change="$(comm -13 "$WORK_DIR/committed" <(sort -u "$WORK_DIR/events") | wc -l)"
committed_undelivered="$(comm -23 "$WORK_DIR/committed" "$WORK_DIR/delivered" | wc -l)"
requests="$(wc -l <"$WORK_DIR/received")"
refused="$(awk '$3 !~ /^2/' "$WORK_DIR/received" | wc -l)"
same_id_again="$(awk '$3 ~ /^2/ {print $1}' "$WORK_DIR/received" | sort | uniq -d | wc -l)"
two_ids="$(awk '{print $2, $1}' "$WORK_DIR/received" | sort -u | awk '{print $1}' | uniq -d | wc -l)"

cat <<REPORT
webhook chaos run started $STARTED_AT, load ${LOAD_ELAPSED}s, drained by ${ELAPSED}s, $BATCHES batches, $WORKERS workers, PostgreSQL restarts: $(cat "$WORK_DIR/restarts" 2>/dev/null || echo 0)
requests sent:                     $sent
201 Created:                       $created
503 with Retry-After:              $unavailable_ra
503 without Retry-After:           $unavailable_no_ra
other 5xx:                         $other_5xx
connection errors / timeouts:      $conn_errors
4xx:                               $client_4xx
keys acknowledged:                 $acked of $BATCHES
batches committed:                 $committed
events in the outbox:              $events
events duplicated:                 $events_duplicated
committed without an event:        $committed_without_event
events without a committed batch:  $events_without_change
deliveries by status:              $(tr '\n' ' ' <"$WORK_DIR/statuses")
attempts recorded:                 $(cat "$WORK_DIR/attempt_rows")
requests at the receiver:          $requests (answered 500 on purpose: $refused)
committed batches not delivered:   $committed_undelivered
delivered again with the same id:  $same_id_again
batches under two different ids:   $two_ids
REPORT

if [ "$acked" -eq "$BATCHES" ] && [ "$committed" -eq "$acked" ] && [ "$events" -eq "$committed" ] && [ "$events_duplicated" -eq 0 ] \
    && [ "$committed_without_event" -eq 0 ] && [ "$events_without_change" -eq 0 ] && [ "$committed_undelivered" -eq 0 ] \
    && [ "$two_ids" -eq 0 ] && [ "$other_5xx" -eq 0 ] && [ "$unavailable_no_ra" -eq 0 ]; then
    echo "PASS"
else
    echo "FAIL"
    tail -n 40 "$WORK_DIR/app.log" >&2
    exit 1
fi
