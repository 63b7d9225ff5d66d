#!/usr/bin/env bash
# The one command that starts the hub with demo data, on http://localhost:5080 unless --urls says otherwise.
# Extra arguments go to the hub (e.g. --urls http://0.0.0.0:8080). Its own PostgreSQL keeps data in .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
export ProductHub__Demo=true
# The Release build runs as Production, where the hub's own PostgreSQL is used only when asked for (a deployment
# that forgot ConnectionStrings__ProductHub must not start on an empty private database); a connection string wins.
export ProductHub__Database__Embedded="${ProductHub__Database__Embedded:-true}"
export ProductHub__DataDirectory="${ProductHub__DataDirectory:-$PWD/.data}"
# The legacy file route: an ERP drops <plant>/*.csv of reference data here.
export ProductHub__ReferenceDataDropFolder="${ProductHub__ReferenceDataDropFolder:-$ProductHub__DataDirectory/drop/reference-data}"
# ... and operations drop status events (*.json) here.
export ProductHub__StatusEventDropFolder="${ProductHub__StatusEventDropFolder:-$ProductHub__DataDirectory/drop/status-events}"
hub="$(bash scripts/build-hub.sh)"
exec dotnet "$hub" "$@"
