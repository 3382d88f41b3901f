#!/usr/bin/env bash
# Generates a client for the Apportionment API from the committed contract (openapi.yaml) with Kiota, pinned in
# dotnet-tools.json. The C# client needs no command: src/Apportionment.Client generates it at build.
#
#   scripts/generate-client.sh <language> [output dir] [namespace]
#
# language: any Kiota language, e.g. TypeScript, Python, Java, Go, PHP, Ruby, Dart, CSharp
# (`dotnet tool run kiota info` lists them with their maturity). Output defaults to clients/<language>/ (ignored by
# git); namespace (package or module name) to apportionment.client.
# TypeScript integrators may prefer openapi-typescript + openapi-fetch (docs/integrators.md).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
language="$1"
output="${2:-clients/$language}"
namespace="${3:-apportionment.client}"

dotnet tool restore >/dev/null
KIOTA_TUTORIAL_ENABLED=false dotnet tool run kiota generate \
    --language "$language" \
    --openapi openapi.yaml \
    --output "$output" \
    --class-name ApportionmentClient \
    --namespace-name "$namespace" \
    --exclude-backward-compatible \
    --clean-output \
    --log-level Warning
echo "generate-client: $language client in $output"
