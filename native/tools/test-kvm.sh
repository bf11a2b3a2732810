#!/usr/bin/env bash
# npm run test:kvm — the conformance suite on a real /dev/kvm, in a QEMU guest
# (kvm-guest.sh), then the differential run: the same corpus on the emulated backend
# here, compared with KVM's outcomes there, outcome by outcome. The benchmark's KVM floor
# (floor_kvm.c) runs there too, so `npm run bench:kvm` finds it working.
set -euo pipefail
cd "$(dirname "$0")/../.."
source native/tools/kvm-guest.sh

make -s -C native ../dist/test/conformance
npm run -s build:guests
kvm_guest_prepare
mkdir -p "$kvm_root/guests"
cp dist/guests/demo.elf dist/test-guests/*.elf "$kvm_root/guests/"
cp dist/bench/guest.elf "$kvm_root/guests/bench.elf"
kvm_guest_add_program dist/test/conformance dist/bench/floor-kvm
kvm_guest_run "$PWD/dist/test/conformance --backend kvm --guests /guests --records -; echo \"conformance-exit \$?\"
$PWD/dist/bench/floor-kvm /guests/bench.elf 20 | sed \"s/^/floor-kvm /\"" 512M

log="$kvm_work/serial.log"
grep -E '^(ok|FAIL|       |conformance|kvm guest)' "$log" || true
status=$(awk '/^conformance-exit / { print $2 }' "$log")
if [ -z "$status" ]; then
  echo "test:kvm: the guest printed no result; its console:" >&2
  tail -40 "$log" >&2
  exit 1
fi
floor=$(sed -n 's/^floor-kvm //p' "$log")
if ! node -e 'const f = JSON.parse(process.argv[1]); for (const c of ["cold_start", "warm_call", "restore_call"])
    if (!(f[c] > 0)) throw new Error(c + " missing")' "$floor" 2>/dev/null; then
  echo "test:kvm: the benchmark's KVM floor failed in the guest: ${floor:-no output}" >&2
  exit 1
fi
echo "floor-kvm: $floor"
grep '^record ' "$log" | sed 's/^record //' > "$kvm_work/kvm.jsonl"

dist/test/conformance --backend emulated --records "$kvm_work/emulated.jsonl" > "$kvm_work/emulated.log" ||
  { cat "$kvm_work/emulated.log"; exit 1; }
differential=0
node dist/native/tools/differential.js "$kvm_work/emulated.jsonl" "$kvm_work/kvm.jsonl" || differential=1
[ "$status" = 0 ] && [ "$differential" = 0 ]
