#!/usr/bin/env bash
# Prints a bearer token for the hub started by run-hub.sh, signed with its key (.data/auth/signing-key, or
# ProductHub__Auth__SigningKey when set). Examples:
#   scripts/dev-token.sh --role admin
#   scripts/dev-token.sh --role plm --subject alice --hours 2
#   scripts/dev-token.sh --role erp --plant P100 --plant P200
# Roles: plm, erp (with --plant), auditor, admin; repeat --role for several.
set -euo pipefail
cd "$(dirname "$0")/.."
export ProductHub__DataDirectory="${ProductHub__DataDirectory:-$PWD/.data}"
# Build output to stderr, so that TOKEN="$(scripts/dev-token.sh --role admin)" holds the token alone.
dotnet build src/Hub -c Release -v q --nologo 1>&2
exec dotnet src/Hub/bin/Release/net10.0/ProductHub.Hub.dll token "$@"
