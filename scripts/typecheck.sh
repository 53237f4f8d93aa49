#!/usr/bin/env bash
# `npm run typecheck`: every TypeScript project checked, in two lanes side by side (tsc uses one
# core; the server's project alone takes as long as the four others together). Each lane's output
# is printed whole once it ends; the exit status is non-zero if either lane found an error.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tsc -p packages/server/tsconfig.check.json >"$out/server" 2>&1 &
server=$!
{
  tsc -p packages/domain/tsconfig.check.json &&
    tsc -p packages/domain/tsconfig.test.json &&
    tsc -p packages/web/tsconfig.check.json &&
    tsc -p e2e/tsconfig.json
} >"$out/rest" 2>&1 &
rest=$!
status=0
wait "$server" || status=1
wait "$rest" || status=1
cat "$out/server" "$out/rest"
exit "$status"
