#!/usr/bin/env bash
# The benchmark (docs/performance.md): builds in Release, then generates a seeded catalog and measures ingest,
# release-to-ERP latency, queries, re-sync and rebuild against the real hub on its own throwaway PostgreSQL.
# Prints a table and writes bench/results/<timestamp>.json. Options: --parts N (default 20000), --quick, --seed N, --rate N,
# --only queries (ingest, plants and queries only), --only delivery (no queries, no rebuild), --only structure (release
# time of deep chains against parts side by side, nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
dotnet build ProductHub.sln -c Release --nologo -v quiet
exec dotnet bench/ProductHub.Bench/bin/Release/net10.0/ProductHub.Bench.dll "$@"
