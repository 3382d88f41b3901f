#!/usr/bin/env bash
# Screenshots of every dashboard page from the demo data, as Mid Devon sees 2025-26, with the sign-in page and the
# council identity provider's login form: desktop (1280 px) and phone (375 px), full page, into docs/dashboard/.
# They are taken by the dashboard's browser tests (ScreenshotTests, run alone): the same service, demo data, real
# OpenID provider on loopback and Debian chromium as the tests. Uses APPORTIONMENT_TEST_DB's server when set, else a
# throwaway PostgreSQL (scripts/lib/postgres.sh).
#
#   scripts/dashboard-screenshots.sh [OUT_DIR]
# shellcheck disable=SC2317
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/chromium.sh
source scripts/lib/chromium.sh

OUT_DIR="$(mkdir -p "${1:-docs/dashboard}" && cd "${1:-docs/dashboard}" && pwd -P)"
chromium_setup
npm ci --prefix tools/oidc-provider --no-audit --no-fund --loglevel=error --prefer-offline

if [ -z "${APPORTIONMENT_TEST_DB:-}" ]; then
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/apportionment-screenshots.XXXXXX")"
    chmod 711 "$WORK_DIR"
    trap 'pg_stop "$WORK_DIR/pgdata"; rm -rf "$WORK_DIR"' EXIT
    pg_setup_binaries
    pg_init "$WORK_DIR/pgdata"
    pg_start "$WORK_DIR/pgdata" "$WORK_DIR/postgres.log" -c fsync=off -c synchronous_commit=off
    APPORTIONMENT_TEST_DB="$(pg_conn_string postgres)"
    export APPORTIONMENT_TEST_DB
fi

DASHBOARD_SCREENSHOTS_DIR="$OUT_DIR" dotnet test tests/Apportionment.Dashboard.Tests -c Release \
    --filter "FullyQualifiedName~ScreenshotTests" --logger "console;verbosity=normal"
ls -1 "$OUT_DIR"/*.png
