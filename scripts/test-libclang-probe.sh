#!/usr/bin/env bash
# Tests scripts/libclang.sh against fake library trees: the files bindgen loads must be found,
# the look-alikes a machine may carry (libclang-cpp, the compiler runtime, a dangling link)
# must not count. Run by .ci/run, so a machine with leftovers cannot hide a missing install.
set -euo pipefail
. "$(dirname "$0")/libclang.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LIBCLANG_PATH LD_LIBRARY_PATH LIBRARY_PATH
export LLVM_CONFIG_PATH=/nonexistent/llvm-config
failures=0

# probe EXPECT FILE...: a fresh tree holding FILEs (paths under the root); EXPECT found|none.
probe() {
  local expect=$1 root f got
  shift
  root=$(mktemp -d "$tmp/root.XXXX")
  for f in "$@"; do
    mkdir -p "$root/$(dirname "$f")"
    case "$f" in
      *'->'*) ln -s "${f#*->}" "$root/${f%%->*}" ;;
      *) : > "$root/$f" ;;
    esac
  done
  if got=$(LIBCLANG_SEARCH_ROOT=$root find_libclang); then got=found; else got=none; fi
  if [ "$got" != "$expect" ]; then
    echo "FAIL: [$*] gave $got, expected $expect" >&2
    failures=$((failures + 1))
  fi
}

# What bindgen loads.
probe found usr/lib/x86_64-linux-gnu/libclang.so
probe found usr/lib/llvm-14/lib/libclang-14.so
probe found usr/lib/x86_64-linux-gnu/libclang-14.so.1
probe found usr/lib/x86_64-linux-gnu/libclang.so.1
probe found usr/local/lib/libclang.so.18.1
probe found usr/lib/llvm-14/lib/libclang-14.so.14 'usr/lib/llvm-14/lib/libclang.so->libclang-14.so.14'
# Look-alikes that must not count.
probe none
probe none usr/lib/x86_64-linux-gnu/libclang-cpp.so.14
probe none usr/lib/llvm-14/lib/libclang-cpp.so.14 usr/lib/llvm-14/lib/libclang-cpp.so
probe none usr/lib/x86_64-linux-gnu/libclang_rt.asan-x86_64.so
probe none usr/lib/llvm-14/lib/libclangBasic.a usr/lib/llvm-14/lib/libclang.a
probe none usr/lib/x86_64-linux-gnu/libclang.so.d/x
probe none 'usr/lib/x86_64-linux-gnu/libclang.so->libclang-14.so.1'
probe none usr/share/doc/libclang.so opt/libclang.so
# LIBCLANG_PATH: searched alone.
mkdir -p "$tmp/env" && : > "$tmp/env/libclang-cpp.so.14"
if LIBCLANG_PATH=$tmp/env find_libclang >/dev/null; then echo "FAIL: LIBCLANG_PATH with libclang-cpp only counted" >&2; failures=$((failures + 1)); fi
: > "$tmp/env/libclang-17.so"
if ! LIBCLANG_PATH=$tmp/env find_libclang >/dev/null; then echo "FAIL: LIBCLANG_PATH with libclang-17.so not found" >&2; failures=$((failures + 1)); fi

if [ "$failures" -ne 0 ]; then
  echo "libclang probe: $failures failures" >&2
  exit 1
fi
echo "libclang probe: ok"
