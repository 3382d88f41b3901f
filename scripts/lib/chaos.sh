# shellcheck shell=bash
# Shared by scripts/chaos.sh and scripts/chaos-webhooks.sh: a private PostgreSQL, the service, retried writes and
# PostgreSQL restarts. Source after scripts/lib/postgres.sh.
#
#   chaos_start                         work dir (removed on exit), private PostgreSQL, database apportionment -> WORK_DIR
#   chaos_start_service [VAR=value...]  Release build started as `dotnet Apportionment.Api.dll` -> BASE, ADMIN_KEY, APP_PID
#   chaos_api CURL_ARGS...              curl with the admin key and JSON content type; fails on HTTP errors
#   chaos_post_acknowledged W KEY URL BODY
#                                       POST with Idempotency-Key KEY until 201, retrying the same key and body on 503
#                                       (after Retry-After), other 5xx and connection errors; one line per attempt in
#                                       attempts.W ("<key> <status> <retry-after>"), KEY in acked.W once acknowledged
#   chaos_acked_count                   keys acknowledged so far
#   chaos_restart_postgres_at N...      restart PostgreSQL (pg_ctl restart -m fast) when N keys are acknowledged, for each N
#   chaos_partnership                   two new councils sharing a new service from 2024-04 -> SUFFIX, HOST, PARTNER, SERVICE
#   chaos_run_load TOTAL WORKERS FN     the load: runs `FN W` for each worker W = 0..WORKERS-1 in parallel (each sends
#                                       its share of TOTAL writes), restarting PostgreSQL at a third and two thirds of
#                                       TOTAL acknowledged; waits for all -> STARTED_AT (SECONDS counts from the start)
#   chaos_request_summary               counts of attempts by outcome, for the report

APP_PID=""
PG_STARTED=0

log() { printf '[chaos] %s\n' "$*" >&2; }

_chaos_cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM
    set +e
    [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
    [ -n "${CHAOS_EXTRA_PID:-}" ] && kill -TERM "$CHAOS_EXTRA_PID" 2>/dev/null && wait "$CHAOS_EXTRA_PID" 2>/dev/null
    [ "$PG_STARTED" = 1 ] && pg_stop "$WORK_DIR/pgdata"
    rm -rf "$WORK_DIR"
    exit "$rc"
}

chaos_start() {
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/apportionment-chaos.XXXXXX")"
    chmod 711 "$WORK_DIR"
    trap _chaos_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    pg_setup_binaries
    pg_init "$WORK_DIR/pgdata"
    PG_STARTED=1
    pg_start "$WORK_DIR/pgdata" "$WORK_DIR/postgres.log"
    pg_create_db apportionment
}

chaos_start_service() {
    local project=src/Apportionment.Api/Apportionment.Api.csproj app_dll app_port
    log "building $project (Release)"
    dotnet build "$project" -c Release -nologo -v quiet >&2
    app_dll="$(dotnet msbuild "$project" -nologo -p:Configuration=Release -getProperty:TargetPath)"
    app_port="$(pg_free_port)"
    BASE="http://127.0.0.1:$app_port"
    ADMIN_KEY="chaos-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    (
        cd "$(dirname "$app_dll")" || exit 1
        ConnectionStrings__Apportionment="$(pg_conn_string apportionment)"
        export ConnectionStrings__Apportionment
        export Auth__AdminApiKey="$ADMIN_KEY" ASPNETCORE_URLS="$BASE" RateLimiting__PermitsPerSecond=100000
        export Logging__LogLevel__Default=Warning
        # shellcheck disable=SC2163 # the arguments are VAR=value pairs to export
        [ "$#" -gt 0 ] && export "$@"
        exec dotnet "$(basename "$app_dll")"
    ) >"$WORK_DIR/app.log" 2>&1 &
    APP_PID=$!
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && break
        sleep 0.5
    done
    curl -fsS -o /dev/null "$BASE/health/ready" || { log "service did not become ready"; tail -n 30 "$WORK_DIR/app.log" >&2; exit 1; }
    log "service ready on $BASE (pid $APP_PID)"
}

chaos_api() { curl -fsS -H "X-Api-Key: $ADMIN_KEY" -H 'Content-Type: application/json' "$@"; }

chaos_post_acknowledged() {
    local w="$1" key="$2" url="$3" body="$4" status retry_after tries=0
    while :; do
        tries=$((tries + 1))
        status="$(curl -sS -o /dev/null -D "$WORK_DIR/h.$w" -w '%{http_code}' --max-time 30 \
            -H "X-Api-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
            -X POST "$url" -d "$body" 2>/dev/null)" || status="${status:-000}"
        retry_after="$(tr -d '\r' <"$WORK_DIR/h.$w" 2>/dev/null | awk -F': ' 'tolower($1)=="retry-after"{print $2}')"
        echo "$key $status ${retry_after:--}" >>"$WORK_DIR/attempts.$w"
        case "$status" in
        201) echo "$key" >>"$WORK_DIR/acked.$w"; break ;;
        503) sleep "${retry_after:-1}" ;;
        000 | 5??) sleep 1 ;;
        *) break ;; # a 4xx is not retried: the request itself is wrong
        esac
        [ "$tries" -ge 60 ] && break
    done
}

chaos_acked_count() { cat "$WORK_DIR"/acked.* 2>/dev/null | wc -l; }

chaos_restart_postgres_at() {
    local restarts=0 target
    for target in "$@"; do
        while [ "$(chaos_acked_count)" -lt "$target" ]; do sleep 0.2; done
        log "restarting PostgreSQL after $(chaos_acked_count) acknowledged"
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATADIR" -l "$WORK_DIR/postgres.log" -m fast -w -t 60 restart >/dev/null
        restarts=$((restarts + 1))
    done
    echo "$restarts" >"$WORK_DIR/restarts"
}

chaos_partnership() {
    SUFFIX="$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')"
    HOST="H$SUFFIX" PARTNER="P$SUFFIX" SERVICE="S$SUFFIX"
    chaos_api -o /dev/null -X POST "$BASE/api/v1/councils" -d "{\"code\":\"$HOST\",\"name\":\"Host\"}"
    chaos_api -o /dev/null -X POST "$BASE/api/v1/councils" -d "{\"code\":\"$PARTNER\",\"name\":\"Partner\"}"
    chaos_api -o /dev/null -X POST "$BASE/api/v1/shared-services" \
        -d "{\"code\":\"$SERVICE\",\"name\":\"Chaos\",\"hostCouncil\":\"$HOST\",\"members\":[\"$HOST\",\"$PARTNER\"],\"startMonth\":\"2024-04\"}"
}

chaos_run_load() {
    local total="$1" workers="$2" worker="$3" w monkey pid pids=()
    # shellcheck disable=SC2034 # read by the calling script's report
    STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    SECONDS=0
    chaos_restart_postgres_at $((total / 3)) $((2 * total / 3)) &
    monkey=$!
    for ((w = 0; w < workers; w++)); do
        "$worker" "$w" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    wait "$monkey" || true
}

# Sets sent, created, unavailable_ra, unavailable_no_ra, other_5xx, conn_errors, client_4xx, acked; sorted keys in acked.
chaos_request_summary() {
    cat "$WORK_DIR"/attempts.* >"$WORK_DIR/attempts"
    cat "$WORK_DIR"/acked.* 2>/dev/null | sort >"$WORK_DIR/acked" || true
    sent="$(wc -l <"$WORK_DIR/attempts")"
    created="$(awk '$2=="201"' "$WORK_DIR/attempts" | wc -l)"
    unavailable_ra="$(awk '$2=="503" && $3!="-"' "$WORK_DIR/attempts" | wc -l)"
    unavailable_no_ra="$(awk '$2=="503" && $3=="-"' "$WORK_DIR/attempts" | wc -l)"
    other_5xx="$(awk '$2 ~ /^5/ && $2!="503"' "$WORK_DIR/attempts" | wc -l)"
    conn_errors="$(awk '$2=="000"' "$WORK_DIR/attempts" | wc -l)"
    client_4xx="$(awk '$2 ~ /^4/' "$WORK_DIR/attempts" | wc -l)"
    acked="$(wc -l <"$WORK_DIR/acked")"
    export sent created unavailable_ra unavailable_no_ra other_5xx conn_errors client_4xx acked
}
