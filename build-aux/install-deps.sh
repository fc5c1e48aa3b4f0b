#!/bin/sh
# build-aux/install-deps.sh — install every Debian 12 package Daicho needs to build, run and test.
# Idempotent and quiet when nothing is missing. The one list of the project's dependencies.
set -eu

PACKAGES="
  build-essential meson ninja-build pkg-config gettext python3
  libglib2.0-dev libglib2.0-bin libsqlite3-dev sqlite3 libsodium-dev
  libgtk-4-dev libadwaita-1-dev libcairo2-dev libpango1.0-dev libqrencode-dev
  desktop-file-utils appstream
  fonts-noto-cjk tzdata locales
  xvfb xauth
  libjson-glib-dev
  minisign zbar-tools poppler-utils
  valgrind
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# The app and its tests run in Japanese: make sure the locale exists.
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
  echo "Generating the ja_JP.UTF-8 locale"
  if [ -f /etc/locale.gen ] && grep -q '^# *ja_JP.UTF-8' /etc/locale.gen; then
    as_root sed -i 's/^# *\(ja_JP.UTF-8\)/\1/' /etc/locale.gen
  elif ! grep -q '^ja_JP.UTF-8' /etc/locale.gen 2>/dev/null; then
    echo "ja_JP.UTF-8 UTF-8" | as_root tee -a /etc/locale.gen >/dev/null
  fi
  as_root locale-gen >/dev/null
fi
