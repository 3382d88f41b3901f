#!/usr/bin/env bash
# Review pack benchmark: the largest service's 2025-26 review pack as JSON, PDF and xlsx. Builds the scale model
# (default --scale 0.15), loads two years of activity and postings (2024-25 for the pack's "last year" column, and
# 2025-26), picks the service with the most ledger rows in 2025-26, then for each format starts a FRESH API process,
# warms it up (3 requests), times REQUESTS sequential GETs (p50/p99/mean, bytes) and stops it, printing its peak RSS
# (VmHWM), so each format's peak memory is its own; JSON is the baseline of the same run.
#
#   benchmarks/scripts/review.sh        [env: SCALE=0.15 SEED=42 REQUESTS=50]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
SCALE="${SCALE:-0.15}"
SEED="${SEED:-42}"
REQUESTS="${REQUESTS:-50}"
YEAR=2025-26

bench_log "${LOG_NAME:-review}"
bench_init review
bench_db bench
app_start bench
loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2024 --last-year 2025 --copy --db "$(pg_conn_string bench)" >&2
app_stop >/dev/null
pg_psql -d bench -c 'vacuum analyze' >/dev/null

SERVICE="$(pg_psql -d bench -tAc "select service_code from cost_totals where month >= date '2025-04-01' and month <= date '2026-03-01'
    group by service_code order by count(*) desc, service_code limit 1")"
echo "=== largest service: $SERVICE ($(pg_psql -d bench -tAc "select count(*) from cost_postings where service_code = '$SERVICE'") postings," \
    "$(pg_psql -d bench -tAc "select count(*) from service_members where service_code = '$SERVICE'") councils); $REQUESTS requests per format"

declare -A MEAN
for format in json pdf xlsx; do
    case "$format" in
        json) accept="application/json" ;;
        pdf) accept="application/pdf" ;;
        xlsx) accept="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ;;
    esac
    app_start bench
    url="$APP_URL/api/v1/shared-services/$SERVICE/review/$YEAR"
    for _ in 1 2 3; do
        curl -fsS -o /dev/null -H "X-Api-Key: $Auth__AdminApiKey" -H "Accept: $accept" "$url"
    done
    times="$BENCH_DIR/times-$format"
    : >"$times"
    for _ in $(seq "$REQUESTS"); do
        curl -fsS -o "$BENCH_DIR/body-$format" -w '%{time_total}\n' -H "X-Api-Key: $Auth__AdminApiKey" -H "Accept: $accept" "$url" >>"$times"
    done
    stats="$(sort -n "$times" | awk '{a[NR] = $1; s += $1} END {
        printf "p50 %.1f ms, p99 %.1f ms, mean %.1f ms", a[int(NR * 0.5 + 0.999)] * 1000, a[int(NR * 0.99 + 0.999)] * 1000, s / NR * 1000 }')"
    MEAN[$format]="$(awk '{s += $1} END {printf "%.4f", s / NR}' "$times")"
    echo "--- $format: $stats, $(stat -c %s "$BENCH_DIR/body-$format") bytes"
    app_stop
done
echo "=== mean time against JSON: pdf $(ratio "${MEAN[pdf]}" "${MEAN[json]}")x, xlsx $(ratio "${MEAN[xlsx]}" "${MEAN[json]}")x (load average $(loadavg))"
