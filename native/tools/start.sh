#!/usr/bin/env bash
# npm start: the inspector app on the bundled demo guest. The Electron binary is fetched
# (from GitHub) the first time; where it can't be had, this says so in one line and
# starts browser mode instead (`microscope serve`), whose URL it prints first.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f out/main/index.js ] || [ ! -f dist/native/server/engine_process.js ]; then
  echo "microscope: not built yet; run npm run setup first" >&2
  exit 1
fi
if install=$(npx --no-install install-electron 2>&1) && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec npx --no-install electron .
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  reason="no display to open a window on"
else
  reason="the Electron binary can't be had here ($(echo "$install" | tail -1))"
fi
echo "microscope: $reason; starting browser mode: open the URL below" >&2
exec node dist/native/cli/main.js serve
