#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation in LINGUAS compiles cleanly and is complete: no
# untranslated or fuzzy messages, and none missing from a template made
# afresh from the sources (so a new string without a translation fails
# even before anyone regenerates po/parley.pot).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$dir")
fresh=$(mktemp --suffix=.pot)
trap 'rm -f "$fresh"' EXIT
# The keywords of meson's "glib" gettext preset.
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  -D "$root" -f "$dir/POTFILES.in" -o "$fresh"
status=0
for lang in $(cat "$dir/LINGUAS"); do
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$dir/$lang.po" 2>&1) || { echo "$lang: $stats"; status=1; continue; }
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$lang: incomplete: $stats"; status=1 ;;
    *) echo "$lang: $stats" ;;
  esac
  msgcmp "$dir/$lang.po" "$fresh" || { echo "$lang: messages missing (run ninja parley-pot, msgmerge, translate)"; status=1; }
done
exit $status
