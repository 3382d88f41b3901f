# shellcheck shell=bash
# Debian's chromium for the dashboard's browser tests (Playwright drives it; no browser is ever downloaded).
#
#   chromium_setup      find /usr/bin/chromium, or apt-get install the Debian `chromium` package (as root)
#
# Exports PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 so no Playwright step tries to fetch a browser of its own.

chromium_log() { printf '[chromium] %s\n' "$*" >&2; }

chromium_setup() {
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
    if [ -x "$CHROMIUM" ]; then
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        chromium_log "chromium not found; installing the Debian 'chromium' package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq chromium >&2
    fi
    if [ ! -x "$CHROMIUM" ]; then
        chromium_log "no chromium at $CHROMIUM: install Debian's chromium package (or set CHROMIUM) for the dashboard tests"
        return 1
    fi
}
