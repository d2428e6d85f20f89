# Finds the libclang shared library exactly as bindgen (clang-sys, runtime loading, Linux)
# does: the file names `libclang.so`, `libclang-*.so`, `libclang.so.*` and `libclang-*.so.*`,
# never `libclang-cpp.*` (the C++ library, which bindgen cannot use), searched in
# `$LIBCLANG_PATH` alone when it is set, else in `llvm-config --prefix`, `LD_LIBRARY_PATH`,
# `LIBRARY_PATH` and the usual system directories. Sourced by ensure-deps.sh and by its test.
#
# find_libclang prints the first library found and succeeds, or fails printing nothing.
# LIBCLANG_SEARCH_ROOT (tests only) is put in front of every system directory.

libclang_in_dir() {
  local dir=$1 f name
  [ -d "$dir" ] || return 1
  for f in "$dir"/libclang.so "$dir"/libclang-*.so "$dir"/libclang.so.* "$dir"/libclang-*.so.*; do
    name=${f##*/}
    case "$name" in
      *-cpp.*) continue ;;          # libclang-cpp.so.N: not what bindgen loads
      *'*'*) continue ;;            # an unmatched pattern
    esac
    # -e follows symlinks: a dangling `libclang.so` link does not count.
    if [ -e "$f" ] && [ ! -d "$f" ]; then
      printf '%s\n' "$f"
      return 0
    fi
  done
  return 1
}

find_libclang() {
  local root=${LIBCLANG_SEARCH_ROOT:-} dir prefix pattern
  if [ -n "${LIBCLANG_PATH:-}" ]; then
    if [ -f "$LIBCLANG_PATH" ]; then
      case "${LIBCLANG_PATH##*/}" in
        *-cpp.*) return 1 ;;
        libclang.so|libclang-*.so|libclang.so.*|libclang-*.so.*) printf '%s\n' "$LIBCLANG_PATH"; return 0 ;;
      esac
    fi
    libclang_in_dir "$LIBCLANG_PATH"
    return
  fi
  if prefix=$("${LLVM_CONFIG_PATH:-llvm-config}" --prefix 2>/dev/null) && [ -n "$prefix" ]; then
    for dir in "$prefix/bin" "$prefix/lib" "$prefix/lib64"; do
      libclang_in_dir "$dir" && return 0
    done
  fi
  local IFS=:
  for dir in ${LD_LIBRARY_PATH:-} ${LIBRARY_PATH:-}; do
    [ -n "$dir" ] && libclang_in_dir "$dir" && return 0
  done
  unset IFS
  for pattern in "/usr/local/llvm*/lib*" "/usr/local/lib*/*/*" "/usr/local/lib*/*" "/usr/local/lib*" \
                 "/usr/lib*/*/*" "/usr/lib*/*" "/usr/lib*"; do
    for dir in $root$pattern; do
      libclang_in_dir "$dir" && return 0
    done
  done
  return 1
}
