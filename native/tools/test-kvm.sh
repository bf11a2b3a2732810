#!/usr/bin/env bash
# npm run test:kvm — the conformance suite on a real /dev/kvm.
#
# These machines have no usable /dev/kvm, so the suite runs inside a QEMU guest under
# software emulation, whose CPU (TCG, -cpu max) emulates AMD SVM: a stock Debian kernel
# loads kvm-amd there and gives a real /dev/kvm (../shared/notes/nested-kvm.md). Then the
# differential run compares the guest's KVM outcomes with the emulated backend's here.
# Everything comes from Debian's packages; the kernel package is downloaded at run time
# into dist/kvm/ and never committed.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=require-packages.sh
source native/tools/require-packages.sh
require_packages qemu-system-x86 busybox-static cpio

work=dist/kvm
mkdir -p "$work"

# A stock cloud kernel (it boots fastest under TCG): whatever ABI the mirror has today.
kernel_package=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$kernel_package" ]; then
  echo "test:kvm: can't find the cloud kernel package (apt-cache depends linux-image-cloud-amd64)" >&2
  exit 1
fi
kernel_root="$work/$kernel_package"
if [ ! -d "$kernel_root" ]; then
  (cd "$work" && apt-get download -q "$kernel_package" >/dev/null)
  dpkg -x "$work/${kernel_package}"_*.deb "$kernel_root"
  rm -f "$work/${kernel_package}"_*.deb
fi
vmlinuz=$(ls "$kernel_root"/boot/vmlinuz-*)
modules=$(ls -d "$kernel_root"/lib/modules/*/kernel)

# The suite, static and KVM-only, and the guests it runs.
make -s -C native ../dist/test/conformance-kvm-static ../dist/test/conformance
npm run -s build:guests

root="$work/initramfs"
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,guests,modules}
cp /bin/busybox "$root/bin/busybox"
cp "$modules/virt/lib/irqbypass.ko" "$modules/arch/x86/kvm/kvm.ko" "$modules/arch/x86/kvm/kvm-amd.ko" "$root/modules/"
cp dist/test/conformance-kvm-static "$root/conformance"
cp dist/guests/demo.elf dist/test-guests/*.elf "$root/guests/"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in irqbypass kvm kvm-amd; do insmod /modules/$module.ko || echo "test:kvm: insmod $module failed"; done
echo "test:kvm: guest up, /dev/kvm: $(ls /dev/kvm 2>&1)"
/conformance --backend kvm --guests /guests --records -
echo "conformance-exit $?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$work/initrd.cpio"

echo "test:kvm: booting $kernel_package under QEMU (TCG, AMD SVM)"
started=$(date +%s)
timeout 600 qemu-system-x86_64 -accel tcg -cpu max -M pc -smp 1 -m 512M \
  -nodefaults -no-user-config -display none -serial stdio -monitor none -no-reboot \
  -kernel "$vmlinuz" -initrd "$work/initrd.cpio" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 mitigations=off" | tr -d '\r' > "$work/serial.log" || true
echo "test:kvm: the guest ran for $(($(date +%s) - started)) s"

grep -v '^record ' "$work/serial.log" | grep -E '^(ok|FAIL|       |conformance|test:kvm)' || true
status=$(awk '/^conformance-exit / { print $2 }' "$work/serial.log")
if [ -z "$status" ]; then
  echo "test:kvm: the guest printed no result; its console:" >&2
  tail -40 "$work/serial.log" >&2
  exit 1
fi
grep '^record ' "$work/serial.log" | sed 's/^record //' > "$work/kvm.jsonl"

# The differential run: the same corpus on the emulated backend, here.
dist/test/conformance --backend emulated --records "$work/emulated.jsonl" > "$work/emulated.log" ||
  { cat "$work/emulated.log"; exit 1; }
differential=0
node dist/native/tools/differential.js "$work/emulated.jsonl" "$work/kvm.jsonl" || differential=1
[ "$status" = 0 ] && [ "$differential" = 0 ]
