#!/usr/bin/env bash
# The partner dashboard's overview on the demo data: page weight (bytes transferred, empty cache, budget 300 KB) and
# the time from pressing "Sign in" to Mid Devon's 2025-26 figures on screen (budget 1 s), over RUNS fresh tabs of
# Debian's chromium. Uses APPORTIONMENT_TEST_DB's server when set, else a throwaway PostgreSQL.
#
#   benchmarks/scripts/dashboard.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/demo-app.sh
source scripts/lib/demo-app.sh

demo_app_start dashboard-bench
demo_log "machine: nproc=$(nproc); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
node tools/dashboard/overview-weight.mjs "$APP_URL" "$MDDC_KEY" 2025-26 "${1:-5}"
