#!/usr/bin/env bash
# Builds the test-only bcryptprimitives.dll shim (see bcryptprimitives.c) with mingw-w64.
# Usage: tests/windows/build.sh OUTDIR   → writes OUTDIR/bcryptprimitives.dll
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
mkdir -p "$out"
x86_64-w64-mingw32-gcc -O2 -shared -s -Wall -Werror \
  -o "$out/bcryptprimitives.dll" \
  "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
