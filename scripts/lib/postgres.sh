# shellcheck shell=bash
# Local PostgreSQL lifecycle helpers, sourced by scripts/run.sh and scripts/test.sh.
#
#   pg_setup_binaries           find (or apt-get install) the server binaries -> PG_BIN
#   pg_init DATADIR             initdb DATADIR unless it already holds a cluster
#   pg_start DATADIR LOGFILE [-c name=value ...]
#                               start on a free 127.0.0.1 port -> PG_PORT, PG_DATADIR
#   pg_create_db NAME           create database NAME if missing
#   pg_stop [DATADIR]           fast shutdown (kills the postmaster if that fails)
#   pg_conn_string [DBNAME]     Npgsql connection string for the running server
#   pg_start_standby DATADIR LOGFILE [-c name=value ...]
#                               streaming standby of the running server (pg_basebackup -R: standby.signal and
#                               primary_conninfo) on another free port -> PG_STANDBY_PORT, PG_STANDBY_DATADIR;
#                               PG_PORT/PG_DATADIR stay the primary's. Its walreceiver is named by cluster_name
#                               (default "standby"), the name synchronous_standby_names refers to.
#   pg_wait_replayed [PORT]     wait until the standby on PORT has replayed the primary's current WAL position
#
# Unix-domain sockets are disabled: the server only listens on 127.0.0.1 TCP.
# As root, initdb/pg_ctl run as the `postgres` OS user (they refuse to run as root).

PG_BIN="${PG_BIN:-}"
PG_PORT="${PG_PORT:-}"
PG_DATADIR="${PG_DATADIR:-}"

pg_log() { printf '[postgres] %s\n' "$*" >&2; }

_pg_is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as the postgres OS user when we are root, else as ourselves.
# Runs from / so that an unreadable current directory does not produce warnings.
_pg_as_owner() {
    if _pg_is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Newest /usr/lib/postgresql/<major>/bin that holds initdb and pg_ctl (sort -V: 9.6 < 10 < 16).
_pg_find_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
            printf '%s\n' "$d"
        fi
    done | sort -V | tail -n 1
}

pg_setup_binaries() {
    if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ]; then
        return 0
    fi
    PG_BIN="$(_pg_find_bin)"
    if [ -z "$PG_BIN" ]; then
        if _pg_is_root && command -v apt-get >/dev/null 2>&1; then
            pg_log "PostgreSQL server binaries not found; installing the Debian 'postgresql' package"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq >&2
            apt-get install -y -qq postgresql >&2
            # The package creates (and may start) its own 'main' cluster on port 5432.
            # We never use it: stop it so that nothing is left running on our account.
            if command -v pg_lsclusters >/dev/null 2>&1; then
                local ver name
                while read -r ver name _; do
                    [ -n "$ver" ] || continue
                    pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
                done < <(pg_lsclusters --no-header 2>/dev/null || true)
            fi
            PG_BIN="$(_pg_find_bin)"
        fi
    fi
    if [ -z "$PG_BIN" ]; then
        pg_log "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin."
        pg_log "Install them (Debian/Ubuntu: apt-get install postgresql) or set the connection string yourself."
        return 1
    fi
    if _pg_is_root && ! id postgres >/dev/null 2>&1; then
        pg_log "running as root but there is no 'postgres' OS user to run the server as"
        return 1
    fi
    return 0
}

# Make every ancestor of PATH traversable (o+x) so the postgres user can reach it.
# Only needed (and only done) when we are root and the postgres user cannot reach it.
_pg_make_reachable() {
    local target="$1" d
    _pg_is_root || return 0
    if runuser -u postgres -- test -x "$target" 2>/dev/null; then
        return 0
    fi
    d="$(dirname "$target")"
    while [ "$d" != "/" ]; do
        if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
            pg_log "granting traversal (chmod o+x) on $d so the postgres user can reach its data"
            chmod o+x "$d"
        fi
        d="$(dirname "$d")"
    done
}

pg_init() {
    local datadir="$1"
    pg_setup_binaries || return 1
    if [ -f "$datadir/PG_VERSION" ]; then
        return 0
    fi
    mkdir -p "$datadir"
    datadir="$(cd "$datadir" && pwd -P)"
    chmod 700 "$datadir"
    if _pg_is_root; then
        chown postgres: "$datadir"
        _pg_make_reachable "$datadir"
    fi
    pg_log "initialising a new cluster in $datadir"
    _pg_as_owner "$PG_BIN/initdb" -D "$datadir" -A trust -U postgres \
        --encoding=UTF8 --locale=C >/dev/null ||
        { pg_log "initdb failed"; return 1; }
}

# Print a free TCP port on 127.0.0.1.
pg_free_port() {
    local port
    if command -v python3 >/dev/null 2>&1 &&
        port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null)" && [ -n "$port" ]; then
        printf '%s' "$port"
        return 0
    fi
    local used
    used="$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)"
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! grep -qx "$port" <<<"$used"; then
            printf '%s' "$port"
            return 0
        fi
    done
    return 1
}

# pg_start DATADIR LOGFILE [extra postgres options, e.g. -c fsync=off]
pg_start() {
    local datadir="$1" logfile="$2"
    shift 2
    pg_setup_binaries || return 1
    datadir="$(cd "$datadir" && pwd -P)"
    mkdir -p "$(dirname "$logfile")"
    touch "$logfile"
    if _pg_is_root; then
        chown postgres: "$logfile"
        _pg_make_reachable "$logfile"
    fi
    # A postmaster.pid left by a crash/kill -9 of an earlier run: pg_ctl status tells.
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
        pg_log "a server is already running on $datadir; stopping it first"
        pg_stop "$datadir" || true
    fi
    local attempt port opts
    for attempt in 1 2 3 4 5; do
        port="$(pg_free_port)" || { pg_log "no free port found"; return 1; }
        opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        if [ "$#" -gt 0 ]; then
            opts="$opts $*"
        fi
        if _pg_as_owner "$PG_BIN/pg_ctl" -D "$datadir" -l "$logfile" -o "$opts" \
            -w -t 60 start >/dev/null; then
            PG_PORT="$port"
            PG_DATADIR="$datadir"
            pg_wait_ready || return 1
            pg_log "PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') listening on 127.0.0.1:$PG_PORT (data: $datadir)"
            return 0
        fi
        pg_log "start attempt $attempt on port $port failed; log tail:"
        tail -n 5 "$logfile" >&2 || true
        # Make sure a half-started server does not linger before retrying.
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    done
    pg_log "could not start PostgreSQL (see $logfile)"
    return 1
}

pg_wait_ready() {
    local i
    for i in $(seq 1 60); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; then
            return 0
        fi
        [ "$i" -eq 1 ] && pg_log "waiting for PostgreSQL on port $PG_PORT"
        sleep 0.5
    done
    pg_log "PostgreSQL on port $PG_PORT did not become ready"
    return 1
}

pg_psql() {
    PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_create_db() {
    local name="$1"
    if [ "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$name'")" != "1" ]; then
        pg_psql -d postgres -c "create database \"$name\"" >/dev/null
        pg_log "created database $name"
    fi
}

pg_stop() {
    local datadir="${1:-$PG_DATADIR}"
    [ -n "$datadir" ] || return 0
    [ -f "$datadir/postmaster.pid" ] || return 0
    if [ -z "$PG_BIN" ]; then
        PG_BIN="$(_pg_find_bin)"
    fi
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$datadir" -m fast -w -t 60 stop >/dev/null 2>&1; then
        pg_log "stopped PostgreSQL (data: $datadir)"
        return 0
    fi
    # Last resort: kill the postmaster named in postmaster.pid.
    local pid
    pid="$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        pg_log "pg_ctl stop failed; sending SIGQUIT to postmaster $pid"
        kill -QUIT "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

pg_conn_string() {
    local db="${1:-apportionment}"
    printf 'Host=127.0.0.1;Port=%s;Username=postgres;Password=postgres;Database=%s' "$PG_PORT" "$db"
}

pg_start_standby() {
    local datadir="$1" logfile="$2" primary_port="$PG_PORT" primary_datadir="$PG_DATADIR"
    shift 2
    pg_setup_binaries || return 1
    [ -n "$primary_port" ] || { pg_log "no primary running to copy"; return 1; }
    rm -rf "$datadir"
    mkdir -p "$datadir"
    datadir="$(cd "$datadir" && pwd -P)"
    chmod 700 "$datadir"
    if _pg_is_root; then
        chown postgres: "$datadir"
        _pg_make_reachable "$datadir"
    fi
    pg_log "copying the primary on port $primary_port into a standby (pg_basebackup -R) in $datadir"
    _pg_as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$datadir" \
        -R -X stream -c fast >/dev/null || { pg_log "pg_basebackup failed"; return 1; }
    local has_name=0 arg
    for arg in "$@"; do
        case "$arg" in cluster_name=*) has_name=1 ;; esac
    done
    [ "$has_name" = 1 ] || set -- "$@" -c cluster_name=standby
    # pg_start sets PG_PORT/PG_DATADIR: keep them pointing at the primary.
    pg_start "$datadir" "$logfile" -c hot_standby=on -c hot_standby_feedback=on "$@" || return 1
    PG_STANDBY_PORT="$PG_PORT"
    PG_STANDBY_DATADIR="$PG_DATADIR"
    PG_PORT="$primary_port"
    PG_DATADIR="$primary_datadir"
    if [ "$(PG_PORT="$PG_STANDBY_PORT" pg_psql -d postgres -tAc 'select pg_is_in_recovery()')" != t ]; then
        pg_log "the copy on port $PG_STANDBY_PORT is not in recovery"
        return 1
    fi
    pg_wait_replayed "$PG_STANDBY_PORT" || return 1
    pg_log "streaming standby of 127.0.0.1:$PG_PORT on 127.0.0.1:$PG_STANDBY_PORT (data: $PG_STANDBY_DATADIR)"
}

pg_wait_replayed() {
    local port="${1:-$PG_STANDBY_PORT}" lsn i
    lsn="$(pg_psql -d postgres -tAc 'select pg_current_wal_insert_lsn()')"
    for i in $(seq 1 120); do
        if [ "$(PG_PORT="$port" pg_psql -d postgres -tAc "select pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; then
            return 0
        fi
        sleep 0.25
    done
    pg_log "the standby on port $port did not replay $lsn within 30 s"
    return 1
}
