#!/usr/bin/env bash
# npm start: the inspector app on the bundled demo guest. The Electron binary is fetched
# (from GitHub) the first time; where it can't be had, this says in one line which
# download failed, why and what to do (electron_binary.ts), and starts browser mode
# instead (`microscope serve`, with any arguments given), whose URL it prints first.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f out/main/index.js ] || [ ! -f dist/native/node/engine_process/engine_process.js ]; then
  echo "microscope: not built yet; run npm run setup first" >&2
  exit 1
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  reason="no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)"
elif reason=$(node dist/native/node/tools/electron_binary.js); then
  exec npx --no-install electron .
fi
echo "microscope: $reason; starting browser mode instead: open the URL below" >&2
exec node dist/native/node/cli/main.js serve "$@"
