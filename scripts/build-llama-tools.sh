#!/usr/bin/env bash
# Builds llama.cpp's own tools (llama-bench, llama-batched-bench, llama-server), the anchors of
# `llmops bench --vs-llama-cpp` and `cargo bench --bench vs_promptfoo`, from the llama.cpp tree
# inside llama-cpp-python's source package (the package index is reachable where a model hub
# is not).
#
#   scripts/build-llama-tools.sh DIR     # tools land in DIR/llama.cpp/build/bin
#
# Built like llmops builds llama.cpp: Release (-O3), this CPU's instructions, and `-fno-dse`,
# without which GCC 12 drops the stores that fill AMX's tile configuration and every batch of
# two or more rows dies (SIGILL or a protection fault) on CPUs with AMX.
set -euo pipefail
VERSION=0.3.36
# The source package's sha256, checked before anything in it is unpacked or built. (`pip
# download` itself prepares the package's metadata, which runs its build backend.)
SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
dir=${1:?usage: scripts/build-llama-tools.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
src="$dir/llama.cpp"
if [ ! -f "$src/CMakeLists.txt" ]; then
  if [ ! -f "$dir/llama_cpp_python-$VERSION.tar.gz" ]; then
    python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$dir" "llama-cpp-python==$VERSION"
  fi
  echo "$SHA256  $dir/llama_cpp_python-$VERSION.tar.gz" | sha256sum --check --quiet \
    || { echo "llama_cpp_python-$VERSION.tar.gz does not have the pinned sha256: not building it" >&2; exit 2; }
  tar -xzf "$dir/llama_cpp_python-$VERSION.tar.gz" -C "$dir"
  mv "$dir/llama_cpp_python-$VERSION/vendor/llama.cpp" "$src"
  rm -rf "$dir/llama_cpp_python-$VERSION"
fi
command -v cmake >/dev/null || { echo "cmake is missing: run scripts/ensure-deps.sh" >&2; exit 2; }
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DCMAKE_CXX_FLAGS=-fno-dse \
  -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_UI=OFF >/dev/null
cmake --build "$src/build" -j "$(nproc)" --target llama-bench llama-batched-bench llama-server
echo "tools in $src/build/bin"
