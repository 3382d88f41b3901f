#!/usr/bin/env bash
# Statement benchmark. Builds the scale model (default --scale 0.15: 57 councils, 300 services), loads ONE
# financial year (2025-26) of postings, measures council C001's 2025-26 recharge statement (1,000 sequential
# requests, p50/p99) and wrk load across 50 councils; then loads the other NINE years of the same services
# (2016-17..2024-25) and measures the very same statement again. Two API processes run side by side, measured one
# at a time: "kept" as deployed (a replica answers a statement it computed again while its ledger stamp is
# current, Features/Ledger/StatementCache.cs) and "read" with StatementCache__Entries=0, which reads the ledger for
# every request. Baselines each time: pgbench running the statement's cost_totals query directly, and two same-SQL
# baselines: pgbench running exactly the statements each API sends for one statement request (captured from it in
# this run by capture-sql.sh, same round trips), with the council varied over the same 50: "read" (ledger_rows) and
# "kept" (ledger_stamp). Each wrk figure is followed by the baselines at the same connection count and ratio lines.
# Ends with EXPLAIN (ANALYZE, BUFFERS) of the statement's real queries, captured by auto_explain.
#
#   benchmarks/scripts/statements.sh        [env: SCALE=0.15 SEED=42 DURATION=30 CONNS=16 COUNCILS=50 REQUESTS=1000]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=benchmarks/scripts/capture-sql.sh
source "$(dirname "$0")/capture-sql.sh"
SCALE="${SCALE:-0.15}"
SEED="${SEED:-42}"
DURATION="${DURATION:-30}"
CONNS="${CONNS:-16}"
COUNCILS="${COUNCILS:-50}"
REQUESTS="${REQUESTS:-1000}"
PERIOD=2025-26
HERE="$(cd "$(dirname "$0")" && pwd -P)"

BENCH_NEEDS="wrk" bench_init statements
bench_db bench
app_start bench
StatementCache__Entries=0 app_start bench read
DB="$(pg_conn_string bench)"
loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2

# The statement's ledger query, as LedgerReader sends it: cost_totals of the council's services for the year.
cat >"$BENCH_DIR/one.sql" <<'SQL'
select t.service_code, t.month, t.paid_by, t.amount from cost_totals t
where t.service_code = any (array(select m.service_code from service_members m where m.council = 'C001'))
  and t.month >= date '2025-04-01' and t.month <= date '2026-03-01';
SQL
cat >"$BENCH_DIR/many.sql" <<SQL
\set c random(1, $COUNCILS)
select t.service_code, t.month, t.paid_by, t.amount from cost_totals t
where t.service_code = any (array(select m.service_code from service_members m where m.council = 'C' || lpad(:c::text, 3, '0')))
  and t.month >= date '2025-04-01' and t.month <= date '2026-03-01';
SQL

api_url() { if [ "$1" = kept ]; then printf '%s' "$APP_URL"; else app_url "$1"; fi; }
api_pid() { if [ "$1" = kept ]; then printf '%s' "$APP_PID"; else app_pid "$1"; fi; }

pgbench_pct() { # LOGPREFIX: p50/p99 of per-transaction latencies (µs, 3rd column) from pgbench -l logs
    cat "$1".* | awk '{print $3}' | sort -n | awk '{a[NR] = $1} END {
        i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999);
        printf "pgbench per-transaction latency over %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", NR, a[i50] / 1000, a[i99] / 1000, a[NR] / 1000 }'
    rm -f "$1".*
}

measure() { # LABEL
    local label="$1"
    pg_psql -d bench -c 'vacuum analyze' >/dev/null
    echo "=== [$label] history: $(pg_psql -d bench -tAc "select count(*) || ' postings, ' || (select count(*) from cost_totals) || ' cost_totals rows, ' || (select count(*) from activity_returns) || ' activity returns' from cost_postings")"
    echo "C001 belongs to $(pg_psql -d bench -tAc "select count(*) from service_members where council = 'C001'") services"
    local api
    for api in kept read; do
        echo "--- [$label] API ($api): $REQUESTS sequential GETs of C001's $PERIOD statement"
        APP_URL="$(api_url "$api")" loadgen --phases measure \
            --path "/api/v1/councils/C001/recharge-statements/$PERIOD" --requests "$REQUESTS"
    done
    echo "--- [$label] baseline: pgbench, the statement's cost_totals query for C001, 1 client, $REQUESTS transactions"
    (cd "$BENCH_DIR" && PGPASSWORD=postgres "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c 1 -t "$REQUESTS" \
        -l --log-prefix=onelog -f one.sql bench >pgbench-one.out 2>&1) || echo "pgbench exit code $?"
    grep -E 'latency|tps|transactions actually|rror' "$BENCH_DIR/pgbench-one.out" || cat "$BENCH_DIR/pgbench-one.out"
    pgbench_pct "$BENCH_DIR/onelog" || true
    local -A rps p99 load
    for api in kept read; do
        echo "--- [$label] API ($api): wrk, $CONNS connections, ${DURATION}s, random council of C001..C0$COUNCILS"
        local pid cpu0 out
        pid="$(api_pid "$api")"
        cpu0="$(app_cpu_ms "$pid")"
        out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/statement.lua" "$(api_url "$api")" -- "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD")"
        echo "$out"
        rps[$api]="$(wrk_rps "$out")"
        p99[$api]="$(wrk_p99 "$out")"
        load[$api]="$(loadavg)"
        echo "app ($api): $(app_rss "$pid"); API CPU per request: $(awk -v c="$(( $(app_cpu_ms "$pid") - cpu0 ))" \
            -v n="$(awk '/requests in/ {print $1}' <<<"$out")" 'BEGIN { printf "%.3f ms", c / n }'); load average: ${load[$api]}"
    done
    echo "--- [$label] baseline: pgbench, the same query for a random council of $COUNCILS, $CONNS clients, ${DURATION}s"
    PGPASSWORD=postgres "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNS" -j 2 -T "$DURATION" \
        -f "$BENCH_DIR/many.sql" bench >"$BENCH_DIR/pgbench-many.out" 2>&1 || echo "pgbench exit code $?"
    grep -E 'latency|tps|transactions actually|rror' "$BENCH_DIR/pgbench-many.out" || cat "$BENCH_DIR/pgbench-many.out"
    local query_tps query_load
    query_tps="$(pgbench_tps "$(cat "$BENCH_DIR/pgbench-many.out")")"
    query_load="$(loadavg)"
    echo "load average: $query_load"
    local -A same same_load
    for api in kept read; do
        echo "--- [$label] baseline: pgbench same-SQL ($api), the API's own statements for a random council" \
            "of $COUNCILS, $CONNS clients, ${DURATION}s, -M $CAPTURE_MODE"
        PGPASSWORD=postgres "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M "$CAPTURE_MODE" -c "$CONNS" -j 2 -T "$DURATION" \
            -r -f "$BENCH_DIR/statement-$api.sql" bench >"$BENCH_DIR/pgbench-same.out" 2>&1 || echo "pgbench exit code $?"
        cat "$BENCH_DIR/pgbench-same.out"
        same[$api]="$(pgbench_tps "$(cat "$BENCH_DIR/pgbench-same.out")")"
        same_load[$api]="$(loadavg)"
        echo "load average: ${same_load[$api]}"
    done
    local line='[%s] %s, %s connections: API %s req/s (p99 %s ms; load %s); query %s TPS (load %s);'
    line+=' same-SQL %s TPS (load %s); API/query = %s; API/same-SQL = %s'
    for api in kept read; do
        # shellcheck disable=SC2059 # the format is the summary line built just above, one place for both rows
        SUMMARY="$SUMMARY$(printf "$line" \
            "$label" "$api" "$CONNS" "${rps[$api]}" "${p99[$api]}" "${load[$api]}" "$query_tps" "$query_load" \
            "${same[$api]}" "${same_load[$api]}" "$(ratio "${rps[$api]}" "$query_tps")" "$(ratio "${rps[$api]}" "${same[$api]}")")"$'\n'
        echo "ratio $(tail -n 1 <<<"${SUMMARY%$'\n'}")"
    done
    SUMMARY="$SUMMARY$(printf '[%s] req/s kept / read = %s' "$label" "$(ratio "${rps[kept]}" "${rps[read]}")")"$'\n'
}
SUMMARY=""

# The same-SQL baseline: one statement request as the API sends it, the council varied like many.sql.
send_statement() { # URL LABEL
    curl -sS -o /dev/null -w 'statement: HTTP %{http_code}\n' -H "X-Api-Key: $Auth__AdminApiKey" \
        "$1/api/v1/councils/C001/recharge-statements/$PERIOD"
}
cat >"$BENCH_DIR/statement.rules" <<RULES
\set c random(1, $COUNCILS)
C001	'C' || lpad(:c::text, 3, '0')
KEEP	*
RULES

# Phase 1: one year of history.
loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2025 --last-year 2025 --copy --db "$DB" >&2
# Captured once: the statements and their values do not depend on how many years of history lie behind 2025-26.
# "kept": a statement the replica holds, checked against its ledger stamp (the warm request keeps C001's statement).
capture_sql statement-kept bench "$BENCH_DIR/statement.rules" send_statement
# "read": the whole ledger read, as every request of a replica keeping nothing.
StatementCache__Entries=0 capture_sql statement-read bench "$BENCH_DIR/statement.rules" send_statement
measure "1 year"

# Phase 2: the other nine years of the same services (deterministic: 2025-26 is unchanged).
loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2016 --last-year 2024 --copy --db "$DB" >&2
measure "10 years"

echo "=== EXPLAIN (ANALYZE, BUFFERS) of the statement's queries (auto_explain, one request, 10 years loaded)"
pg_psql -d postgres -c "alter system set auto_explain.log_min_duration = 0" -c "alter system set auto_explain.log_analyze = on" \
    -c "alter system set auto_explain.log_buffers = on" -c "select pg_reload_conf()" >/dev/null
sleep 1
mark="$(wc -l <"$BENCH_DIR/postgres.log")"
curl -sS -o /dev/null -w 'statement: %{http_code} %{time_total}s\n' -H "X-Api-Key: $Auth__AdminApiKey" \
    "$(app_url read)/api/v1/councils/C001/recharge-statements/$PERIOD"
sleep 1
pg_psql -d postgres -c "alter system reset all" -c "select pg_reload_conf()" >/dev/null
tail -n +"$((mark + 1))" "$BENCH_DIR/postgres.log" | sed 's/^[0-9-]* [0-9:.]* UTC \[[0-9]*\] //'
echo "=== statements summary (scale $SCALE, seed $SEED, ${DURATION}s each) ==="
printf '%s' "$SUMMARY"
app_stop read
app_stop
