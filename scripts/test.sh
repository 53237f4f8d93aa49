#!/usr/bin/env bash
# Everything `make test` runs: lint, types, unit + API tests on PGlite, the same API tests on a
# real PostgreSQL server started here, the build, and the browser journeys in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC

step() { printf '\n== %s\n' "$*"; }

step "Dependency gate (minimum versions of pdfjs-dist, fastify and the multipart parser)"
# `npm audit` is not run: the registry this project installs from answers its audit endpoint with
# 405 (tried 2026-12-07); the gate asserts the versions that fix the known advisories instead.
node scripts/check-deps.mjs

step "Biome"
npx biome ci --colors=off .

step "Type check"
npm run --silent typecheck

step "Migrations are up to date with the schema"
(cd packages/server && npx drizzle-kit generate --name drift-check >/tmp/accord-drift.log 2>&1) || { cat /tmp/accord-drift.log; exit 1; }
if ! git diff --quiet --exit-code -- packages/server/drizzle || [ -n "$(git ls-files --others --exclude-standard packages/server/drizzle)" ]; then
  echo "The Drizzle schema has changes without a migration: run npx drizzle-kit generate in packages/server" >&2
  git status --short packages/server/drizzle >&2
  exit 1
fi

# The report tests turn PDFs into pages and text with poppler (pdftoppm, pdftotext).
if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's poppler-utils package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null
  else
    echo "poppler-utils is missing: apt-get install poppler-utils" >&2
    exit 1
  fi
fi

step "Unit, dataset and API tests (PGlite)"
npx vitest run --reporter=dot

step "API tests (PostgreSQL)"
# Tests whose outcome does not depend on the engine (the process, configuration, lock, headers,
# API-document, route-schema, password, cookie and fallback tests) ran above on PGlite and are not
# repeated here.
bash scripts/with-postgres.sh npx vitest run --reporter=dot packages/server/test \
  --exclude "**/process.test.ts" --exclude "**/openapi.test.ts" --exclude "**/config.test.ts" \
  --exclude "**/data-dir-lock.test.ts" --exclude "**/api-docs.test.ts" --exclude "**/security-headers.test.ts" \
  --exclude "**/pglite-files.test.ts" --exclude "**/pglite-worker.test.ts" --exclude "**/pglite-statements.test.ts" \
  --exclude "**/transaction-db-use.test.ts" \
  --exclude "**/route-schemas.test.ts" --exclude "**/password-hashing.test.ts" --exclude "**/password-policy.test.ts" \
  --exclude "**/generated-password.test.ts" --exclude "**/prototype-pollution.test.ts" --exclude "**/web-fallback.test.ts" \
  --exclude "**/session-cookie.test.ts"

step "Build"
npm run --silent build

step "End-to-end (Chromium)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: apt-get install chromium" >&2
    exit 1
  fi
fi
npx tsx e2e/run.ts
