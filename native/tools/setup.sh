#!/usr/bin/env bash
# Sets Microscope up on a fresh Debian or Ubuntu machine: the system packages it builds
# against, the npm dependencies, then the whole build (addon, guests, TypeScript, app).
# Run as `npm run setup`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=require-packages.sh
source native/tools/require-packages.sh
# Capstone disassembles for the debugger; gdb is what the GDB stub's tests drive;
# Chromium is what the inspector's browser tests drive; clang builds the fuzz targets
# (libFuzzer); clang-format checks the C and C++ formatting (npm run format:native);
# musl-dev is the C library guests link (microscope cc);
# QEMU, busybox and cpio are for the KVM suite, run in a QEMU guest (npm run test:kvm);
# golang-go's `go tool pprof` reads the CPU profiles the tests export, and lcov's genhtml
# their coverage.
require_packages build-essential pkg-config python3 libunicorn-dev libcapstone-dev libdw-dev gdb chromium clang \
  clang-format musl-dev qemu-system-x86 busybox-static cpio golang-go lcov

npm ci --no-fund --no-audit --loglevel=error
npm run -s build
