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

# P200's ERP is a real Tryton with its data in .data/tryton, on ProductHub__Demo__TrytonPort (8000 unless busy), stopped
# when the hub stops. ProductHub__Demo__Tryton=off: P200 takes files.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ "${ProductHub__Demo__Tryton:-on}" != off && -z "${ProductHub__Demo__Tryton__Url:-}" ]]; then
  tryton_port="${ProductHub__Demo__TrytonPort:-8000}"
  if listening "$tryton_port"; then
    tryton_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  fi
  tryton_data="$ProductHub__DataDirectory/tryton"
  mkdir -p "$ProductHub__DataDirectory"
  bash scripts/tryton.sh serve "$tryton_data" "$tryton_port" >"$ProductHub__DataDirectory/tryton.log" 2>&1 &
  tryton_pid=$!
  # A job started with & ignores Ctrl-C in a script: it is stopped here, once the hub has.
  trap 'kill "$tryton_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 900); do
    if listening "$tryton_port"; then break; fi
    sleep 0.2
  done
  echo "run-hub: Tryton (P200's ERP) on http://127.0.0.1:$tryton_port/erp/, user admin, password in $tryton_data/admin-password" >&2
  export ProductHub__Demo__Tryton__Url="http://127.0.0.1:$tryton_port/"
  export ProductHub__Demo__Tryton__PasswordFile="$tryton_data/admin-password"
  dotnet "$hub" "$@"
else
  exec dotnet "$hub" "$@"
fi
