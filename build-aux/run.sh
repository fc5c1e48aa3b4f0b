#!/bin/sh
# build-aux/run.sh BUILD — what `make run` does: open the counter app on the default store
# (the first-run assistant creates one, or opens the demo store). Without a display it
# shows the demo store through daicho-ctl instead.
set -eu
build=${1:-build}
export DAICHO_LOCALEDIR="$PWD/$build/po"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/ui/desktop/daicho" "$@"
fi

echo "No display: showing the demo store with daicho-ctl instead of the window."
ctl="$build/ui/cli/daicho-ctl"
store="${XDG_DATA_HOME:-$HOME/.local/share}/daicho/demo"
if [ ! -f "$store/daicho.db" ]; then
  echo "Creating a demo store in $store (synthetic data only)…"
  "$ctl" demo --store "$store" --days 30 --visits-per-day 300
fi
"$ctl" status --store "$store"
"$ctl" verify --store "$store"
echo
echo "Demo store: $store — manager 「店長 デモ」, passphrase demo-passphrase, PINs 0000."
