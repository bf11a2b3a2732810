#!/usr/bin/env bash
# npm run bench:kvm — `npm run bench -- --backend kvm` inside a QEMU guest with a real
# /dev/kvm (kvm-guest.sh). Figures from there are nested: every KVM exit costs tens of
# microseconds under software emulation, so they say nothing of bare metal.
set -euo pipefail
cd "$(dirname "$0")/../.."
source native/tools/kvm-guest.sh

iterations=${1:-200}
kvm_guest_prepare
kvm_guest_add_node
kvm_guest_run "export PATH=/bin:/usr/bin; cd /microscope && node dist/native/node/bench/main.js --backend kvm --iterations $iterations" 1G
grep -vE '^\[' "$kvm_work/serial.log" | tail -12
