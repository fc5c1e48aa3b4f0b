#!/bin/sh
# build-aux/update-po.sh — check po/POTFILES.in, merge the current source strings into
# po/ja.po and list what still needs a translator.
#
# The template goes to a temporary directory on purpose: a committed daicho.pot goes stale
# the moment someone adds a string, and ja.po is the only file translators edit.
set -eu

cd "$(dirname "$0")/.."

# Every .c file under these folders that marks a string must be in POTFILES.in, or its
# strings silently stay English. The pattern is the one tests/test-po.c uses.
missing=$(grep -rlE --include='*.c' '(^|[^A-Za-z0-9_])N?_[[:space:]]*\(' app db reports ui \
            | LC_ALL=C sort | while read -r f; do
                grep -qxF "$f" po/POTFILES.in || printf '%s\n' "$f"
              done)
listed=$(grep -vE '^[[:space:]]*(#|$)' po/POTFILES.in)
status=0
if [ -n "$missing" ]; then
  echo "po/POTFILES.in lacks these files that contain _( or N_(:" >&2
  printf '%s\n' "$missing" | sed 's/^/  /' >&2
  status=1
fi
if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)." >&2
  status=1
fi
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist." >&2
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  # Merging now would turn the strings of the unlisted files into obsolete entries.
  echo "Fix po/POTFILES.in first; po/ja.po was not touched." >&2
  exit "$status"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/daicho-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The same keywords and format flags as meson's i18n 'glib' preset, so the template
# matches what `ninja daicho-pot` would write.
xgettext --package-name=daicho \
  --from-code=UTF-8 --sort-by-file --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_prefix_error:2:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from=po/POTFILES.in --output="$tmp/daicho.pot" 2>"$tmp/xgettext.log" \
  || { cat "$tmp/xgettext.log" >&2; exit 1; }
# The project has no bug address to put in the template; every other warning matters.
grep -vE 'msgid-bugs-address|MSGID_BUGS_ADDRESS|Makevars' "$tmp/xgettext.log" >&2 || true

msgmerge --quiet --update --no-fuzzy-matching --backup=none po/ja.po "$tmp/daicho.pot"

# A string cut short by a format macro (G_GINT64_FORMAT instead of PRId64) can never be
# looked up at run time: xgettext stops at the macro.
cut=$(msgattrib --no-obsolete --no-wrap "$tmp/daicho.pot" \
        | grep -E '^msgid "([^%]|%%|%[^%])*%(%%)*"$' || true)
if [ -n "$cut" ]; then
  echo "These strings are cut short by a format macro; use PRId64/PRIu64 (<inttypes.h>):" >&2
  printf '%s\n' "$cut" | sed 's/^/  /' >&2
fi

todo=$(msgattrib --no-obsolete --untranslated po/ja.po)
fuzzy=$(msgattrib --no-obsolete --only-fuzzy po/ja.po)
msgfmt --check --statistics -o /dev/null po/ja.po
if [ -n "$todo" ]; then
  echo "Untranslated in po/ja.po:"
  printf '%s\n' "$todo" | msgattrib --no-wrap | grep -E '^(#:|msgid|msgid_plural) ' | grep -vx 'msgid ""'
fi
if [ -n "$fuzzy" ]; then
  echo "Fuzzy in po/ja.po:"
  printf '%s\n' "$fuzzy" | msgattrib --no-wrap | grep -E '^(#:|msgid|msgid_plural) ' | grep -vx 'msgid ""'
fi
