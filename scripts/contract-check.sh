#!/usr/bin/env bash
# Checks the real service against openapi.yaml the way an integrator's tooling would: Stoplight Prism (pinned in
# tools/contract/package-lock.json) runs as a validating proxy in front of the service, and a small curl client
# drives the core workflow through it (councils, a service, an agreement proposed and approved, costs, a batch,
# activity, statements as JSON and CSV, settlement, savings) plus error cases. Any request or response that Prism
# reports as violating the contract fails the check. scripts/test.sh runs this as step_contract_check.
#
# Needs APPORTIONMENT_TEST_DB (an Npgsql connection string to a server's maintenance database, as test.sh exports):
# the service runs on a loopback port against a database of its own on that server, created by the service's
# migrations and dropped afterwards. No Docker; the network is used only by `npm ci`. The service and Prism are
# stopped however the script ends.
# Functions below are called indirectly (trap).
# shellcheck disable=SC2317
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

: "${APPORTIONMENT_TEST_DB:?set APPORTIONMENT_TEST_DB to an Npgsql connection string (scripts/test.sh does)}"

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/apportionment-contract.XXXXXX")"
DB_NAME="contract_$(date +%s)_$$"
APP_PID=""
PRISM_PID=""
FAILURES=0

log() { printf '[contract] %s\n' "$*" >&2; }

# Stops one background process: TERM, a few seconds' grace, then KILL.
stop_process() {
    local pid="$1" i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Runs psql against the server of APPORTIONMENT_TEST_DB (Host, Port, Username, Password of the Npgsql string).
admin_psql() {
    local pair key value host=127.0.0.1 port=5432 user=postgres password=""
    local -a pairs
    IFS=';' read -ra pairs <<<"$APPORTIONMENT_TEST_DB"
    for pair in "${pairs[@]}"; do
        key="$(tr '[:upper:]' '[:lower:]' <<<"${pair%%=*}" | tr -d ' ')"
        value="${pair#*=}"
        case "$key" in
        host | server) host="$value" ;;
        port) port="$value" ;;
        username | "user id" | userid | user) user="$value" ;;
        password) password="$value" ;;
        esac
    done
    local psql
    psql="$(command -v psql || true)"
    [ -n "$psql" ] || psql="$(_pg_find_bin)/psql"
    PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 "$psql" -X -q -h "$host" -p "$port" -U "$user" -d postgres "$@"
}

cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM HUP PIPE
    set +e
    stop_process "$PRISM_PID"
    stop_process "$APP_PID"
    if ! admin_psql -c "drop database if exists \"$DB_NAME\" with (force)" >/dev/null 2>&1; then
        log "could not drop database $DB_NAME (psql not found or server unreachable)"
    fi
    if [ "$rc" -ne 0 ]; then
        log "the service's warnings and errors:"
        grep -E '"LogLevel":"(Warning|Error|Critical)"' "$WORK/app.log" | tail -n 20 >&2
        log "Prism's errors and warnings:"
        grep -E 'error|warning|Violation' "$WORK/prism.log" | tail -n 40 >&2
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

wait_for() {
    local url="$1" pid="$2" what="$3" i
    for i in $(seq 1 240); do
        if curl -s -o /dev/null --max-time 2 "$url"; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$what exited before answering"
            return 1
        fi
        sleep 0.5
    done
    log "$what did not answer at $url within 120 s"
    return 1
}

# --- tools, build, service, proxy ---------------------------------------------------
npm ci --prefix tools/contract --no-audit --no-fund --loglevel=error --prefer-offline
PRISM=tools/contract/node_modules/.bin/prism

PROJECT=src/Apportionment.Api/Apportionment.Api.csproj
dotnet build "$PROJECT" -c Release -nologo -v quiet
APP_DLL="$(dotnet msbuild "$PROJECT" -nologo -p:Configuration=Release -getProperty:TargetPath)"

APP_PORT="$(pg_free_port)"
ADMIN_KEY="contract-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
(
    cd "$(dirname "$APP_DLL")"
    export ConnectionStrings__Apportionment="$APPORTIONMENT_TEST_DB;Database=$DB_NAME"
    export Auth__AdminApiKey="$ADMIN_KEY" ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT" ASPNETCORE_ENVIRONMENT=Production
    exec dotnet "$(basename "$APP_DLL")"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
wait_for "http://127.0.0.1:$APP_PORT/health/ready" "$APP_PID" "the service"

PRISM_PORT="$(pg_free_port)"
"$PRISM" proxy openapi.yaml "http://127.0.0.1:$APP_PORT" --errors --host 127.0.0.1 --port "$PRISM_PORT" >"$WORK/prism.log" 2>&1 &
PRISM_PID=$!
wait_for "http://127.0.0.1:$PRISM_PORT/api/v1/version" "$PRISM_PID" "Prism"
log "service on :$APP_PORT, Prism validating proxy on :$PRISM_PORT"

# --- client ---------------------------------------------------------------------------
API="http://127.0.0.1:$PRISM_PORT/api/v1"
BODY="$WORK/body"

# call EXPECTED_STATUS METHOD PATH [curl args...]: one request through Prism; fails the check if the status is not
# the expected one or Prism reports a violation (sl-violations header, or its own problem type with --errors).
call() {
    local expected="$1" method="$2" path="$3" status
    shift 3
    status="$(curl -sS -o "$BODY" -D "$WORK/headers" -w '%{http_code}' -X "$method" -H "X-Api-Key: ${KEY:-$ADMIN_KEY}" "$@" "$API$path")"
    if [ "$status" != "$expected" ]; then
        log "FAIL $method $path: expected $expected, got $status: $(head -c 600 "$BODY")"
        FAILURES=$((FAILURES + 1))
    elif grep -qi '^sl-violations:' "$WORK/headers" || grep -q 'stoplight.io/prism/errors' "$BODY"; then
        log "FAIL $method $path: contract violation: $(grep -i '^sl-violations:' "$WORK/headers" | head -c 1000) $(head -c 1000 "$BODY")"
        FAILURES=$((FAILURES + 1))
    else
        log "ok   $status $method $path"
    fi
}

json() { call "$@" -H 'Content-Type: application/json'; }

# The value of the first "NAME":"value" in the last response body.
field() { grep -o "\"$1\":\"[^\"]*\"" "$BODY" | head -n 1 | sed 's/.*:"\(.*\)"/\1/'; }

json 201 POST /councils -d '{"code":"MDDC","name":"Mid Devon District Council"}'
json 201 POST /councils -d '{"code":"NDC","name":"North Devon Council"}'
json 201 POST /councils -d '{"code":"TDC","name":"Torridge District Council"}'
call 200 GET /councils
json 201 POST /shared-services -d '{"code":"BC-DEVON","name":"Devon Building Control","hostCouncil":"MDDC","members":["MDDC","NDC","TDC"],"startMonth":"2024-04"}'
json 201 POST /shared-services -d '{"code":"AUDIT","name":"Audit Partnership","hostCouncil":"NDC","members":["MDDC","NDC"],"startMonth":"2024-04"}'
call 200 GET /shared-services/BC-DEVON

json 201 POST /shared-services/BC-DEVON/agreements -d '{"effectiveFrom":"2024-04","method":"fixed","shares":[{"council":"MDDC","percent":40.00},{"council":"NDC","percent":35.00},{"council":"TDC","percent":25.00}]}'
AGREEMENT="$(field id)"
for council in MDDC NDC TDC; do
    json 200 POST "/shared-services/BC-DEVON/agreements/$AGREEMENT/approvals" -d "{\"council\":\"$council\"}"
done
call 200 GET /shared-services/BC-DEVON/agreements
json 201 POST /shared-services/AUDIT/agreements -d '{"effectiveFrom":"2024-04","method":"driver","driver":"audit-days","councils":["MDDC","NDC"]}'
AGREEMENT="$(field id)"
for council in MDDC NDC; do
    json 200 POST "/shared-services/AUDIT/agreements/$AGREEMENT/approvals" -d "{\"council\":\"$council\"}"
done
json 200 PUT /shared-services/AUDIT/activity/2024-04 -d '{"driver":"audit-days","quantities":{"MDDC":12.5,"NDC":30}}'
call 200 GET /shared-services/AUDIT/activity/2024-04

json 201 POST /shared-services/BC-DEVON/costs -d '{"month":"2024-04","amount":12500.10,"category":"staff","paidBy":"MDDC","reference":"INV-1043"}'
COST="$(field id)"
json 201 POST /shared-services/BC-DEVON/costs -d '{"month":"2024-05","amount":-2150.03,"category":"fee income","paidBy":"NDC"}'
json 201 POST "/costs/$COST/reversal" -d '{"reason":"Posted twice."}'
call 200 GET "/costs/$COST"
json 201 POST /cost-batches -d '[{"service":"BC-DEVON","month":"2024-04","amount":306606.09,"category":"staff","paidBy":"MDDC"},{"service":"AUDIT","month":"2024-04","amount":1354107.15,"category":"staff","paidBy":"NDC"}]'
call 201 POST /cost-batches -H 'Content-Type: text/csv' --data-binary $'service,month,amount,category,paidBy,reference,description\r\nBC-DEVON,2024-06,12500.00,staff,MDDC,PAY-1,"Surveyors, June"\r\nAUDIT,2024-05,700.00,staff,NDC,,\r\n'
call 200 GET '/shared-services/BC-DEVON/costs?period=2024-25-Q1'
call 200 GET '/shared-services/BC-DEVON/costs?period=2024-25-Q1' -H 'Accept: text/csv'

call 200 GET /shared-services/BC-DEVON/apportionments/2024-25-Q1
call 200 GET /shared-services/BC-DEVON/apportionments/2024-25-Q1 -H 'Accept: text/csv'
# AUDIT's May has a cost but no activity figures: the statement leaves it out and lists it as unapportioned.
call 200 GET /councils/MDDC/recharge-statements/2024-25-Q1
call 200 GET /councils/MDDC/recharge-statements/2024-25-Q1 -H 'Accept: text/csv'
call 200 GET /councils/MDDC/recharge-statements/2024-25-Q1 -H 'Accept: text/csv;q=0, application/json'
call 200 GET '/shared-services/BC-DEVON/settlements/2024-25-Q1?model=netting'
json 200 PUT /shared-services/BC-DEVON/baselines/MDDC -d '{"annualCost":180000.00,"note":"2023-24 outturn"}'
call 200 GET /shared-services/BC-DEVON/savings/2024-25-Q1
call 200 GET /councils/MDDC/savings/2024-25-Q1
call 200 GET '/shared-services/BC-DEVON/savings?to=2024-25'
call 200 GET /shared-services/BC-DEVON/periods
call 200 POST /shared-services/BC-DEVON/periods/2024-04/close
call 200 GET /version

# Errors: each must be the documented problem+json.
KEY=not-a-key call 401 GET /councils
call 404 GET /shared-services/NO-SUCH
json 409 POST /councils -d '{"code":"MDDC","name":"Mid Devon again"}'
json 409 POST /shared-services/BC-DEVON/costs -d '{"month":"2024-04","amount":1.00,"category":"staff"}'
json 400 POST /shared-services/BC-DEVON/costs -d '{"month":"2024-06","amount":10.001,"category":"staff"}'
call 422 GET /shared-services/AUDIT/apportionments/2024-25-Q1
json 201 POST /api-keys -d '{"name":"Torridge finance","council":"TDC","scopes":["statements:read"]}'
KEY="$(field key)" call 403 GET /councils/MDDC/recharge-statements/2024-25

# Prism also logs what it found; a violation there fails the check even if no response carried it.
if grep -qiE 'violation' "$WORK/prism.log"; then
    log "Prism logged violations:"
    grep -iE 'violation' "$WORK/prism.log" | head -n 40 >&2
    FAILURES=$((FAILURES + 1))
fi

if [ "$FAILURES" -gt 0 ]; then
    log "$FAILURES failure(s)"
    exit 1
fi
log "no contract violations"
