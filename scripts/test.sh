#!/usr/bin/env bash
# The one command that runs all tests. Extra arguments go to dotnet test (e.g. --filter Name~Product).
# Ends with a line "tests: N passed, N failed"; exits non-zero when a test fails or none ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# LogFilePrefix rather than LogFileName: a fixed file name is shared by all test projects, each overwriting the last.
status=0
dotnet test ProductHub.sln -c Release --nologo \
  --logger "console;verbosity=normal" \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  "$@" || status=$?

# Sum the counters of every TRX file (one per test project); grep/sed so that no python is needed.
passed=0
failed=0
while IFS= read -r counters; do
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done < <(find "$results" -name '*.trx' -exec grep -ho '<Counters [^>]*>' {} + 2>/dev/null || true)

echo "tests: $passed passed, $failed failed"
if [[ $status -eq 0 && $((passed + failed)) -eq 0 ]]; then
  echo "no test ran" >&2
  status=1
fi
exit "$status"
