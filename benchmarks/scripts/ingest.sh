#!/usr/bin/env bash
# Ingest benchmark: 1,000,000 postings (10 x 100,000-line CSV) through POST /api/v1/cost-batches, against the
# baseline of psql \copy of the same rows (same generator output, cost_postings columns) into the same table.
# Each side gets a fresh database with the same councils/services/agreements (made through the API) and the
# ledger trigger on. Runs ROUNDS (default 2) alternating pairs; prints raw timings and the ratio.
#
#   benchmarks/scripts/ingest.sh            [env: ROUNDS=2 SCALE=0.1 SEED=42 LINES=1000000]
#   PROFILE=1 ...  also samples the API's CPU with perf over round 1's first requests and prints where it went
#                  (PROFILE_SECONDS=6; self and inclusive time in $BENCH_DIR/cold-self.txt, cold-inclusive.txt)
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-2}"
SCALE="${SCALE:-0.1}"
SEED="${SEED:-42}"
LINES="${LINES:-1000000}"

PROFILE_SECONDS="${PROFILE_SECONDS:-6}"
[ -z "${PROFILE:-}" ] || perf_prepare

bench_init ingest
now() { date +%s.%N; }

prepare_db() { # DB: fresh database, schema by the app's migrations, model set-up through the API
    bench_db "$1"
    app_start "$1"
    loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
}

verify() {
    pg_psql -d "$1" -tAc "select '$1: postings ' || count(*) || ' sum ' || sum(amount) || '; totals sum ' || (select sum(amount) || ' postings ' || sum(postings) from cost_totals) from cost_postings"
}

prepare_db csvsource
loadgen --scale "$SCALE" --seed "$SEED" --phases postings --limit "$LINES" --csv-out "$BENCH_DIR/csv" >&2
app_stop >/dev/null
find "$BENCH_DIR/csv" -name "*-0001.csv" -exec ls -l {} +
du -sh "$BENCH_DIR/csv"

declare -a COPY_S API_S
for round in $(seq 1 "$ROUNDS"); do
    # --- baseline: psql \copy, one \copy (one transaction) per file, as the API gets one request per file
    prepare_db "copy$round"
    app_stop >/dev/null
    script="$BENCH_DIR/copy.sql"
    : >"$script"
    for f in "$BENCH_DIR"/csv/copy-*.csv; do
        echo "\\copy cost_postings (id, service_code, month, amount, category, paid_by, reference, description, posted_at) from '$f' with (format csv, header true)" >>"$script"
    done
    t0="$(now)"
    pg_psql -d "copy$round" -f "$script"
    t1="$(now)"
    COPY_S[round]="$(echo "$t1 - $t0" | bc -l)"
    verify "copy$round"
    echo "round $round psql \\copy: ${COPY_S[round]} s"

    # --- the API: 10 sequential POSTs of text/csv, 100,000 lines each
    prepare_db "api$round"
    # Sampled from the first request on.
    [ "$round" = 1 ] && [ -n "${PROFILE:-}" ] && perf_sample "$APP_PID" "$PROFILE_SECONDS" "$BENCH_DIR/cold"
    t0="$(now)"
    for f in "$BENCH_DIR"/csv/api-*.csv; do
        # The API process's CPU beside each request: the cold cost (JIT tiers) shows as the first requests' excess.
        cpu0="$(app_cpu_ms "$APP_PID")"
        curl -sS -o "$BENCH_DIR/last-response.json" -w '%{http_code} %{time_total}s %{size_upload}B' \
            -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: text/csv' --data-binary "@$f" "$APP_URL/api/v1/cost-batches"
        echo " API CPU $(($(app_cpu_ms "$APP_PID") - cpu0)) ms"
    done
    t1="$(now)"
    API_S[round]="$(echo "$t1 - $t0" | bc -l)"
    app_stop
    [ "$round" = 1 ] && [ -n "${PROFILE:-}" ] && perf_report "$BENCH_DIR/cold"
    verify "api$round"
    echo "round $round API /cost-batches: ${API_S[round]} s"
done

echo
echo "=== ingest summary ($LINES lines, scale $SCALE, seed $SEED) ==="
for round in $(seq 1 "$ROUNDS"); do
    awk -v r="$round" -v n="$LINES" -v c="${COPY_S[round]}" -v a="${API_S[round]}" 'BEGIN {
        printf "round %d: psql \\copy %.1f s = %.0f lines/s; API %.1f s = %.0f lines/s; API/COPY = %.2f\n", r, c, n / c, a, n / a, c / a }'
done
