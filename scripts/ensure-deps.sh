#!/usr/bin/env bash
# Installs what building llmops needs and a fresh Debian/Ubuntu machine lacks (cmake,
# libclang for bindgen, a C++ compiler), through apt-get where this user may; otherwise
# says what to install.
set -euo pipefail

missing=()
command -v cargo >/dev/null || { echo "error: Rust is not installed; see https://rustup.rs" >&2; exit 1; }
command -v git >/dev/null || missing+=(git)
command -v cmake >/dev/null || missing+=(cmake)
command -v c++ >/dev/null || missing+=(g++)
# shellcheck source=scripts/libclang.sh
. "$(dirname "$0")/libclang.sh"
find_libclang >/dev/null || missing+=(libclang-dev)
# `make test` makes a virtual environment for the OpenAI client tests: `venv` needs ensurepip,
# which Debian ships apart.
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
# `--test` (make test): the terminal reviewer's tests (`llmops review`) drive it in tmux, the
# report's tests open it in headless Chromium.
if [ "${1:-}" = "--test" ]; then
  command -v tmux >/dev/null || missing+=(tmux)
  command -v chromium >/dev/null || missing+=(chromium)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "llmops: installing ${missing[*]} (needed to build llama.cpp and to test)" >&2
if command -v apt-get >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  fi
fi
cat >&2 <<MSG
error: cannot install ${missing[*]} from here.
  Debian/Ubuntu: sudo apt-get install ${missing[*]}
  Fedora:        sudo dnf install cmake clang-devel gcc-c++ (make test: tmux chromium)
  macOS:         xcode-select --install && brew install cmake (make test: tmux chromium)
MSG
exit 1
