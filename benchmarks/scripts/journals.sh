#!/usr/bin/env bash
# Journals and GL extracts benchmark (issue 25). Builds the scale model (default --scale 1), loads one financial year
# (2025-26) of postings, gives council COUNCIL ledger codes for every service it belongs to (through the API), then:
#   1. its 2025-26 journal in every format (provisional, as the year is open), REQUESTS sequential GETs each, against
#      the same council's 2025-26 recharge statement read in the same run (same reader underneath);
#   2. a LINES-line GL extract (text/csv) through POST /councils/{code}/gl-extracts on a freshly started API (so its
#      peak RSS is the extract's), against psql \copy of the same rows into cost_postings (trigger on, same database).
# Prints raw timings, p50/p99/mean per request kind, the ratios, and the API's peak RSS (VmHWM) of each phase.
#
#   benchmarks/scripts/journals.sh          [env: SCALE=1 SEED=42 REQUESTS=20 LINES=100000 COUNCIL=C001]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
SCALE="${SCALE:-1}"
SEED="${SEED:-42}"
REQUESTS="${REQUESTS:-20}"
LINES="${LINES:-100000}"
COUNCIL="${COUNCIL:-C001}"
PERIOD=2025-26
FORMATS="generic oracle-fbdi d365 sage-intacct sap unit4"

bench_log "${LOG_NAME:-journals}"
bench_init journals
bench_db bench
app_start bench
DB="$(pg_conn_string bench)"
loadgen --scale "$SCALE" --seed "$SEED" --phases setup >&2
loadgen --scale "$SCALE" --seed "$SEED" --phases activity,postings --first-year 2025 --last-year 2025 --copy --db "$DB" >&2
pg_psql -d bench -c 'vacuum analyze' >/dev/null

# One cost centre per service (leading zeros, as councils' charts have them); a host credits recoveries to 9430.
pg_psql -d bench -tA -F ' ' -c "select m.service_code, s.host_council = m.council from service_members m
    join shared_services s on s.code = m.service_code where m.council = '$COUNCIL' order by 1" >"$BENCH_DIR/services.txt"
awk 'BEGIN { printf "{\"effectiveFrom\":\"2016-04\",\"controlAccount\":{\"account\":\"S8150\"},\"ledger\":\"BENCH\",\"services\":[" }
    { printf "%s{\"service\":\"%s\",\"costCentre\":\"%05d\",\"account\":\"4620\",%s\"fund\":\"GF\"," \
        "\"costAccounts\":[{\"account\":\"0110\",\"category\":\"staff\"}]}",
        (NR > 1 ? "," : ""), $1, NR, ($2 == "t" ? "\"recoveryAccount\":\"9430\"," : "") }
    END { print "]}" }' "$BENCH_DIR/services.txt" >"$BENCH_DIR/codes.json"
echo "$COUNCIL belongs to $(wc -l <"$BENCH_DIR/services.txt") services; $(pg_psql -d bench -tAc \
    "select count(*) || ' postings, ' || (select count(*) from cost_totals) || ' cost_totals rows' from cost_postings")"
curl -sS -o /dev/null -w 'ledger codes: HTTP %{http_code}\n' -X PUT -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' \
    --data-binary "@$BENCH_DIR/codes.json" "$APP_URL/api/v1/councils/$COUNCIL/ledger-codes"

timings() { # LABEL URL ACCEPT: REQUESTS sequential GETs (after one warm-up); prints p50/p99/mean in ms, sets LAST_MEAN
    local label="$1" url="$2" accept="$3" i
    curl -sS -o "$BENCH_DIR/warm.out" -w "$label warm-up: HTTP %{http_code} %{size_download} B %{time_total}s\n" \
        -H "X-Api-Key: $Auth__AdminApiKey" -H "Accept: $accept" "$url"
    for i in $(seq 1 "$REQUESTS"); do
        curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -H "X-Api-Key: $Auth__AdminApiKey" -H "Accept: $accept" "$url"
    done >"$BENCH_DIR/times.txt"
    echo "$label non-200 answers: $(awk '$1 != 200' "$BENCH_DIR/times.txt" | wc -l)"
    LAST_MEAN="$(awk '{ s += $2 } END { printf "%.2f", s * 1000 / NR }' "$BENCH_DIR/times.txt")"
    awk '{print $2 * 1000}' "$BENCH_DIR/times.txt" | sort -n | awk -v l="$label" -v m="$LAST_MEAN" '{a[NR] = $1} END {
        printf "%s: %d requests, p50 %.2f ms, p99 %.2f ms, mean %s ms\n", l, NR, a[int(NR * 0.5 + 0.999)], a[int(NR * 0.99 + 0.999)], m }'
}

echo "=== $COUNCIL's $PERIOD statement and journals (scale $SCALE, seed $SEED, $REQUESTS sequential requests each)"
timings "statement" "$APP_URL/api/v1/councils/$COUNCIL/recharge-statements/$PERIOD" "application/json"
STATEMENT_MEAN="$LAST_MEAN"
SUMMARY=""
for format in $FORMATS; do
    timings "journal $format" "$APP_URL/api/v1/councils/$COUNCIL/journals/$PERIOD?format=$format&provisional=true" "text/csv"
    echo "journal $format rows (with header): $(wc -l <"$BENCH_DIR/warm.out")"
    SUMMARY="$SUMMARY$(printf 'journal %-12s mean %8s ms; statement %s ms; journal/statement = %s' \
        "$format" "$LAST_MEAN" "$STATEMENT_MEAN" "$(ratio "$LAST_MEAN" "$STATEMENT_MEAN")")"$'\n'
done
timings "statement again" "$APP_URL/api/v1/councils/$COUNCIL/recharge-statements/$PERIOD" "application/json"
app_stop

# The extract: LINES lines over the council's services and the year's months; the baseline gets the same rows.
awk -v n="$LINES" -v c="$COUNCIL" -v dir="$BENCH_DIR" 'BEGIN { srand(42) } { svc[NR] = $1 } END {
    print "costCentre,account,month,amount,description,reference" > dir "/extract.csv"
    print "id,service_code,month,amount,category,paid_by,reference,description,posted_at" > dir "/copy.csv"
    for (i = 1; i <= n; i++) {
        s = (i % NR) + 1; m = 4 + (i % 12); y = m > 12 ? 2026 : 2025; m = m > 12 ? m - 12 : m
        amount = sprintf("%.2f", 10 + rand() * 5000)
        printf "%05d,0110,%04d-%02d,%s,GL line %d,GL-%d\n", s, y, m, amount, i, i > dir "/extract.csv"
        printf "00000000-0000-4000-8000-%012d,%s,%04d-%02d-01,%s,staff,%s,GL-%d,GL line %d,2026-04-01T00:00:00Z\n",
            i, svc[s], y, m, amount, c, i, i > dir "/copy.csv"
    } }' "$BENCH_DIR/services.txt"
ls -l "$BENCH_DIR/extract.csv" "$BENCH_DIR/copy.csv"

now() { date +%s.%N; }
app_start bench
t0="$(now)"
curl -sS -o "$BENCH_DIR/extract-response.json" -w 'gl-extract: HTTP %{http_code} %{time_total}s %{size_upload}B\n' \
    -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: text/csv' --data-binary "@$BENCH_DIR/extract.csv" "$APP_URL/api/v1/councils/$COUNCIL/gl-extracts"
t1="$(now)"
head -c 300 "$BENCH_DIR/extract-response.json"; echo
app_stop
API_S="$(echo "$t1 - $t0" | bc -l)"
t0="$(now)"
pg_psql -d bench -c "\\copy cost_postings (id, service_code, month, amount, category, paid_by, reference, description, \
posted_at) from '$BENCH_DIR/copy.csv' with (format csv, header true)"
t1="$(now)"
COPY_S="$(echo "$t1 - $t0" | bc -l)"
pg_psql -d bench -tAc "select 'GL extract rows: ' || count(*) filter (where batch_id is not null) || ' via the API, '
    || count(*) filter (where reference like 'GL-%' and batch_id is null) || ' via \\copy' from cost_postings"

echo
echo "=== journals summary (scale $SCALE, seed $SEED, council $COUNCIL, load average $(loadavg)) ==="
printf '%s' "$SUMMARY"
awk -v n="$LINES" -v c="$COPY_S" -v a="$API_S" 'BEGIN {
    printf "GL extract %d lines: psql \\copy %.2f s = %.0f lines/s; API %.2f s = %.0f lines/s; API/COPY = %.2f\n", n, c, n / c, a, n / a, c / a }'
