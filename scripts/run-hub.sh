#!/usr/bin/env bash
# The one command that starts the hub with demo data. Extra arguments go to the hub.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
exec dotnet run --project src/Hub -c Release -- --demo "$@"
