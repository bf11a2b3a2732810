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
# better-sqlite3 for sqlite_select's floor: its JS, its addon and what loads it.
modules="$kvm_root/microscope/node_modules"
mkdir -p "$modules/better-sqlite3/build/Release"
cp -r node_modules/better-sqlite3/package.json node_modules/better-sqlite3/lib "$modules/better-sqlite3/"
cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$modules/better-sqlite3/build/Release/"
cp -r node_modules/bindings node_modules/file-uri-to-path "$modules/"
kvm_guest_run "export PATH=/bin:/usr/bin; cd /microscope && node dist/native/node/bench/main.js --backend kvm --iterations $iterations" 1G
grep -vE '^\[' "$kvm_work/serial.log" | tail -12
