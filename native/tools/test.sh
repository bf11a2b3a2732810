#!/usr/bin/env bash
# The whole test suite (`npm test`): build everything, type-check, lint and check the
# formatting (ESLint, Prettier, clang-format: zero findings), run every test, the
# conformance suite (hostile guests included) built with AddressSanitizer and
# UndefinedBehaviorSanitizer, the fuzz corpus replayed, then the conformance suite on KVM in a nested QEMU guest
# (`npm run test:kvm`).
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build
npm run -s typecheck
npm run -s lint
npm run -s format
npm run -s format:native
npx vitest run
make -s -C native asan fuzz
# The fuzz corpus (the inputs `npm run fuzz` found worth keeping), replayed.
dist/fuzz/fuzz_elf -runs=0 test/native/engine/fuzz/corpus/elf
dist/fuzz/fuzz_frames -runs=0 test/native/engine/fuzz/corpus/frames
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  dist/asan/conformance --backend emulated --guests dist/test-guests:dist/guests
npm run -s test:kvm
