#!/usr/bin/env bash
# clang-format (Debian's) over every C and C++ file in the repository (`npm run
# format:native`): says which files differ from .clang-format's style and fails; with
# --fix, rewrites them. libFuzzer's corpus is input kept as found, not source.
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cc' '*.cpp' ':!:test/native/engine/fuzz/corpus/**')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run -Werror "${files[@]}"
fi
