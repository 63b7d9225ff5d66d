#!/usr/bin/env bash
# A local Tryton (Debian's tryton-server 6.0) for the demo and the tests: the hub's first real ERP.
#
#   scripts/tryton.sh template         initialises, once per machine, a SQLite database with the production,
#                                      production_routing and purchase modules (about 35 s), and prints its folder
#   scripts/tryton.sh serve DIR PORT   copies that database into DIR (unless DIR has one) and serves it with trytond on
#                                      127.0.0.1:PORT in the foreground; JSON-RPC at http://127.0.0.1:PORT/erp/
#
# The database is "erp", its user "admin"; the password is made at random with the template and kept in
# DIR/admin-password (mode 600): the hub reads it from there ("passwordFrom": {"file": ...}), so it is never typed.
set -euo pipefail

template_dir="${PRODUCTHUB_TRYTON_TEMPLATE:-/var/tmp/producthub-tryton-template}"
database=erp

write_config() { # folder port
  cat >"$1/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $1

[web]
listen = 127.0.0.1:$2

[session]
authentications = password
CONF
}

template() {
  if [[ -f "$template_dir/ready" ]]; then
    echo "$template_dir"
    return
  fi
  mkdir -p "$(dirname "$template_dir")"
  exec 9>"$template_dir.lock"
  flock 9 # two test runs starting together initialise it once
  if [[ ! -f "$template_dir/ready" ]]; then
    rm -rf "$template_dir.tmp" && mkdir -p "$template_dir.tmp"
    local folder="$template_dir.tmp"
    write_config "$folder" 8000
    : >"$folder/$database.sqlite"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$folder/admin-password")
    echo "tryton: initialising the template database (once per machine, about 35 s)..." >&2
    TRYTONPASSFILE="$folder/admin-password" trytond-admin -c "$folder/trytond.conf" -d "$database" --all \
      --email admin@example.com >"$folder/init.log" 2>&1
    trytond-admin -c "$folder/trytond.conf" -d "$database" -u production production_routing purchase \
      --activate-dependencies >>"$folder/init.log" 2>&1
    rm -f "$folder/trytond.conf"
    touch "$folder/ready"
    rm -rf "$template_dir" && mv "$folder" "$template_dir"
  fi
  echo "$template_dir"
}

serve() { # folder port
  local folder="$1" port="$2" from
  from="$(template)"
  mkdir -p "$folder"
  if [[ ! -f "$folder/$database.sqlite" ]]; then
    cp "$from/$database.sqlite" "$folder/$database.sqlite"
    (umask 077 && cp "$from/admin-password" "$folder/admin-password")
  fi
  write_config "$folder" "$port"
  exec trytond -c "$folder/trytond.conf"
}

case "${1:-}" in
  template) template ;;
  serve) serve "$(realpath -m "$2")" "$3" ;;
  *) echo "usage: scripts/tryton.sh template | serve DIR PORT" >&2; exit 2 ;;
esac
