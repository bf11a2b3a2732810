#!/usr/bin/env bash
# Sets Microscope up on a fresh Debian or Ubuntu machine: the system packages it builds
# against, the npm dependencies, then the whole build (addon, guests, TypeScript, app).
# Run as `npm run setup`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(build-essential pkg-config python3 libunicorn-dev)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "microscope: install the system packages first: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

npm ci --no-fund --no-audit --loglevel=error
npm run -s build
