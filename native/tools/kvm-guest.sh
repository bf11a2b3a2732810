# Sourced by test-kvm.sh and bench-kvm.sh: a QEMU guest with a real /dev/kvm.
#
# QEMU's software CPU (TCG, -cpu max) emulates AMD SVM, so a stock Debian kernel loads
# kvm-amd inside it (../shared/notes/nested-kvm.md). The kernel package is downloaded at
# run time into dist/kvm/ and never committed.
#
#   kvm_guest_prepare             the kernel, and an initramfs root in $kvm_root
#   kvm_guest_run SCRIPT MEMORY   runs SCRIPT (sh) in the guest; its console in $kvm_work/serial.log
#   kvm_guest_start / kvm_guest_wait   the same, with the guest running in the background
#   kvm_guest_add_node            Node, the addon and the built project, at /microscope

# shellcheck source=require-packages.sh
source native/tools/require-packages.sh

kvm_work=dist/kvm

cloud_kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

kvm_guest_prepare() {
  require_packages qemu-system-x86 busybox-static cpio
  mkdir -p "$kvm_work"
  # A stock cloud kernel (it boots fastest under TCG): whatever ABI the mirror has today.
  local package
  package=$(cloud_kernel_package)
  # No package lists yet (a fresh machine whose packages were all there): fetch them once.
  if [ -z "$package" ] && as_root apt-get update -qq; then package=$(cloud_kernel_package); fi
  if [ -z "$package" ]; then
    echo "kvm guest: can't find the cloud kernel package (apt-cache depends linux-image-cloud-amd64); run apt-get update" >&2
    exit 1
  fi
  kvm_kernel_package=$package
  local kernel_root="$kvm_work/$package"
  if [ ! -d "$kernel_root" ]; then
    if ! (cd "$kvm_work" && apt-get download -q "$package") >"$kvm_work/download.log" 2>&1; then
      echo "kvm guest: apt-get download $package failed (it needs the Debian mirror):" >&2
      cat "$kvm_work/download.log" >&2
      exit 1
    fi
    # Into place only once whole: an interrupted run must not leave half a kernel behind.
    rm -rf "$kernel_root.part"
    dpkg -x "$kvm_work/${package}"_*.deb "$kernel_root.part"
    mv "$kernel_root.part" "$kernel_root"
    rm -f "$kvm_work/${package}"_*.deb
  fi
  kvm_vmlinuz=$(ls "$kernel_root"/boot/vmlinuz-*)
  local modules
  modules=$(ls -d "$kernel_root"/lib/modules/*/kernel)

  kvm_root="$kvm_work/initramfs"
  rm -rf "$kvm_root"
  mkdir -p "$kvm_root"/{bin,dev,proc,sys,tmp,modules}
  cp /bin/busybox "$kvm_root/bin/busybox"
  cp "$modules/virt/lib/irqbypass.ko" "$modules/arch/x86/kvm/kvm.ko" "$modules/arch/x86/kvm/kvm-amd.ko" "$kvm_root/modules/"
}

# Copies dynamically linked programs and the libraries they load into the guest root, at
# their absolute paths here.
kvm_guest_add_program() {
  local programs file
  programs=$(readlink -f "$@")
  # shellcheck disable=SC2086 # one path per line, none with spaces
  for file in $programs $(ldd $programs | awk '/=>/ { print $3 } /^[ \t]*\/lib/ { print $1 }' | sort -u); do
    mkdir -p "$kvm_root$(dirname "$file")"
    cp -L "$file" "$kvm_root$file"
  done
}

# Node, the addon, the project's dist/ and its guests, at /microscope in the guest.
kvm_guest_add_node() {
  kvm_guest_add_program "$(command -v node)" native/build/Release/microscope.node
  mkdir -p "$kvm_root/microscope/native/build/Release" "$kvm_root/microscope/dist"
  cp package.json "$kvm_root/microscope/"
  # Not dist/kvm: it holds this very root.
  cp -r dist/native dist/guests dist/test-guests dist/bench "$kvm_root/microscope/dist/"
  cp native/build/Release/microscope.node "$kvm_root/microscope/native/build/Release/"
}

# kvm_guest_start SCRIPT MEMORY [QEMU ARGS...]: boots the guest in the background.
kvm_guest_start() {
  local script=$1 memory=$2
  shift 2
  cat > "$kvm_root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The emulated twin that replays a call recorded on KVM reserves 1 GiB for Unicorn's
# translated code, which this small guest's heuristic overcommit refuses; little is touched.
echo 1 > /proc/sys/vm/overcommit_memory
for module in irqbypass kvm kvm-amd; do insmod /modules/\$module.ko || echo "kvm guest: insmod \$module failed"; done
echo "kvm guest: up, /dev/kvm: \$(ls /dev/kvm 2>&1)"
$script
poweroff -f
INIT
  chmod +x "$kvm_root/init"
  (cd "$kvm_root" && find . | cpio -o -H newc --quiet) > "$kvm_work/initrd.cpio"
  echo "kvm guest: booting $kvm_kernel_package under QEMU (TCG, AMD SVM)"
  kvm_guest_started=$(date +%s)
  : > "$kvm_work/serial.log"
  (timeout 900 qemu-system-x86_64 -accel tcg -cpu max -M pc -smp 1 -m "$memory" \
    -nodefaults -no-user-config -display none -serial stdio -monitor none -no-reboot "$@" \
    -kernel "$kvm_vmlinuz" -initrd "$kvm_work/initrd.cpio" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 mitigations=off" | stdbuf -oL tr -d '\r' > "$kvm_work/serial.log" || true) &
  kvm_guest_pid=$!
}

kvm_guest_wait() {
  wait "$kvm_guest_pid" || true
  echo "kvm guest: ran for $(($(date +%s) - kvm_guest_started)) s"
}

# kvm_guest_run SCRIPT MEMORY: runs SCRIPT (sh) in the guest; its console in $kvm_work/serial.log.
kvm_guest_run() {
  kvm_guest_start "$@"
  kvm_guest_wait
}
