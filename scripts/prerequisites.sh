#!/usr/bin/env bash
# Makes sure a fresh Debian 12 machine has what building, testing and running the hub need:
# the PostgreSQL server binaries (the hub and the tests start a private cluster from them), Chromium for the
# workbench's browser tests, Python for the XML receiver tests, Tryton (the first real ERP), and the .NET 10 SDK.
set -euo pipefail

have_postgres_server() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    # Debian's pg_config may come from libpq-dev and point to /usr/bin, where initdb does not live.
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then return 0; fi
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then return 0; fi
  done
  return 1
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "prerequisites: need root (or sudo) to run: $*" >&2
    exit 1
  fi
}

if ! have_postgres_server; then
  echo "prerequisites: installing the PostgreSQL server binaries (apt-get install postgresql)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if ! have_postgres_server; then
    echo "prerequisites: postgresql was installed but initdb/pg_ctl are still not found" >&2
    exit 1
  fi
fi

# The workbench's browser tests drive Debian's Chromium (Playwright is pointed at /usr/bin/chromium); the driver
# package comes with it so that Selenium-style tools find a matching chromedriver too.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "prerequisites: installing Chromium for the browser tests (apt-get install chromium chromium-driver)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  if [[ ! -x /usr/bin/chromium ]]; then
    echo "prerequisites: chromium was installed but /usr/bin/chromium is still not found" >&2
    exit 1
  fi
fi

# The file-channel tests read the XML files the hub writes with an independent, strict parser: Python's expat.
if ! command -v python3 >/dev/null 2>&1; then
  echo "prerequisites: installing Python for the XML receiver tests (apt-get install python3)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi

# The first real ERP: Tryton 6.0 with manufacturing, which the demo's second plant delivers to and the connector's tests
# start (scripts/tryton.sh). Without recommends: those would pull in a desktop's worth of packages.
tryton_packages=(tryton-server tryton-modules-production tryton-modules-production-routing tryton-modules-purchase)
if ! command -v trytond >/dev/null 2>&1 || ! dpkg -s "${tryton_packages[@]}" >/dev/null 2>&1; then
  echo "prerequisites: installing Tryton for the ERP connector (apt-get install ${tryton_packages[*]})..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tryton_packages[@]}" >/dev/null
  if ! command -v trytond >/dev/null 2>&1; then
    echo "prerequisites: tryton-server was installed but trytond is still not found" >&2
    exit 1
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "prerequisites: the .NET 10 SDK is needed but 'dotnet' is not on PATH." >&2
  echo "  Install the .NET 10 SDK (Microsoft's packages or dotnet-install.sh), then run this again." >&2
  exit 1
fi
if ! dotnet --list-sdks 2>/dev/null | grep -Eq '^(1[0-9]|[2-9][0-9])\.'; then
  echo "prerequisites: the .NET 10 SDK is needed; installed SDKs: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')" >&2
  exit 1
fi

echo "prerequisites: ok"
