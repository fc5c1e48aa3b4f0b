#!/bin/sh
# build-aux/bench.sh — make bench: check-in latency against its floor, the time to build a big demo store, the purge, police queries and exports, member-card check-in, the counter app.
# Usage: build-aux/bench.sh BUILD_DIR      QUICK=1 for a fast smoke run (30 days, 200 check-ins).
set -eu

build=${1:?usage: build-aux/bench.sh BUILD_DIR}
bench=$build/tests/bench/bench-checkin
ctl=$build/ui/cli/daicho-ctl
for exe in "$bench" "$ctl"; do
  if [ ! -x "$exe" ]; then
    echo "bench.sh: $exe is missing: build first (make build)" >&2
    exit 1
  fi
done

if [ "${QUICK:-0}" = 1 ]; then
  fill_days=30 checkins=200 demo_days=30
else
  fill_days=365 checkins=2000 demo_days=1095
fi
per_day=1000
target_s=120

tmp=$(mktemp -d "${TMPDIR:-/tmp}/daicho-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "== Check-in latency on a store with $fill_days days of history ($per_day visits a day)"
"$bench" --days "$fill_days" --visits-per-day "$per_day" --count "$checkins" --dir "$tmp"

echo
echo "== daicho-ctl demo --days $demo_days --visits-per-day $per_day"
start=$(date +%s.%N)
"$ctl" demo --store "$tmp/demo" --days "$demo_days" --visits-per-day "$per_day"
end=$(date +%s.%N)
rm -rf "$tmp/demo"
awk -v s="$start" -v e="$end" -v days="$demo_days" -v target="$target_s" 'BEGIN {
  t = e - s
  if (days == 1095)
    printf "  demo store: %.1f s: target <= %d s: %s\n", t, target, (t <= target ? "ok" : "MISSED")
  else
    printf "  demo store: %.1f s (quick run: the %d s target is for 1095 days)\n", t, target
}'

# Retention (issue 4): the purge of the oldest year of a four-year store, its file before and
# after, and a backup of the same store, beside a plain SQLite DELETE of as many rows.
if [ "${QUICK:-0}" = 1 ]; then
  purge_days=400 purge_per_day=100
else
  purge_days=1460 purge_per_day=1000
fi
echo
echo "== Purge of the oldest year: $purge_days days of history, $purge_per_day visits a day"
"$build/tests/bench/bench-purge" --days "$purge_days" --visits-per-day "$purge_per_day" --dir "$tmp"

# Police requests (issue 5): time-point, person and name queries on a three-year store (each
# one logged and audited, as in the product) beside a durable write and a plain SQLite read,
# and the export of a range of 10,000 sessions to a signed PDF + CSV bundle.
if [ "${QUICK:-0}" = 1 ]; then
  set -- --days 60 --visits-per-day 200 --points 200 --people 20 --export-sessions 2000
else
  set -- --days 1095 --visits-per-day 1000 --points 1000 --people 100 --export-sessions 10000
fi
echo
echo "== Police queries and an export: $2 days of history, $4 visits a day"
"$build/tests/bench/bench-police" "$@" --dir "$tmp"

# Member cards (issue 6): a returning member's check-in from a scanned card (payload to
# committed visit) beside a new customer's, on a store of about 300,000 members.
if [ "${QUICK:-0}" = 1 ]; then
  set -- --days 30 --visits-per-day 1000 --count 200
else
  set -- --days 1250 --visits-per-day 1000 --count 2000
fi
echo
echo "== Member-card check-in: $2 days of history, $4 visits a day"
"$build/tests/bench/bench-card" "$@" --dir "$tmp"

# The counter app (issue 3): start to sign-in and peak memory of the real program, and a
# check-in on a full board (200 terminals, 200 people in) within a frame. It needs a display.
# The first run draws as the app does (its own renderer choice, or GSK_RENDERER if set); the
# second, for information, with GTK's GL renderer, which Xvfb (no GPU) runs on Mesa's
# software rasterizer.
desktop=$build/ui/desktop/daicho
bench_desktop=$build/tests/bench/bench-desktop
if [ "${QUICK:-0}" = 1 ]; then
  desktop_runs=3 desktop_updates=10
else
  desktop_runs=10 desktop_updates=200   # p99 of 200, not the worst of 50
fi
echo
echo "== Counter app: start, memory, a check-in's frame ($desktop_runs starts, $desktop_updates check-ins)"
if [ ! -x "$bench_desktop" ] || [ ! -x "$desktop" ]; then
  echo "bench.sh: $bench_desktop or $desktop is missing: build first (make build)" >&2
  exit 1
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "  skipped: xvfb-run is missing (make deps)"
  exit 0
fi
for renderer in "${GSK_RENDERER:-app}" gl; do
  if [ "$renderer" = app ]; then
    echo "-- renderer: the app's own choice"
    set -- env
  else
    echo "-- renderer: $renderer${GSK_RENDERER:+ (as asked)}"
    set -- env GSK_RENDERER="$renderer" GDK_DEBUG=
  fi
  "$@" DAICHO_LOCALEDIR="$build/po" xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$bench_desktop" --daicho "$desktop" --runs "$desktop_runs" --updates "$desktop_updates" --dir "$tmp"
  [ "$renderer" != gl ] || break
done
