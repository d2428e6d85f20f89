#!/usr/bin/env bash
# `make demo`: labels the latest run of the example judge eval as a person checking each answer
# would (the `correct` grader's verdict, whether the answer names the right city, stands in for
# them; `llmops review` is the interactive way), then shows how far the judge agrees.
# The labels land in .llmops/labels/capital-judged.jsonl under your git identity.
set -euo pipefail
BIN=${1:-target/release/llmops}
run=$("$BIN" log capital-judged --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
git show "$run:samples.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    s = json.loads(line)
    print(s["id"], "--pass" if s["grades"]["correct"]["pass"] else "--fail")' |
while read -r id mark; do
  "$BIN" -q label "$run" "$id" "$mark" --note "make demo: does it name the right city?" >/dev/null
done
"$BIN" calibrate capital-judged --no-record
