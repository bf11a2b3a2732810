#!/usr/bin/env bash
# The whole test suite (`npm test`): build everything, type-check, run every test.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build
npm run -s typecheck
npx vitest run
