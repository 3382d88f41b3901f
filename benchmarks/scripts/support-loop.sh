#!/usr/bin/env bash
# A support loop at the cap (issue 23: "one at the cap answers in under 2 s on this machine"). Through the API, builds
# two partnerships side by side: a planning service split 60/40, and a ring of support services that each pass half
# their cost on to the next and half to planning, the last one closing the ring. The baseline ring has 2 services
# (the smallest loop); the measured one has SupportLoops.MaxLoopSize (12). For each it times the requests the loop
# makes expensive: the proposal that closes the ring, its last approval (both check the loop can run), planning's
# apportionment for the month (the exact reciprocal solve) and the host council's statement for the year,
# REQUESTS sequential times each read. A first, unreported ring warms the API. Prints each figure with the ratio cap / baseline and the load average.
#
#   benchmarks/scripts/support-loop.sh        [env: CAP=12 REQUESTS=50]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
CAP="${CAP:-12}"
REQUESTS="${REQUESTS:-50}"
MONTH=2024-05

api() { curl -sS --fail-with-body -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' "$@"; }
ms() { api -o /dev/null -w '%{time_total}' "$@" | awk '{ printf "%.1f", $1 * 1000 }'; }

agree() { # SERVICE JSON: proposes and approves for every council awaited
    local proposal id council
    proposal="$(api -X POST "$APP_URL/api/v1/shared-services/$1/agreements" -d "$2")"
    id="$(jq -r .id <<<"$proposal")"
    for council in $(jq -r '.awaitingApproval[]' <<<"$proposal"); do
        api -o /dev/null -X POST "$APP_URL/api/v1/shared-services/$1/agreements/$id/approvals" \
            -d "{\"council\":\"$council\"}"
    done
}

service() { # CODE
    api -o /dev/null -X POST "$APP_URL/api/v1/shared-services" -d "{\"code\":\"$1\",\"name\":\"$1\",\
\"hostCouncil\":\"HOST\",\"members\":[\"HOST\",\"PART\"],\"startMonth\":\"2024-04\"}"
}

support() { # NEXT: half to planning, half to NEXT
    local half='{"service":"%s","percent":50}'
    # shellcheck disable=SC2059
    printf "{\"effectiveFrom\":\"2024-04\",\"method\":\"fixed\",\"shares\":[],\"supports\":[$half,$half]}" "$PLAN" "$1"
}

reads() { # PATH -> "p50 max" in ms over REQUESTS sequential GETs
    local i
    for i in $(seq 1 "$REQUESTS"); do ms "$APP_URL$1"; echo; done | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.1f %.1f", v[int((NR + 1) / 2)], v[NR] }'
}

ring() { # TAG SIZE -> figures in $BENCH_DIR/TAG.figures
    local tag="$1" size="$2" i proposal id council last figures
    PLAN="$tag-PLAN"
    service "$PLAN"
    agree "$PLAN" '{"effectiveFrom":"2024-04","method":"fixed",
        "shares":[{"council":"HOST","percent":60},{"council":"PART","percent":40}]}'
    for i in $(seq 0 $((size - 1))); do
        service "$tag-S$i"
        api -o /dev/null -X POST "$APP_URL/api/v1/shared-services/$tag-S$i/costs" \
            -d "{\"month\":\"$MONTH\",\"amount\":$((1000 + i)).37,\"category\":\"staff\",\"paidBy\":\"HOST\"}"
    done
    for i in $(seq 1 $((size - 1))); do agree "$tag-S$i" "$(support "$tag-S$(((i + 1) % size))")"; done

    proposal="$BENCH_DIR/$tag-proposal.json"
    figures="$(api -o "$proposal" -w '%{time_total}' -X POST "$APP_URL/api/v1/shared-services/$tag-S0/agreements" \
        -d "$(support "$tag-S1")" | awk '{ printf "%.1f", $1 * 1000 }')"
    id="$(jq -r .id "$proposal")"
    for council in $(jq -r '.awaitingApproval[]' "$proposal"); do
        last="$(ms -X POST "$APP_URL/api/v1/shared-services/$tag-S0/agreements/$id/approvals" \
            -d "{\"council\":\"$council\"}")"
    done
    figures+=" $last"
    figures+=" $(reads "/api/v1/shared-services/$PLAN/apportionments/$MONTH")"
    figures+=" $(reads "/api/v1/councils/HOST/recharge-statements/2024-25")"
    echo "$tag ($size services in the loop): planning's $MONTH total" \
        "$(api "$APP_URL/api/v1/shared-services/$PLAN/apportionments/$MONTH" | jq -r .total)," \
        "posted $(awk -v n="$size" 'BEGIN { s = 0; for (i = 0; i < n; i++) s += 1000.37 + i; printf "%.2f", s }')"
    echo "$figures" >"$BENCH_DIR/$tag.figures"
}

bench_init support-loop
bench_db bench
app_start bench
for council in HOST PART; do
    api -o /dev/null -X POST "$APP_URL/api/v1/councils" -d "{\"code\":\"$council\",\"name\":\"$council Council\"}"
done

# A first ring of 2 warms the API (JIT, pools) so the baseline is not its cold start.
ring WARM 2 >/dev/null
ring BASE 2
ring CAP "$CAP"
echo "load average: $(loadavg)"

read -r bp ba b50 bmax s50 smax <"$BENCH_DIR/BASE.figures"
read -r cp ca c50 cmax t50 tmax <"$BENCH_DIR/CAP.figures"
echo "=== a loop of 2 (baseline) against a loop of $CAP (the cap), ms; ratio = cap / baseline; goal: each < 2000 ms"
awk -v bp="$bp" -v ba="$ba" -v b50="$b50" -v bmax="$bmax" -v s50="$s50" -v smax="$smax" \
    -v cp="$cp" -v ca="$ca" -v c50="$c50" -v cmax="$cmax" -v t50="$t50" -v tmax="$tmax" 'BEGIN {
    printf "proposal closing the loop      %8.1f %8.1f  ratio %.2f\n", bp, cp, cp / bp
    printf "last approval (agrees it)      %8.1f %8.1f  ratio %.2f\n", ba, ca, ca / ba
    printf "apportionment p50              %8.1f %8.1f  ratio %.2f\n", b50, c50, c50 / b50
    printf "apportionment max              %8.1f %8.1f  ratio %.2f\n", bmax, cmax, cmax / bmax
    printf "council statement (year) p50   %8.1f %8.1f  ratio %.2f\n", s50, t50, t50 / s50
    printf "council statement (year) max   %8.1f %8.1f  ratio %.2f\n", smax, tmax, tmax / smax }'
app_stop
