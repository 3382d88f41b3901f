# shellcheck shell=bash
# The "same-SQL" baseline: a pgbench script holding exactly the SQL the API sends for one request, captured from
# the API itself (not written by hand), so the baseline follows whatever the hot path sends today.
# Sourced by postings.sh and statements.sh after lib.sh and bench_init.
#
#   capture_sql NAME DB RULES SEND       -> $BENCH_DIR/NAME.sql (pgbench script), CAPTURE_MODE (pgbench -M value)
#
# How: a second API process ("capture", Release, webhook dispatcher off) runs against DB through
# benchmarks/scripts/pgwire.py's loopback proxy, and its connections alone log every statement with its bound parameters
# (Npgsql's connection-string Options: -c log_statement=all; the bench server's own settings and the measured API
# are untouched). SEND is a function the caller defines: `SEND URL LABEL` sends ONE request of the kind measured
# (a posting with an Idempotency-Key built from LABEL; a council statement). It is sent twice, "warm" and then
# "capture": only the second is captured, so one-off work (JIT, Npgsql's type loading, the first pool connection)
# is left out. The proxy records which statements travelled in one round trip and the parameter types the API
# bound; the PostgreSQL log gives the SQL and the values. pgwire.py joins them into the script.
#
# Substitution rules (RULES is a file; details in the header of benchmarks/scripts/pgwire.py):
#   - "\set name expr" lines go to the top of the script (per-transaction random values);
#   - "VALUE<TAB>EXPRESSION": a parameter whose whole logged value is VALUE becomes (EXPRESSION)::its type. The
#     caller sends distinctive values (service S0001, month 2019-07, amount 4321.09, the Idempotency-Key) and
#     names them here, so the service, month and amount vary per transaction as in the single-insert baseline, and
#     the idempotency key is unique per transaction;
#   - any other whole-uuid value but the nil uuid (the posting id, a client-generated audit id) becomes
#     md5(:n || '-i')::uuid, the same captured value giving the same new value within one transaction;
#     "KEEP<TAB>VALUE" keeps one uuid literal, "KEEP<TAB>*" keeps them all (reads of existing rows);
#   - everything else (timestamps, request hash, JSON documents: audit snapshot, stored response) is replayed
#     literally, so each transaction writes rows of the size the API writes. Values the API derived from earlier
#     answers are replayed too: a posting's paid_by stays the captured host, a statement's later queries read the
#     captured council's service list.
# Round trips: a trip of several statements (one NpgsqlBatch, EF Core's batched SaveChanges, a BEGIN or DISCARD
# ALL Npgsql prepends) becomes \startpipeline ... \endpipeline, which needs pgbench -M extended or prepared;
# CAPTURE_MODE is "prepared" if the API used named (prepared) statements, else "extended" (unnamed statements,
# Npgsql without Max Auto Prepare). BEGIN/COMMIT stay where the API sent them.
CAPTURE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
CAPTURE_MODE=""

capture_sql() {
    local name="$1" db="$2" rules="$3" send="$4"
    local proxy_port proxy_pid trace trace_mark log_mark url
    trace="$BENCH_DIR/$name.trace.jsonl"
    : >"$trace"
    proxy_port="$(pg_free_port)"
    python3 "$CAPTURE_DIR/pgwire.py" proxy "$proxy_port" "$PG_PORT" "$trace" &
    proxy_pid=$!
    bench_track_pid "$proxy_pid"
    for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null && break
        sleep 0.1
    done
    APP_PG_PORT="$proxy_port" APP_CONN_EXTRA="SSL Mode=Disable;Options=-c log_statement=all -c log_parameter_max_length=-1" \
        Webhooks__DispatcherEnabled=false app_start "$db" capture
    url="$(app_url capture)"
    "$send" "$url" warm >&2
    sleep 0.5
    trace_mark="$(wc -l <"$trace")"
    log_mark="$(wc -l <"$BENCH_DIR/postgres.log")"
    echo "=== capture ($name): the one request whose SQL becomes the same-SQL baseline"
    "$send" "$url" capture
    sleep 0.5
    tail -n +"$((trace_mark + 1))" "$trace" >"$BENCH_DIR/$name.trace-one.jsonl"
    tail -n +"$((log_mark + 1))" "$BENCH_DIR/postgres.log" >"$BENCH_DIR/$name.postgres-one.log"
    pg_psql -d "$db" -tA -F $'\t' -c "select oid, format_type(oid, null) from pg_type" >"$BENCH_DIR/pg-types.tsv"
    app_stop capture >/dev/null
    kill "$proxy_pid" 2>/dev/null
    wait "$proxy_pid" 2>/dev/null || true
    python3 "$CAPTURE_DIR/pgwire.py" script "$BENCH_DIR/$name.trace-one.jsonl" "$BENCH_DIR/$name.postgres-one.log" \
        "$BENCH_DIR/pg-types.tsv" "$rules" >"$BENCH_DIR/$name.sql"
    CAPTURE_MODE="$(sed -n 's/^-- pgbench mode: //p' "$BENCH_DIR/$name.sql")"
    # The captured request is among a connection's first, but in steady state the API runs these statements
    # prepared (Max Auto Prepare, after 5 uses), so the baseline does too unless SAME_SQL_MODE says otherwise.
    CAPTURE_MODE="${SAME_SQL_MODE:-prepared}"
    echo "=== same-SQL pgbench script ($name, run with -M $CAPTURE_MODE), generated from the statements above"
    cat "$BENCH_DIR/$name.sql"
}
