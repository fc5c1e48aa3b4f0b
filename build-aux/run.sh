#!/bin/sh
# build-aux/run.sh BUILD — what `make run` does until the counter app exists: open the demo
# store under the user's data folder (creating it with a month of synthetic history the
# first time), show who is in, and check the audit chain.
set -eu
build=${1:-build}
ctl="$build/ui/cli/daicho-ctl"
export DAICHO_LOCALEDIR="$PWD/$build/po"
store="${DAICHO_STORE:-${XDG_DATA_HOME:-$HOME/.local/share}/daicho/demo}"

if [ ! -f "$store/daicho.db" ]; then
  echo "Creating a demo store in $store (synthetic data only)…"
  "$ctl" demo --store "$store" --days 30 --visits-per-day 300
fi
"$ctl" status --store "$store"
"$ctl" verify --store "$store"
echo
echo "Demo store: $store — manager 「店長 デモ」, passphrase demo-passphrase, PINs 0000."
echo "Try: $ctl show --store \"$store\" --staff '店長 デモ' --visit 1"
