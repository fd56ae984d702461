#!/usr/bin/env bash
# npm test: unit and integration tests, then the browser tests in Chromium.
# DATABASE_URL set → everything runs on that PostgreSQL server; unset → embedded PGlite.
set -euo pipefail
npx vitest run "$@"
if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then
  npx vitest run -c vitest.e2e.config.ts
elif [ "${CI:-}" = "true" ]; then
  echo "Chromium is required for the browser tests in CI (apt-get install -y chromium)" >&2
  exit 1
else
  echo "NOTE: browser tests skipped — install Debian's Chromium (apt-get install -y chromium) to run them." >&2
fi
