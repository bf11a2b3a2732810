#!/usr/bin/env bash
# The whole test suite (`npm test`): build everything, type-check, run every test, then
# the conformance suite on KVM in a nested QEMU guest (`npm run test:kvm`).
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build
npm run -s typecheck
npx vitest run
npm run -s test:kvm
