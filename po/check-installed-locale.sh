#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The installed desktop finds its translation: installs the build given as
# $1 under its own prefix (e.g. /usr/local) into a scratch DESTDIR, runs the
# installed parley in German and checks that the parley.mo it opens is the
# one the install put there.
set -eu
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet --tags runtime,i18n >/dev/null
parley=$(find "$dest" -path '*/bin/parley' -type f)
libdir=$(dirname "$(find "$dest" -name 'libparley-ui-*.so.*' -type f | head -n 1)")
LANGUAGE=de LC_ALL=C.UTF-8 LD_LIBRARY_PATH="$libdir" \
  strace -f -qq -e trace=openat -o "$dest/trace" "$parley" --help >/dev/null 2>&1 || true
opened=$(sed -n 's|.*"\(/[^"]*/parley\.mo\)".*|\1|p' "$dest/trace" | head -n 1)
installed=$(find "$dest" -name parley.mo -path '*/de/LC_MESSAGES/*')
echo "installed: ${installed#"$dest"}"
echo "looked up: $opened"
[ -n "$opened" ] && [ "$dest$opened" = "$installed" ]
