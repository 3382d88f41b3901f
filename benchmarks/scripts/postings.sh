#!/usr/bin/env bash
# Single-posting benchmark: wrk POSTing one cost per request (unique Idempotency-Key each) at 16 and 64
# connections, against two baselines in the same run, with the same client counts:
#   - single-insert: pgbench inserting one cost_postings row per transaction (same table, same trigger, same spread
#     of services and months);
#   - same-SQL: pgbench running exactly the SQL the API sends for one posting with an Idempotency-Key, captured
#     from the API in this run (capture-sql.sh: same statements, same round trips, BEGIN/COMMIT as sent), with the
#     service, month, amount, posting id and idempotency key varied per transaction.
# Raw wrk/pgbench output, then one summary line per client count: ratios, API CPU per request, p99, load average.
#
#   benchmarks/scripts/postings.sh          [env: DURATION=30 CONNS="16 64" SCALE=0.1 SEED=42]
#   PERF_SECONDS=10 BENCH_KEEP=1 ...  also samples the API's CPU with perf during each run and prints where it went
#                                    (self time; both views beside perf.data): for the profile only, as perf costs CPU
#   EXPERIMENT_NOKEY=1 ...  then, in the same API process: postings with and without an Idempotency-Key, and the floor
#                          under every request (GET /api/v1/version: authenticated, one SQL statement), each with its
#                          CPU per request (and, with PERF_SECONDS, its profile)
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=benchmarks/scripts/capture-sql.sh
source "$(dirname "$0")/capture-sql.sh"
DURATION="${DURATION:-30}"
CONNS="${CONNS:-16 64}"
SCALE="${SCALE:-0.1}"
SEED="${SEED:-42}"
HERE="$(cd "$(dirname "$0")" && pwd -P)"

[ -z "${PERF_SECONDS:-}" ] || perf_prepare
BENCH_NEEDS="wrk" bench_init postings
bench_db bench
app_start bench
loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
SERVICES="$(pg_psql -d bench -tAc 'select count(*) from shared_services')"
# One year of history so the ledger is not empty (the trigger's upsert finds existing totals rows).
loadgen --scale "$SCALE" --seed "$SEED" --phases postings --first-year 2025 --last-year 2025 --copy --db "$(pg_conn_string bench)" >&2

cat >"$BENCH_DIR/insert.sql" <<SQL
\set s random(1, $SERVICES)
\set m random(0, 119)
\set a random(100, 2000099)
insert into cost_postings (id, service_code, month, amount, category, paid_by, reference, posted_at)
select gen_random_uuid(), code, (date '2016-04-01' + make_interval(months => :m))::date, :a / 100.0, 'staff', host_council, 'pgbench', now()
from shared_services where code = 'S' || lpad(:s::text, 4, '0');
SQL
cat "$BENCH_DIR/insert.sql"

# The same-SQL baseline: one posting as the API sends it, with distinctive values the rules below vary.
send_posting() { # URL LABEL
    curl -sS -w '\nHTTP %{http_code}\n' -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: same-sql-$2" -d '{"month":"2019-07","amount":4321.09,"category":"staff","reference":"same-sql"}' \
        "$1/api/v1/shared-services/S0001/costs"
}
# The payer is the captured service's host; the database checks it is a member of the service posted to (the
# service cache's check), so each transaction pays as the host of its own random service.
HOST="$(pg_psql -d bench -tAc "select host_council from shared_services where code = 'S0001'")"
cat >"$BENCH_DIR/posting.rules" <<RULES
\set s random(1, $SERVICES)
\set m random(0, 119)
\set a random(100, 2000099)
\set n random(1, 4611686018427387903)
S0001	'S' || lpad(:s::text, 4, '0')
2019-07-01	date '2016-04-01' + make_interval(months => :m)
4321.09	:a / 100.0
same-sql-capture	'same-sql-' || :n
$HOST	(select host_council from shared_services where code = 'S' || lpad(:s::text, 4, '0'))
RULES
capture_sql posting bench "$BENCH_DIR/posting.rules" send_posting

run_wrk() { # CONNECTIONS LABEL: the posting load (post-cost.lua sends "nokey" postings without an Idempotency-Key)
    wrk_measured "$2" -c"$1" -s "$HERE/post-cost.lua" "$APP_URL" -- "$Auth__AdminApiKey" "$SERVICES" "$2"
}

wrk_measured() { # LABEL WRK_ARGS...: wrk -t2 for DURATION, with the API's CPU per request -> WRK_OUT, WRK_CPU_MS
    local label="$1" cpu0 cpu1 out
    shift
    if [ -n "${PROFILE:-}" ] && [ -x "${COUNTERS:-/tmp/tools/dotnet-counters}" ]; then
        # Runtime counters over the middle of the run (dotnet tool install --tool-path /tmp/tools dotnet-counters).
        (sleep 5 && "${COUNTERS:-/tmp/tools/dotnet-counters}" collect -p "$APP_PID" --counters System.Runtime \
            --refresh-interval 10 --duration 00:00:00:10 --format csv -o "$BENCH_DIR/counters-$label.csv" >/dev/null 2>&1) &
    fi
    [ -z "${PERF_SECONDS:-}" ] || perf_sample "$APP_PID" "$PERF_SECONDS" "$BENCH_DIR/posting-$label" 5
    cpu0="$(app_cpu_ms "$APP_PID")"
    out="$(wrk -t2 -d"${DURATION}s" --latency "$@")"
    cpu1="$(app_cpu_ms "$APP_PID")"
    echo "$out"
    echo "$out" | awk -v cpu="$((cpu1 - cpu0))" '/requests in/ { printf "API process CPU: %d ms for %d requests = %.2f ms CPU per request\n", cpu, $1, cpu / $1 }'
    WRK_OUT="$out"
    WRK_CPU_MS="$((cpu1 - cpu0))"
    [ -z "${PERF_SECONDS:-}" ] || perf_report "$BENCH_DIR/posting-$label"
}

run_pgbench() { # CLIENTS MODE SCRIPT: raw output, kept in PGBENCH_OUT
    PGBENCH_OUT="$(PGPASSWORD=postgres "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M "$2" -c "$1" -j 2 -T "$DURATION" \
        -r -P 10 -f "$3" bench 2>&1)" || echo "pgbench exit code $?"
    echo "$PGBENCH_OUT"
}
SUMMARY=""

# Tiered compilation keeps promoting methods for tens of seconds; a 10 s warm-up left the first figure ~2x the CPU.
WARMUP="${WARMUP:-40}"
echo "=== warm-up: wrk ${WARMUP} s at 16 connections (not reported; JIT and tiered compilation) ==="
wrk -t2 -c16 -d"${WARMUP}s" -s "$HERE/post-cost.lua" "$APP_URL" -- "$Auth__AdminApiKey" "$SERVICES" warm | grep 'Requests/sec'

for c in $CONNS; do
    echo "=== wrk: POST /api/v1/shared-services/{code}/costs, $c connections, ${DURATION}s ==="
    curl -sS -o /dev/null -w 'warm-up request: %{http_code}\n' -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: warm-$c" -d '{"month":"2020-05","amount":1.00,"category":"staff"}' "$APP_URL/api/v1/shared-services/S0001/costs"
    run_wrk "$c" "c$c"
    api_load="$(loadavg)"
    requests="$(awk '/requests in/ {print $1}' <<<"$WRK_OUT")"
    echo "app: $(app_rss "$APP_PID")"
    echo "load average: $api_load"
    echo "=== pgbench single-insert: one-row insert into cost_postings, $c clients, ${DURATION}s ==="
    run_pgbench "$c" prepared "$BENCH_DIR/insert.sql"
    insert_tps="$(pgbench_tps "$PGBENCH_OUT")"
    insert_load="$(loadavg)"
    echo "load average: $insert_load"
    echo "=== pgbench same-SQL: the API's own statements for one posting, $c clients, ${DURATION}s, -M $CAPTURE_MODE ==="
    run_pgbench "$c" "$CAPTURE_MODE" "$BENCH_DIR/posting.sql"
    same_tps="$(pgbench_tps "$PGBENCH_OUT")"
    same_load="$(loadavg)"
    echo "load average: $same_load"
    api_rps="$(wrk_rps "$WRK_OUT")"
    SUMMARY="$SUMMARY$(printf '%s connections: API %s req/s (p99 %s ms, %s ms CPU/request; load %s); single-insert %s TPS (load %s); same-SQL %s TPS (load %s); API/single-insert = %s; API/same-SQL = %s' \
        "$c" "$api_rps" "$(wrk_p99 "$WRK_OUT")" "$(ratio "$WRK_CPU_MS" "${requests:-0}")" "$api_load" \
        "$insert_tps" "$insert_load" "$same_tps" "$same_load" "$(ratio "$api_rps" "$insert_tps")" "$(ratio "$api_rps" "$same_tps")")"$'\n'
done
echo "=== postings summary (duration ${DURATION}s each, scale $SCALE, seed $SEED) ==="
printf '%s' "$SUMMARY"
if [ -n "${EXPERIMENT_NOKEY:-}" ]; then
    echo "=== experiment: wrk at 16 connections WITH Idempotency-Key, then WITHOUT (no idempotency record), back to back ==="
    run_wrk 16 c16b
    run_wrk 16 nokey
    echo "=== experiment: framework floor, wrk GET /api/v1/version with the admin key (one SQL statement), 16 connections ==="
    wrk_measured floor -c16 -H "X-Api-Key: $Auth__AdminApiKey" "$APP_URL/api/v1/version"
fi
pg_psql -d bench -tAc "select 'postings ' || count(*) || ', totals check ' || ((select sum(amount) from cost_postings) = (select sum(amount) from cost_totals)) from cost_postings"
app_stop
