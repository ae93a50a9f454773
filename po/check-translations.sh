#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation in LINGUAS compiles cleanly and is complete against the
# template: no untranslated or fuzzy messages, none missing.
set -eu
dir=$(dirname "$0")
status=0
for lang in $(cat "$dir/LINGUAS"); do
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$dir/$lang.po" 2>&1) || { echo "$lang: $stats"; status=1; continue; }
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$lang: incomplete: $stats"; status=1 ;;
    *) echo "$lang: $stats" ;;
  esac
  msgcmp "$dir/$lang.po" "$dir/parley.pot" || { echo "$lang: messages missing from the template"; status=1; }
done
exit $status
