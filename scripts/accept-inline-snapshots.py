#!/usr/bin/env python3
"""Accepts pending insta inline snapshots (`tests/.NAME.rs.pending-snap`) into the test
sources, for machines without `cargo insta`. Review the diff afterwards, like any code."""
import glob, json, os, re

for pending in glob.glob("tests/**/.*.pending-snap", recursive=True):
    src_path = os.path.join(os.path.dirname(pending), os.path.basename(pending)[1:-len(".pending-snap")])
    records = {}
    for line in open(pending):
        rec = json.loads(line)
        if rec.get("new"):
            records[rec["line"]] = rec["new"]["snapshot"]
    lines = open(src_path).read().split("\n")
    # Work bottom-up so earlier line numbers stay valid.
    for lineno in sorted(records, reverse=True):
        content = records[lineno]
        start = lineno - 1
        text = "\n".join(lines[start:])
        m = re.search(r'@(r#*)?"', text)
        hashes = (m.group(1) or "r")[1:]
        close = '"' + hashes
        body_start = m.end()
        end = text.index(close, body_start) + len(close)
        indent = re.match(r"\s*", lines[start]).group(0) + "    "
        h = "#" if '"' in content else ""
        body = "\n".join((indent + l) if l else "" for l in content.split("\n"))
        literal = f'@r{h}"\n{body}\n{indent}"{h}'
        text = text[: m.start()] + literal + text[end:]
        lines = lines[:start] + text.split("\n")
    open(src_path, "w").write("\n".join(lines))
    os.remove(pending)
    print(f"accepted {len(records)} snapshots into {src_path}")
