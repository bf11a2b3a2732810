#!/usr/bin/env bash
# npm run test:kvm — the conformance suite on a real /dev/kvm, in a QEMU guest
# (kvm-guest.sh), then the differential run: the same corpus on the emulated backend
# here, compared with KVM's outcomes there, outcome by outcome. The benchmark's KVM floor
# (floor_kvm.c) runs there too, so `npm run bench:kvm` finds it working. Then the gdb
# sessions of the stub's tests: `microscope gdb --backend kvm` in the guest, on its second
# serial port, which QEMU hands to this machine's gdb as a TCP port
# (test/kvm/gdb.test.ts drives them).
set -euo pipefail
cd "$(dirname "$0")/../.."
source native/tools/kvm-guest.sh

make -s -C native ../dist/conformance/conformance
npm run -s build:guests
kvm_guest_prepare
mkdir -p "$kvm_root/guests"
cp dist/guests/*.elf dist/test-guests/*.elf "$kvm_root/guests/"
cp dist/bench/guest.elf "$kvm_root/guests/bench.elf"
kvm_guest_add_program dist/conformance/conformance dist/bench/floor-kvm
kvm_guest_add_node
# The stub sessions, in the order of gdbSessions (test/native/node/api/gdb/sessions.ts): each
# stub's stdout and then its status go to the console, tagged with its number (the status
# last: the test reads the stdout once it sees the status).
sessions=("dist/guests/demo.elf fib 10" "dist/test-guests/debuggee.elf sum_squares 3" "dist/guests/demo.elf crash_null"
  "dist/test-guests/time_travel.elf fib_of 6 --record")
stubs="export PATH=/bin:/usr/bin; cd /microscope"
for i in "${!sessions[@]}"; do
  stubs+="; node dist/native/node/cli/main.js gdb ${sessions[$i]} --tty /dev/ttyS1 --backend kvm > /tmp/stub.out;
stub_status=\$?; sed \"s/^/gdb-stub-stdout $i: /\" /tmp/stub.out; echo \"gdb-stub $i status \$stub_status\""
done
gdb_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
kvm_guest_start "$PWD/dist/conformance/conformance --backend kvm --guests /guests --records -; echo \"conformance-exit \$?\"
$PWD/dist/bench/floor-kvm /guests/bench.elf 20 | sed \"s/^/floor-kvm /\"
$stubs" 1G -chardev "socket,id=rsp,host=127.0.0.1,port=$gdb_port,server=on,wait=off" -serial chardev:rsp
gdb_status=0
MICROSCOPE_KVM_CONSOLE="$kvm_work/serial.log" MICROSCOPE_KVM_GDB="127.0.0.1:$gdb_port" \
  npx vitest run --config test/kvm/vitest.config.ts || gdb_status=1
kvm_guest_wait

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

dist/conformance/conformance --backend emulated --records "$kvm_work/emulated.jsonl" > "$kvm_work/emulated.log" ||
  { cat "$kvm_work/emulated.log"; exit 1; }
differential=0
node dist/native/node/tools/differential.js "$kvm_work/emulated.jsonl" "$kvm_work/kvm.jsonl" || differential=1
[ "$status" = 0 ] && [ "$differential" = 0 ] && [ "$gdb_status" = 0 ]
