#!/usr/bin/env bash
# Runs the whole test suite (README and CI call exactly this script).
#
# - Starts a throwaway PostgreSQL (fresh mktemp -d data dir, removed afterwards whatever
#   happens) unless APPORTIONMENT_TEST_DB is already set, and exports
#   APPORTIONMENT_TEST_DB=<Npgsql connection string to its `postgres` maintenance DB>.
#   Tests create (and drop) their own databases on that server.
# - Runs `dotnet test Apportionment.sln -c Release` with TRX output.
# - Prints one closing line totalled over every test project: "N passed, M failed, K skipped".
# - Exits with dotnet test's status; non-zero too if no TRX file was produced or no test passed.
#
# Optional: APPORTIONMENT_TEST_RESULTS_DIR=<dir> keeps a copy of the TRX files there.
# Extra arguments are passed to `dotnet test` (e.g. --filter "FullyQualifiedName~Domain").
# Functions below are called indirectly (trap, STEPS list).
# shellcheck disable=SC2317
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/chromium.sh
source scripts/lib/chromium.sh

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE="${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/apportionment-test.XXXXXX")"
chmod 711 "$WORK_DIR" # the postgres OS user must be able to reach $WORK_DIR/pgdata
RESULTS_DIR="$WORK_DIR/results"
TEST_PG_STARTED=0
DOTNET_TEST_RC=0
DOTNET_TEST_ARGS=("$@")

cleanup() {
    local rc=$?
    # Ignore (not reset) further signals: a second Ctrl-C or SIGTERM must not cut the clean-up short and leave
    # PostgreSQL running.
    trap - EXIT
    trap '' INT TERM HUP
    # Keep cleaning up even if stdout/stderr went away (e.g. `| tee` killed by Ctrl-C).
    trap '' PIPE
    set +e
    if [ "$TEST_PG_STARTED" = 1 ]; then
        pg_stop "$WORK_DIR/pgdata" || true
    fi
    rm -rf "$WORK_DIR"
    # On CI, do not leave MSBuild/Roslyn build servers running after the run.
    if [ "${CI:-}" = true ]; then
        dotnet build-server shutdown >/dev/null 2>&1
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------------------
# Steps. Each is a function; STEPS below lists them in order. A step that fails
# (non-zero status) aborts the run, except step_dotnet_test, whose status is
# recorded so the summary can still be printed. Insert new steps (e.g. an
# OpenAPI lint) before step_dotnet_test.
# ---------------------------------------------------------------------------

step_database() {
    if [ -n "${APPORTIONMENT_TEST_DB:-}" ]; then
        pg_log "using APPORTIONMENT_TEST_DB from the environment"
        return 0
    fi
    pg_setup_binaries
    pg_init "$WORK_DIR/pgdata"
    TEST_PG_STARTED=1
    # Throwaway server: durability off for speed; room for parallel test classes.
    pg_start "$WORK_DIR/pgdata" "$WORK_DIR/postgres.log" \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=300
    APPORTIONMENT_TEST_DB="$(pg_conn_string postgres)"
    export APPORTIONMENT_TEST_DB
    pg_log "APPORTIONMENT_TEST_DB=$APPORTIONMENT_TEST_DB"
}

# Every relative link in the Markdown (README.md, docs/, ...) must name a file that exists and, into Markdown, a
# heading that exists: the README links to the docs it was cut into, and they link to each other.
step_doc_links() {
    python3 scripts/check-doc-links.py
}

# Lints the committed contract (openapi.yaml; OpenApiContractTests keep it equal to the served document) with the
# Redocly CLI pinned in tools/openapi/package-lock.json and the rules in redocly.yaml: any error or warning fails.
step_openapi_lint() {
    npm ci --prefix tools/openapi --no-audit --no-fund --loglevel=error --prefer-offline
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
        tools/openapi/node_modules/.bin/redocly lint openapi.yaml --config redocly.yaml --max-problems 50
}

# The TypeScript integrator example (tools/typescript-client/statement.ts, shown in docs/integrators.md) must compile
# against types generated from openapi.yaml, with the statement read typed as its JSON DTO and no cast
# (statement.check.ts). openapi-typescript, openapi-fetch and TypeScript are pinned in its package-lock.json.
step_typescript_client() {
    local dir=tools/typescript-client
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error --prefer-offline
    "$dir/node_modules/.bin/openapi-typescript" openapi.yaml --output "$dir/apportionment.d.ts"
    "$dir/node_modules/.bin/tsc" --project "$dir/tsconfig.json"
    node -e 'const fs = require("fs");
        if (!fs.readFileSync("docs/integrators.md", "utf8").includes(fs.readFileSync(process.argv[1], "utf8"))) {
            console.error("docs/integrators.md no longer shows " + process.argv[1] + " as it is");
            process.exit(1);
        }' "$dir/statement.ts"
}

# Runs the service against the test PostgreSQL behind Stoplight Prism as a validating proxy (pinned in
# tools/contract/package-lock.json) and drives the core workflow through it: any response that violates openapi.yaml
# fails the run. See scripts/contract-check.sh.
step_contract_check() {
    scripts/contract-check.sh
}

# The dashboard's browser tests (tests/Apportionment.Dashboard.Tests) drive Debian's chromium, installed like PostgreSQL.
step_browser() {
    chromium_setup
    chromium_log "$("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
}

step_dotnet_test() {
    mkdir -p "$RESULTS_DIR"
    dotnet test Apportionment.sln -c Release \
        --logger "trx;LogFilePrefix=r" \
        --logger "console;verbosity=normal" \
        --results-directory "$RESULTS_DIR" \
        "${DOTNET_TEST_ARGS[@]}" || DOTNET_TEST_RC=$?
}

STEPS=(
    step_database
    step_doc_links
    step_openapi_lint
    step_typescript_client
    step_contract_check
    step_browser
    step_dotnet_test
)

# Totals the <Counters .../> of every TRX file and prints "N passed, M failed, K skipped".
# TRX semantics (VSTest, checked with xUnit 2 + Microsoft.NET.Test.Sdk 18): a skipped test
# has outcome NotExecuted and is counted in `total` but not in `executed`, while the
# `notExecuted` counter stays 0. So: skipped = total - executed;
# failed = failed + error + timeout + aborted.
summarize() {
    local files=() f counters attr val
    local passed=0 failed=0 skipped=0 total executed
    if [ -d "$RESULTS_DIR" ]; then
        while IFS= read -r -d '' f; do files+=("$f"); done \
            < <(find "$RESULTS_DIR" -type f -name '*.trx' -print0)
    fi
    if [ "${#files[@]}" -eq 0 ]; then
        echo
        echo "0 passed, 0 failed, 0 skipped"
        echo "test.sh: no TRX result files found (did the build fail?)" >&2
        return 1
    fi
    for f in "${files[@]}"; do
        counters="$(grep -o '<Counters [^>]*>' "$f" | head -n 1 || true)"
        if [ -z "$counters" ]; then
            echo "test.sh: no <Counters> in $f (test run aborted?); counted as 1 failure" >&2
            failed=$((failed + 1))
            continue
        fi
        total=0
        executed=0
        for attr in total executed passed failed error timeout aborted; do
            val="$(grep -o " $attr=\"[0-9]*\"" <<<"$counters" | grep -o '[0-9][0-9]*' || true)"
            val="${val:-0}"
            case "$attr" in
            total) total="$val" ;;
            executed) executed="$val" ;;
            passed) passed=$((passed + val)) ;;
            *) failed=$((failed + val)) ;;
            esac
        done
        if [ "$total" -gt "$executed" ]; then
            skipped=$((skipped + total - executed))
        fi
    done
    if [ -n "${APPORTIONMENT_TEST_RESULTS_DIR:-}" ]; then
        mkdir -p "$APPORTIONMENT_TEST_RESULTS_DIR"
        cp "${files[@]}" "$APPORTIONMENT_TEST_RESULTS_DIR"/
    fi
    echo
    echo "${passed} passed, ${failed} failed, ${skipped} skipped"
    if [ "$passed" -eq 0 ]; then
        echo "test.sh: no test passed" >&2
        return 1
    fi
    if [ "$failed" -gt 0 ] && [ "$DOTNET_TEST_RC" -eq 0 ]; then
        return 1
    fi
    return 0
}

for step in "${STEPS[@]}"; do
    "$step"
done

# Stop the throwaway server now (not only in the EXIT trap) so that the summary
# line below is the last thing printed.
if [ "$TEST_PG_STARTED" = 1 ]; then
    pg_stop "$WORK_DIR/pgdata" || true
    TEST_PG_STARTED=0
fi

summary_rc=0
summarize || summary_rc=$?
if [ "$DOTNET_TEST_RC" -ne 0 ]; then
    exit "$DOTNET_TEST_RC"
fi
exit "$summary_rc"
