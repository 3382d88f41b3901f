#!/usr/bin/env bash
# Overheads benchmark (issue 14: "a council statement with overheads stays within 2x the time of today's statement for
# the same services", a same-run ratio). Builds the scale model (default --scale 0.15), loads one financial year
# (2025-26) of postings and measures council C001's 2025-26 recharge statement: REQUESTS sequential GETs (p50/p99)
# and wrk with CONNS connections for DURATION seconds. Then, through the API, adds two support services that support
# each other (a cycle, solved reciprocally) and every service C001 belongs to: an admin team split by a driver
# (admin-hours, reported every month) and IT by fixed percentages, both with costs every month. Measures the very same
# statement again and prints both, with the ratio with-overheads / without. C001 is a member of both support services,
# so its statement also lists their two lines, as a real council's would.
# /proc/loadavg is printed with each figure: compare figures only from a quiet machine.
#
#   benchmarks/scripts/overheads.sh        [env: SCALE=0.15 SEED=42 DURATION=30 CONNS=16 REQUESTS=1000]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
SCALE="${SCALE:-0.15}"
SEED="${SEED:-42}"
DURATION="${DURATION:-30}"
CONNS="${CONNS:-16}"
REQUESTS="${REQUESTS:-1000}"
PERIOD=2025-26
COUNCIL=C001
STATEMENT="/api/v1/councils/$COUNCIL/recharge-statements/$PERIOD"
MONTHS=(2025-{04..12} 2026-{01..03})
ADMIN=OH-ADMIN
IT=OH-IT
HERE="$(cd "$(dirname "$0")" && pwd -P)"

api() { curl -fsS -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' "$@"; }
loadavg() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

# Proposes an agreement for SERVICE and approves it for both members: it is then in force.
agree() { # SERVICE JSON
    local id council
    id="$(api -X POST "$APP_URL/api/v1/shared-services/$1/agreements" -d "$2" | jq -r .id)"
    for council in C001 C002; do
        api -o /dev/null -X POST "$APP_URL/api/v1/shared-services/$1/agreements/$id/approvals" -d "{\"council\":\"$council\"}"
    done
}

add_overheads() {
    local services s m i n each first bp quantities supports costs=""
    mapfile -t services < <(pg_psql -d bench -tAc "select service_code from service_members where council = '$COUNCIL' order by 1")
    n=${#services[@]}
    for s in "$ADMIN" "$IT"; do
        api -o /dev/null -X POST "$APP_URL/api/v1/shared-services" -d "{\"code\":\"$s\",\"name\":\"Support $s\",\"hostCouncil\":\"C001\",\"members\":[\"C001\",\"C002\"],\"startMonth\":\"2025-04\"}"
    done

    # Admin: by admin-hours to IT and every service of the council; IT: 10% to admin, 90% shared by the services in
    # basis points (the first takes the remainder, so the percentages add up to exactly 100).
    supports="{\"service\":\"$IT\"}"
    for s in "${services[@]}"; do supports+=",{\"service\":\"$s\"}"; done
    agree "$ADMIN" "{\"effectiveFrom\":\"2025-04\",\"method\":\"driver\",\"driver\":\"admin-hours\",\"supports\":[$supports]}"
    each=$((9000 / n))
    first=$((9000 - (n - 1) * each))
    supports="{\"service\":\"$ADMIN\",\"percent\":10}"
    for i in "${!services[@]}"; do
        [ "$i" = 0 ] && bp=$first || bp=$each
        supports+=",{\"service\":\"${services[$i]}\",\"percent\":$(printf '%d.%02d' $((bp / 100)) $((bp % 100)))}"
    done
    agree "$IT" "{\"effectiveFrom\":\"2025-04\",\"method\":\"fixed\",\"supports\":[$supports]}"

    for i in "${!MONTHS[@]}"; do
        m="${MONTHS[$i]}"
        quantities="\"$IT\":$((40 + i))"
        for s in "${services[@]}"; do quantities+=",\"$s\":$(((10#${s#S} * 7 + i) % 50 + 1))"; done
        api -o /dev/null -X PUT "$APP_URL/api/v1/shared-services/$ADMIN/activity/$m" -d "{\"driver\":\"admin-hours\",\"quantities\":{$quantities}}"
        costs+="${costs:+,}{\"service\":\"$ADMIN\",\"month\":\"$m\",\"amount\":$((85000 + 100 * i)).17,\"category\":\"staff\",\"reference\":\"OH-A-$m\"}"
        costs+=",{\"service\":\"$IT\",\"month\":\"$m\",\"amount\":$((42000 + 37 * i)).41,\"category\":\"ict\",\"reference\":\"OH-I-$m\"}"
    done
    api -o /dev/null -X POST "$APP_URL/api/v1/cost-batches" -d "[$costs]"
    echo "added $ADMIN (driver) and $IT (fixed), supporting each other and $n services of $COUNCIL; costs and admin-hours for 12 months"
}

# The statement's shape, so a reader sees the overheads are really in it.
describe() {
    api "$APP_URL$STATEMENT" | jq -r '[(.lines | length), ([.lines[].direct] | add), ([.lines[].overheads] | add), .totals.share] | @tsv' |
        awk -v c="$COUNCIL" -v p="$PERIOD" '{ printf "%s %s: %d lines, direct %.2f, overheads %.2f, share %.2f\n", c, p, $1, $2, $3, $4 }'
}

ms() { # wrk latency "5.21ms" / "812.00us" / "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.2f", n }'
}

measure() { # LABEL -> figures in $BENCH_DIR/LABEL.figures: seq-p50 seq-p99 wrk-p50 wrk-p99 wrk-rps loadavg
    local label="$1" seq wrk
    pg_psql -d bench -c 'vacuum analyze' >/dev/null
    echo "=== [$label] $(describe)"
    echo "--- [$label] $REQUESTS sequential GETs of $STATEMENT"
    seq="$(loadgen --phases measure --path "$STATEMENT" --requests "$REQUESTS")"
    echo "$seq"
    loadavg
    echo "--- [$label] wrk, $CONNS connections, ${DURATION}s, $COUNCIL's statement"
    wrk="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/statement.lua" "$APP_URL" -- "$Auth__AdminApiKey" 1 "$PERIOD")"
    echo "$wrk"
    loadavg
    echo "app: $(app_rss "$APP_PID")"
    printf '%s %s %s %s %s %s\n' \
        "$(sed -n 's/.* p50 \([0-9.]*\) ms.*/\1/p' <<<"$seq")" "$(sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p' <<<"$seq")" \
        "$(ms "$(awk '$1 == "50%" {print $2}' <<<"$wrk")")" "$(ms "$(awk '$1 == "99%" {print $2}' <<<"$wrk")")" \
        "$(awk '$1 == "Requests/sec:" {print $2}' <<<"$wrk")" "$(cut -d' ' -f1 /proc/loadavg)" >"$BENCH_DIR/$label.figures"
}

bench_init overheads
bench_db bench
app_start bench
loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2025 --last-year 2025 --copy --db "$(pg_conn_string bench)" >&2

measure without
add_overheads
measure with

read -r s50 s99 w50 w99 rps load <"$BENCH_DIR/without.figures"
read -r o50 o99 x50 x99 orps oload <"$BENCH_DIR/with.figures"
echo "=== $COUNCIL's $PERIOD statement, without / with overheads (ratio = with / without; issue 14 asks for at most 2)"
awk -v s50="$s50" -v s99="$s99" -v w50="$w50" -v w99="$w99" -v rps="$rps" -v load="$load" \
    -v o50="$o50" -v o99="$o99" -v x50="$x50" -v x99="$x99" -v orps="$orps" -v oload="$oload" 'BEGIN {
    printf "sequential p50      %9.2f ms %9.2f ms  ratio %.2f\n", s50, o50, o50 / s50
    printf "sequential p99      %9.2f ms %9.2f ms  ratio %.2f\n", s99, o99, o99 / s99
    printf "wrk p50             %9.2f ms %9.2f ms  ratio %.2f\n", w50, x50, x50 / w50
    printf "wrk p99             %9.2f ms %9.2f ms  ratio %.2f\n", w99, x99, x99 / w99
    printf "wrk time/request    %9.3f ms %9.3f ms  ratio %.2f  (%s vs %s req/s)\n", 1000 / rps, 1000 / orps, rps / orps, rps, orps
    printf "load average (1 min) %8s    %9s\n", load, oload }'
app_stop
