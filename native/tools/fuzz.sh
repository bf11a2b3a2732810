#!/usr/bin/env bash
# npm run fuzz [-- --seconds N]: runs each fuzz target (test/native/engine/fuzz, libFuzzer with ASan and
# UBSan) for N seconds (default 60) from its corpus in test/native/engine/fuzz/corpus/, prints how many
# inputs it ran and whether it crashed, and adds to the corpus the inputs that reached
# code the corpus didn't (libFuzzer's merge). A crash leaves its input in dist/fuzz/crashes
# and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=60
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    *) echo "usage: npm run fuzz [-- --seconds N]" >&2; exit 2 ;;
  esac
done
make -s -C native fuzz
mkdir -p dist/fuzz/crashes
status=0
for target in elf frames; do
  work=dist/fuzz/work/$target
  rm -rf "$work" && mkdir -p "$work"
  log=dist/fuzz/$target.log
  # Stripped guests are 20 KiB or so: longer inputs add little but bytes to the corpus.
  if "dist/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=24576 -print_final_stats=1 -artifact_prefix=dist/fuzz/crashes/ \
    "$work" "test/native/engine/fuzz/corpus/$target" > "$log" 2>&1; then
    outcome="0 crashes"
  else
    outcome="CRASHED: $(grep -m1 -E 'ERROR|runtime error|deadly signal' "$log" || tail -1 "$log")"
    status=1
  fi
  runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  before=$(ls "test/native/engine/fuzz/corpus/$target" | wc -l)
  "dist/fuzz/fuzz_$target" -merge=1 "test/native/engine/fuzz/corpus/$target" "$work" > /dev/null 2>&1 || true
  after=$(ls "test/native/engine/fuzz/corpus/$target" | wc -l)
  echo "fuzz $target: ${runs:-?} inputs in ${seconds} s, $outcome; corpus $before → $after"
done
exit $status
