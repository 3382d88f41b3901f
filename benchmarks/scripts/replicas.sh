#!/usr/bin/env bash
# Two replicas: one throwaway PostgreSQL, two API processes (Release) on two ports and a loopback haproxy on a third
# (roundrobin, health check GET /health/ready, X-Replica response header naming the replica that answered).
# In one run:
#   1. postings (wrk POST /costs, unique Idempotency-Key each) at CONNS connections, against replica a directly,
#      then through the balancer over both replicas;
#   2. statements (wrk GET a random council's 2025-26 recharge statement) the same way;
#   3. reads on a standby (STANDBY=1, the default): a streaming standby of the primary (pg_basebackup -R) and a third
#      API process with ConnectionStrings__ApportionmentRead pointing at it; the same statements wrk against it
#      directly, beside step 2's one-replica figure against the primary alone (the standby's own transaction count
#      shows the reads went there); then step 1's postings wrk against replica a and against that third process, one
#      after the other with the standby up: with a read side every successful write answers with a Read-After-Lsn
#      header, and a posting (one batch, no transaction) asks the primary for that position in one more round trip.
#      One curl POST to each of the third process and replica a shows the header is there and only there;
#   4. RACES times, the same Idempotency-Key and body sent to both replicas at once (one curl, two parallel
#      transfers, one per replica port): both answers printed (expected: 201 twice with the same posting id) and
#      the cost_postings rows with that reference counted (expected: exactly 1).
# Each figure with /proc/loadavg and the CPU every running API process used per request; then a summary with the
# ratios two replicas / one replica, reads on a standby / primary alone and postings with a read side / without. On a
# 2-core machine two replicas share the same cores with PostgreSQL, wrk and haproxy, and a standby shares them with
# its primary, so the ratios show the cost of the second process, the balancer or the second server, not added
# capacity. The postings pair of step 3 runs under the same conditions (the standby replaying, three API processes
# counted in the CPU), so its ratio is the round trip's.
#
#   benchmarks/scripts/replicas.sh          [env: DURATION=30 CONNS=16 SCALE=0.15 SEED=42 COUNCILS=50 RACES=5 WARMUP=10
#                                                 STANDBY=1]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
DURATION="${DURATION:-30}"
CONNS="${CONNS:-16}"
SCALE="${SCALE:-0.15}"
SEED="${SEED:-42}"
COUNCILS="${COUNCILS:-50}"
RACES="${RACES:-5}"
WARMUP="${WARMUP:-10}"
STANDBY="${STANDBY:-1}"
HAPROXY="${HAPROXY:-/usr/sbin/haproxy}"
PERIOD=2025-26
HERE="$(cd "$(dirname "$0")" && pwd -P)"

BENCH_NEEDS="wrk haproxy" bench_init replicas
bench_db bench
app_start bench a # first, alone: it applies the migrations
app_start bench b
A="$(app_url a)"
B="$(app_url b)"
APP_URL="$A" loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
SERVICES="$(pg_psql -d bench -tAc 'select count(*) from shared_services')"
APP_URL="$A" loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2025 --last-year 2025 \
    --copy --db "$(pg_conn_string bench)" >&2
pg_psql -d bench -c 'vacuum analyze' >/dev/null

LB_PORT="$(pg_free_port)"
LB="http://127.0.0.1:$LB_PORT"
STATS_PORT="$(pg_free_port)"
cat >"$BENCH_DIR/haproxy.cfg" <<CFG
global
    maxconn 2000
    nbthread ${LB_THREADS:-1}

defaults
    mode http
    option http-keep-alive
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # Generous: a loaded 2-core box can take over a second to answer, and a replica marked down mid-run would
    # turn "two replicas" into one.
    timeout check 5s

frontend api
    bind 127.0.0.1:$LB_PORT
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    http-response set-header X-Replica %s
    server a ${A#http://} check inter 2s
    server b ${B#http://} check inter 2s

listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
CFG
echo "=== haproxy $("$HAPROXY" -v | awk 'NR == 1 {print $3}') config ($BENCH_DIR/haproxy.cfg)"
cat "$BENCH_DIR/haproxy.cfg"
"$HAPROXY" -c -q -f "$BENCH_DIR/haproxy.cfg"
"$HAPROXY" -db -f "$BENCH_DIR/haproxy.cfg" >"$BENCH_DIR/haproxy.log" 2>&1 &
LB_PID=$!
bench_track_pid "$LB_PID"
for _ in $(seq 1 40); do
    curl -fsS -o /dev/null "$LB/health/ready" 2>/dev/null && break
    sleep 0.25
done
sleep 2 # a few health checks of both servers
echo "round robin: $(for _ in 1 2 3 4; do curl -sS -D - -o /dev/null "$LB/health/ready" | tr -d '\r' | sed -n 's/^[Xx]-[Rr]eplica: //p'; done | tr '\n' ' ')"

declare -A FIGURE P99 CPU_PER_REQUEST # label -> requests/s, p99 in ms, API CPU ms per request
cpu_ms() { # user+system CPU of every API process still running, in ms
    local total=0 name pid
    for name in $APP_NAMES; do
        pid="$(app_pid "$name")"
        [ -n "$pid" ] && total=$((total + $(app_cpu_ms "$pid")))
    done
    echo "$total"
}

# measure LABEL URL LUA ARGS...: wrk at CONNS connections; raw output, then a figure line (requests/s in FIGURE,
# p99 in P99, CPU per request in CPU_PER_REQUEST, for the summary).
measure() {
    local label="$1" url="$2" lua="$3" out cpu0 cpu1 requests load
    shift 3
    echo "=== [$label] wrk, $CONNS connections, ${DURATION}s, $url"
    cpu0="$(cpu_ms)"
    out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/$lua" "$url" -- "$@")"
    cpu1="$(cpu_ms)"
    load="$(loadavg)"
    echo "$out"
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    FIGURE[$label]="$(wrk_rps "$out")"
    P99[$label]="$(wrk_p99 "$out")"
    CPU_PER_REQUEST[$label]="$(ratio "$((cpu1 - cpu0))" "${requests:-0}")"
    printf '[%s] %s req/s, p99 %s ms, API CPU (all processes) %s ms/request, load average %s\n' \
        "$label" "${FIGURE[$label]}" "${P99[$label]}" "${CPU_PER_REQUEST[$label]}" "$load" | tee -a "$BENCH_DIR/figures"
}

unique_key() { printf '%s-%s' "$1" "$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"; } # PREFIX

# read_after_lsn NAME URL: one posting POSTed to URL; its status line and Read-After-Lsn header (or that it has none),
# on the figures too. A wrk figure alone would not show whether the answers it counted carried the header.
read_after_lsn() {
    local key headers
    key="$(unique_key lsn-check)"
    headers="$(curl -sS -D - -o /dev/null -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "{\"month\":\"2024-06\",\"amount\":1.00,\"category\":\"staff\",\"reference\":\"$key\"}" \
        "$2/api/v1/shared-services/S0001/costs" | tr -d '\r')"
    printf '[header check] %s: %s; %s\n' "$1" "$(head -n 1 <<<"$headers")" \
        "$(grep -i '^read-after-lsn:' <<<"$headers" || echo 'no Read-After-Lsn header')" | tee -a "$BENCH_DIR/figures"
}

echo "=== warm-up (not reported): ${WARMUP}s of postings and ${WARMUP}s of statements through the balancer"
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$HERE/post-cost.lua" "$LB" -- "$Auth__AdminApiKey" "$SERVICES" warm | grep 'Requests/sec'
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$HERE/statement.lua" "$LB" -- "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD" | grep 'Requests/sec'

measure "postings one" "$A" post-cost.lua "$Auth__AdminApiKey" "$SERVICES" one
measure "postings two" "$LB" post-cost.lua "$Auth__AdminApiKey" "$SERVICES" two
measure "statements one" "$A" statement.lua "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD"
measure "statements two" "$LB" statement.lua "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD"

standby_commits() { PG_PORT="$PG_STANDBY_PORT" pg_psql -d postgres -tAc "select xact_commit from pg_stat_database where datname = 'bench'"; }
if [ "$STANDBY" = 1 ]; then
    echo "=== reads on a streaming standby: pg_basebackup of the primary, a third API process reading there"
    pg_start_standby "$BENCH_DIR/standby" "$BENCH_DIR/standby.log" -c shared_buffers=1GB -c max_connections=300
    BENCH_DATADIRS="${BENCH_DATADIRS:-} $PG_STANDBY_DATADIR"
    ConnectionStrings__ApportionmentRead="$(PG_PORT="$PG_STANDBY_PORT" pg_conn_string bench);Maximum Pool Size=100"
    export ConnectionStrings__ApportionmentRead
    app_start bench r
    unset ConnectionStrings__ApportionmentRead
    R="$(app_url r)"
    echo "primary 127.0.0.1:$PG_PORT, standby 127.0.0.1:$PG_STANDBY_PORT ($(pg_psql -d postgres -tAc \
        "select string_agg(application_name || ' ' || state, ', ') from pg_stat_replication"))"
    echo "warm-up (not reported): ${WARMUP}s of statements against the API reading on the standby"
    wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$HERE/statement.lua" "$R" -- "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD" | grep 'Requests/sec'
    before="$(standby_commits)"
    measure "statements standby" "$R" statement.lua "$Auth__AdminApiKey" "$COUNCILS" "$PERIOD"
    echo "[statements standby] transactions on the standby's bench database during the run: $(($(standby_commits) - before))" \
        | tee -a "$BENCH_DIR/figures"
    # After the statements, so that the WAL these postings write is not replayed during them (as before this step).
    echo "=== postings with a read side: the Read-After-Lsn round trip, against replica a in the same conditions"
    read_after_lsn "API with a read side" "$R"
    read_after_lsn "replica a (no read side)" "$A"
    echo "warm-up (not reported): ${WARMUP}s of postings against the API with a read side"
    wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$HERE/post-cost.lua" "$R" -- "$Auth__AdminApiKey" "$SERVICES" warm-standby | grep 'Requests/sec'
    # Replica a again, now under the same conditions as the run with a read side (the standby replaying, three API
    # processes counted): the pair differs only in the Read-After-Lsn round trip.
    measure "postings no read side" "$A" post-cost.lua "$Auth__AdminApiKey" "$SERVICES" primary-again
    measure "postings standby" "$R" post-cost.lua "$Auth__AdminApiKey" "$SERVICES" standby
    app_stop r
fi

echo "=== the same Idempotency-Key sent to both replicas at once ($RACES times)"
races_ok=0
for r in $(seq 1 "$RACES"); do
    key="$(unique_key "race-$r")"
    # One curl, two transfers started together (--parallel-immediate): replica a and replica b, same key, same body.
    curl -sS --no-progress-meter --parallel --parallel-immediate -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "{\"month\":\"2024-06\",\"amount\":12.34,\"category\":\"staff\",\"reference\":\"$key\"}" \
        -w '%{url_effective} HTTP %{http_code} %{time_total}s\n' \
        -o "$BENCH_DIR/race-a.json" "$A/api/v1/shared-services/S0001/costs" \
        -o "$BENCH_DIR/race-b.json" "$B/api/v1/shared-services/S0001/costs"
    echo "replica a answered: $(cat "$BENCH_DIR/race-a.json")"
    echo "replica b answered: $(cat "$BENCH_DIR/race-b.json")"
    rows="$(pg_psql -d bench -tAc "select count(*) from cost_postings where reference = '$key'")"
    id_a="$(grep -o '"id":"[^"]*"' "$BENCH_DIR/race-a.json" | head -n 1)"
    id_b="$(grep -o '"id":"[^"]*"' "$BENCH_DIR/race-b.json" | head -n 1)"
    if [ "$rows" = 1 ] && [ -n "$id_a" ] && [ "$id_a" = "$id_b" ]; then
        verdict="one posting, the same id in both answers"
        races_ok=$((races_ok + 1))
    else
        verdict="NOT exactly one posting with one id"
    fi
    echo "race $r: key $key: cost_postings rows with that reference = $rows; $verdict"
done

echo "=== replicas summary (scale $SCALE, seed $SEED, ${DURATION}s each, $CONNS connections) ==="
cat "$BENCH_DIR/figures"
echo "postings: two replicas / one replica = $(ratio "${FIGURE[postings two]}" "${FIGURE[postings one]}")"
echo "statements: two replicas / one replica = $(ratio "${FIGURE[statements two]}" "${FIGURE[statements one]}")"
if [ "$STANDBY" = 1 ]; then
    echo "statements: reads on the standby / primary alone (one API process each) = $(ratio \
        "${FIGURE[statements standby]}" "${FIGURE[statements one]}")"
    printf '%s %s req/s, p99 %s ms, %s ms CPU/request; replica a in the same step, without one: %s req/s, p99 %s ms, %s ms CPU/request; %s\n' \
        'postings with a read side (Read-After-Lsn round trip):' \
        "${FIGURE[postings standby]}" "${P99[postings standby]}" "${CPU_PER_REQUEST[postings standby]}" \
        "${FIGURE[postings no read side]}" "${P99[postings no read side]}" "${CPU_PER_REQUEST[postings no read side]}" \
        "with / without = $(ratio "${FIGURE[postings standby]}" "${FIGURE[postings no read side]}") req/s, $(ratio \
        "${CPU_PER_REQUEST[postings standby]}" "${CPU_PER_REQUEST[postings no read side]}") CPU/request"
fi
echo "idempotency races: $races_ok of $RACES gave exactly one posting and the same id from both replicas"
echo "haproxy per replica (total sessions, 2xx answers, status; from its stats CSV):"
curl -sS "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == "replicas" && $2 != "FRONTEND" { printf "  %s: %s sessions, %s 2xx, %s\n", $2, $col["stot"], $col["hrsp_2xx"], $col["status"] }'
echo "haproxy log (a replica marked DOWN during a measurement invalidates the two-replica figure):"
cat "$BENCH_DIR/haproxy.log"
pg_psql -d bench -tAc "select 'postings ' || count(*) || ', totals check ' || ((select sum(amount) from cost_postings) = (select sum(amount) from cost_totals)) from cost_postings"
kill "$LB_PID" 2>/dev/null
app_stop a
app_stop b
