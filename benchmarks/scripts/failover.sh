#!/usr/bin/env bash
# Failover with nothing lost. For each replication mode in MODES (sync, async), on loopback:
#   1. a fresh primary and a streaming standby of it (pg_basebackup -R); with "sync" the primary waits for the
#      standby's flush before a commit returns (synchronous_standby_names = standby, synchronous_commit = on);
#   2. two API replicas (Release) on one multi-host connection string naming both servers (writes go to whichever
#      is the primary, reads prefer the standby; Host Recheck Seconds 2);
#   3. posting load (failover-client.py: CLIENTS clients round-robin over both replicas, a unique Idempotency-Key per
#      posting, every unanswered or 503 posting retried with its key every 100 ms) for BEFORE seconds;
#   4. the primary stopped in immediate mode (as a crash), PROMOTE_DELAY seconds later the standby promoted
#      (pg_ctl promote), load for AFTER seconds more, then the clients finish what they started;
#   5. from the clients' log and the new primary: time from the stop (and from the promotion) to the first posting
#      acknowledged again, the 503s and errors seen meanwhile, postings acknowledged vs present, lost (acknowledged but
#      absent) and duplicated (one reference, more than one posting).
# Expected: sync loses nothing; async may lose what was acknowledged but not yet streamed when the primary died.
#
#   benchmarks/scripts/failover.sh     [env: MODES="sync async" CLIENTS=8 BEFORE=20 AFTER=20 PROMOTE_DELAY=0]
# shellcheck source=benchmarks/scripts/lib.sh
source "$(dirname "$0")/lib.sh"
MODES="${MODES:-sync async}"
CLIENTS="${CLIENTS:-8}"
BEFORE="${BEFORE:-20}"
AFTER="${AFTER:-20}"
PROMOTE_DELAY="${PROMOTE_DELAY:-0}"
HERE="$(cd "$(dirname "$0")" && pwd -P)"

bench_init failover
# bench_init's own server is not used: each mode gets a fresh pair, since a failover leaves no primary to reuse.
pg_stop "$PG_DATADIR"

now() { date +%s.%N | cut -c1-14; }
api() { curl -fsS -H "X-Api-Key: $Auth__AdminApiKey" -H 'Content-Type: application/json' "$@" >/dev/null; }

run_mode() {
    local mode="$1" dir="$BENCH_DIR/$1" primary_port standby_port
    mkdir -p "$dir"
    chmod 755 "$dir"
    echo "=== [$mode] primary and streaming standby"
    pg_init "$dir/primary"
    pg_start "$dir/primary" "$dir/primary.log" -c max_connections=300
    primary_port="$PG_PORT"
    bench_db bench
    pg_start_standby "$dir/standby" "$dir/standby.log" -c max_connections=300
    standby_port="$PG_STANDBY_PORT"
    BENCH_DATADIRS="${BENCH_DATADIRS:-} $PG_STANDBY_DATADIR"
    if [ "$mode" = sync ]; then
        # Set after the copy was taken: the standby, once promoted, must not wait for a standby of its own.
        pg_psql -d postgres -c "alter system set synchronous_standby_names = 'standby'" -c 'select pg_reload_conf()' >/dev/null
    fi
    sleep 1
    echo "[$mode] primary 127.0.0.1:$primary_port, standby 127.0.0.1:$standby_port;" \
        "sync state: $(pg_psql -d postgres -tAc "select coalesce(string_agg(application_name || ' ' || sync_state, ', '),
            'no standby') from pg_stat_replication")"

    local hosts="Host=127.0.0.1:$primary_port,127.0.0.1:$standby_port"
    APP_CONN_EXTRA="$hosts" app_start bench a
    APP_CONN_EXTRA="$hosts" app_start bench b
    local a b
    a="$(app_url a)"
    b="$(app_url b)"
    api -X POST "$a/api/v1/councils" -d '{"code":"HOST","name":"Host council"}'
    api -X POST "$a/api/v1/councils" -d '{"code":"PART","name":"Partner council"}'
    api -X POST "$a/api/v1/shared-services" \
        -d '{"code":"S0001","name":"Shared service","hostCouncil":"HOST","members":["HOST","PART"],"startMonth":"2024-04"}'

    local log="$dir/attempts.log" stop="$dir/stop"
    python3 "$HERE/failover-client.py" --urls "$a,$b" --key "$Auth__AdminApiKey" --service S0001 --label "$mode" \
        --clients "$CLIENTS" --stop-file "$stop" --log "$log" &
    local client=$! i
    bench_track_pid "$client"
    # BEFORE counts from the first acknowledged posting: a cold start (JIT, a loaded machine) is not load.
    for i in $(seq 1 240); do
        grep -q ' 201$' "$log" 2>/dev/null && break
        [ "$i" -lt 240 ] || { blog "[$mode] no posting acknowledged within 120 s"; return 1; }
        sleep 0.5
    done
    sleep "$BEFORE"

    local load t_stop t_promoted
    load="$(loadavg)"
    # The stop is timed when pg_ctl returns: from then on the primary answers nothing, so a posting begun later can
    # only be acknowledged by the promoted standby.
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null
    t_stop="$(now)"
    echo "[$mode] primary stopped (immediate) at $t_stop; load average $load"
    sleep "$PROMOTE_DELAY"
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DATADIR" -w promote >/dev/null
    t_promoted="$(now)"
    echo "[$mode] standby promoted at $t_promoted"
    sleep "$AFTER"
    touch "$stop"
    wait "$client"

    PG_PORT="$standby_port" pg_psql -d bench -tAc \
        "select reference || ' ' || count(*) from cost_postings where reference like 'fo-%' group by reference" >"$dir/present"
    awk -v stop="$t_stop" -v promoted="$t_promoted" -v mode="$mode" -v present="$dir/present" '
        BEGIN { while ((getline line < present) > 0) { split(line, f, " "); rows[f[1]] = f[2] } }
        { attempts++; status[$4]++ }
        ($4 == 201 || $4 == 200) { acked[$3] = 1; if ($1 > stop && (first == "" || $2 < first)) first = $2 }
        ($4 != 201 && $4 != 200 && $2 > stop) { failed_after++ }
        END {
            for (r in acked) { n_acked++; if (!(r in rows)) lost++ }
            for (r in rows) { n_present++; if (rows[r] > 1) dup++; if (!(r in acked)) unacked++ }
            printf "[%s] attempts %d (", mode, attempts
            for (s in status) printf " %s: %d", (s == 0 ? "no answer" : s), status[s]
            printf " )\n"
            if (first == "") printf "[%s] NO posting acknowledged after the stop\n", mode
            else printf "[%s] first posting acknowledged after the stop: %.2f s after the stop, " \
                "%.2f s after the promotion; %d failed attempts after the stop\n",
                mode, first - stop, first - promoted, failed_after
            printf "[%s] RESULT acknowledged %d, present %d, lost %d, duplicated %d, present but never acknowledged %d\n",
                mode, n_acked, n_present, lost + 0, dup + 0, unacked + 0
        }' "$log" | tee -a "$BENCH_DIR/figures"

    app_stop a
    app_stop b
    pg_stop "$PG_STANDBY_DATADIR"
}

for mode in $MODES; do
    case "$mode" in sync | async) run_mode "$mode" ;; *) blog "unknown mode $mode (sync or async)"; exit 2 ;; esac
done
echo "=== failover summary (clients $CLIENTS, ${BEFORE}s before the stop, ${AFTER}s after the promotion, promote delay ${PROMOTE_DELAY}s) ==="
cat "$BENCH_DIR/figures"
