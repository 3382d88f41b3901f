#!/usr/bin/env bash
# Lints the deployment files and shell scripts (not called by scripts/test.sh).
#   yamllint   docker-compose.yml, deploy/**/*.yaml, .yamllint
#   ShellCheck: scripts/**/*.sh and .ci/run
#   compose    `docker compose config` / `docker-compose config` when either is available
# Installs yamllint and shellcheck with apt-get when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v yamllint >/dev/null 2>&1 || need+=(yamllint)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "[lint] installing ${need[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq "${need[@]}" >&2
    else
        echo "[lint] missing: ${need[*]} (install them, e.g. apt-get install ${need[*]})" >&2
        exit 1
    fi
fi

rc=0
yaml_files=(docker-compose.yml .yamllint)
while IFS= read -r -d '' f; do yaml_files+=("$f"); done \
    < <(find deploy -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z)

echo "[lint] yamllint ${yaml_files[*]}"
yamllint --strict "${yaml_files[@]}" || rc=1

sh_files=(.ci/run)
while IFS= read -r -d '' f; do sh_files+=("$f"); done \
    < <(find scripts -type f -name '*.sh' -print0 | sort -z)
echo "[lint] shellcheck ${sh_files[*]}"
shellcheck -x "${sh_files[@]}" || rc=1

# Compose validation needs no Docker engine, only a compose implementation.
compose=()
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
fi
if [ "${#compose[@]}" -gt 0 ]; then
    echo "[lint] ${compose[*]} config"
    APPORTIONMENT_ADMIN_KEY="${APPORTIONMENT_ADMIN_KEY:-lint-placeholder}" \
        "${compose[@]}" -f docker-compose.yml config -q || rc=1
else
    echo "[lint] skipped compose validation: neither 'docker compose' nor 'docker-compose' is installed"
fi

echo "[lint] hadolint is not packaged for Debian; Dockerfile not linted"
if [ "$rc" -eq 0 ]; then
    echo "[lint] OK"
fi
exit "$rc"
