#!/usr/bin/env bash
# Prints the path of the MKL code-path shim (native/mkl_intel_path.c) for LD_PRELOAD, building it once with the C
# compiler into ${XDG_CACHE_HOME:-~/.cache}/mlpzoo/; prints nothing (and exits 0) when it does not apply: not an AMD
# CPU, ZOO_MKL_INTEL_PATH=0, or no C compiler. Used by ./zoo and benchmarks/python/compare.sh.
set -euo pipefail
[ "${ZOO_MKL_INTEL_PATH:-1}" = 0 ] && exit 0
grep -q -m1 AuthenticAMD /proc/cpuinfo 2>/dev/null || exit 0
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/mkl_intel_path.c"
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mlpzoo"
lib="$cache/libmkl_intel_path-$(cksum < "$src" | cut -d' ' -f1).so"
if [ ! -f "$lib" ]; then
  cc="$(command -v cc || command -v gcc || true)"
  [ -n "$cc" ] || exit 0
  mkdir -p "$cache"
  tmp="$(mktemp "$cache/.build.XXXXXX")"
  "$cc" -shared -fPIC -O2 -o "$tmp" "$src" 2>/dev/null || { rm -f "$tmp"; exit 0; }
  mv -f "$tmp" "$lib"
fi
echo "$lib"
