#!/usr/bin/env bash
# Screenshots of every dashboard page from the demo data, as Mid Devon sees 2025-26: desktop (1280 px) and phone
# (375 px), full page, into docs/dashboard/. Debian's chromium through playwright-core (tools/dashboard); no browser
# is downloaded. Uses APPORTIONMENT_TEST_DB's server when set, else a throwaway PostgreSQL.
#
#   scripts/dashboard-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/demo-app.sh
source scripts/lib/demo-app.sh

OUT_DIR="${1:-docs/dashboard}"
demo_app_start dashboard-screenshots
# A proposal naming Mid Devon, so the Approvals page shows what one looks like (the demo's own wait for others).
api POST /shared-services/BC-MDND/agreements \
    '{"effectiveFrom":"2026-03","method":"fixed","shares":[{"council":"MDDC","percent":52},{"council":"NDC","percent":48}]}' >/dev/null
node tools/dashboard/screenshots.mjs "$APP_URL" "$MDDC_KEY" "$OUT_DIR" 2025-26
