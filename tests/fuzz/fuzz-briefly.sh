#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz-briefly.sh FUZZER SECONDS CORPUS: runs FUZZER for SECONDS from the
# seeds in CORPUS without writing to it. A crash leaves its input in the
# current directory (crash-*, leak-*) and fails the test (libFuzzer exits
# 77 by default, which meson takes for a skipped test).
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$1" -max_total_time="$2" -error_exitcode=1 -print_final_stats=1 "$scratch" "$3"
