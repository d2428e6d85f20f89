#!/usr/bin/env bash
# Fails when a tracked file is over 1 MiB and not on the allow list: downloads, wheels,
# models and build outputs bloat every clone for good. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=$((1024 * 1024))
allowed=(Cargo.lock)
status=0
while IFS= read -r -d '' path; do
  [ -f "$path" ] || continue
  size=$(stat -c %s -- "$path")
  [ "$size" -gt "$limit" ] || continue
  for a in "${allowed[@]}"; do [ "$path" = "$a" ] && continue 2; done
  echo "error: \`$path\` is tracked and $((size / 1024)) KiB (limit 1024 KiB); remove it with \`git rm --cached\` and ignore it, or add it to the allow list in scripts/check-tracked-sizes.sh" >&2
  status=1
done < <(git ls-files -z)
[ "$status" -eq 0 ] && echo "tracked file sizes: ok"
exit "$status"
