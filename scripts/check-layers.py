#!/usr/bin/env python3
"""Imports run one way: a module of `src/` may use modules of its own layer or below, never
above. The layers are ARCHITECTURE.md's, bottom first. Comments (doc links included) do not
count. `super::` paths are followed up to the crate root (`super::gate` in `src/run/mod.rs`
is `crate::gate`). What would hide a path from this check is refused under `src/`: grouped
`crate::{...}` imports, `crate as` aliases, `#[path]`, `include!`, and re-exports in `lib.rs`.

    scripts/check-layers.py [SRC]     # exit 1 and list every upward import
    scripts/check-layers.py --self-test
"""
import os
import re
import sys
import tempfile

LAYERS = [
    ["atomic_write", "diagnostic", "names", "version", "endpoint", "json_schema", "text"],
    ["spec", "template"],
    ["workspace"],
    ["release"],
    ["engine", "engine_info"],
    ["trace"],
    ["grade", "retrieval"],
    ["agent"],
    ["run"],
    ["ledger", "labels"],
    ["report"],
    ["evaluation", "bench", "invoke", "calibration"],
    ["gate", "serve"],
    ["printer", "cli"],
]

IMPORT = re.compile(r"\bcrate\s*::\s*([A-Za-z_][A-Za-z0-9_]*)")
SUPER = re.compile(r"\b((?:super\s*::\s*)+)([A-Za-z_][A-Za-z0-9_]*)")
HIDING = [
    (re.compile(r"\bcrate\s*::\s*\{"), "`use crate::{...}` groups modules; write one `use crate::MODULE::...` per module"),
    (re.compile(r"\bcrate\s+as\b"), "`crate as` aliases the crate root, which hides paths from this check"),
    (re.compile(r"#\s*\[\s*path\b"), "`#[path]` moves a module where this check does not look"),
    (re.compile(r"\binclude!\s*\("), "`include!` pastes code this check does not read"),
]


def layer_of(module):
    for i, layer in enumerate(LAYERS):
        if module in layer:
            return i
    return None


def code_lines(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            code = line.split("//", 1)[0]
            if code.strip():
                yield number, code


def depth(src, file):
    """How deep `file`'s module is below the crate root: src/x.rs and src/x/mod.rs are 1."""
    parts = os.path.relpath(file, src).split(os.sep)
    return len(parts) - (1 if parts[-1] == "mod.rs" else 0)


def violations(src):
    found = []
    lib = os.path.join(src, "lib.rs")
    if os.path.isfile(lib):
        for number, code in code_lines(lib):
            if re.search(r"\bpub\s+use\b", code):
                found.append(f"{lib}:{number}: a re-export at the crate root hides which module a path comes from")
    for entry in sorted(os.listdir(src)):
        module = entry[:-3] if entry.endswith(".rs") else entry
        if module in ("main", "lib"):
            continue
        path = os.path.join(src, entry)
        files = [path] if os.path.isfile(path) else [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith(".rs")]
        own = layer_of(module)
        if own is None:
            found.append(f"{path}: module `{module}` has no layer in scripts/check-layers.py (and ARCHITECTURE.md)")
            continue
        for file in sorted(files):
            level = depth(src, file)
            for number, code in code_lines(file):
                for pattern, why in HIDING:
                    if pattern.search(code):
                        found.append(f"{file}:{number}: {why}")
                targets = IMPORT.findall(code)
                for supers, name in SUPER.findall(code):
                    if supers.count("super") >= level:
                        targets.append(name)
                for target in targets:
                    theirs = layer_of(target)
                    if target != module and theirs is not None and theirs > own:
                        found.append(f"{file}:{number}: `{module}` (layer {own + 1}) uses `crate::{target}` (layer {theirs + 1}, above it)")
    return found


def self_test():
    cases = [
        ({"run/mod.rs": "use crate::gate::Verdict;\n"}, 1),
        ({"run/mod.rs": "use crate::engine::Provider;\nuse crate::run::x;\n"}, 0),
        ({"engine.rs": "/// See [`crate::cli::main`].\nfn f() {} // crate::gate\n"}, 0),
        ({"workspace/a/b.rs": "let r = crate::gate::release::Releases::read(root);\n"}, 1),
        ({"newthing.rs": "fn f() {}\n"}, 1),
        ({"spec.rs": "use crate::template;\n", "template.rs": "use crate::spec::Prompt;\n"}, 0),
        ({"engine.rs": "use crate::{version, cli::main};\n"}, 1),
        ({"run/mod.rs": "use super::gate::Verdict;\n"}, 1),
        ({"run/stats.rs": "use super::verdict;\nuse super::super::engine::x;\n"}, 0),
        ({"run/a/b.rs": "use super::super::super::gate::x;\n"}, 1),
        ({"run/mod.rs": "let v = crate :: gate :: Verdict::new();\n"}, 1),
        ({"engine.rs": "use crate as c;\n"}, 1),
        ({"engine.rs": "#[path = \"../cli/x.rs\"]\nmod x;\n"}, 1),
        ({"lib.rs": "pub mod engine;\npub use cli::main;\n"}, 1),
    ]
    for files, expected in cases:
        with tempfile.TemporaryDirectory() as src:
            for name, text in files.items():
                path = os.path.join(src, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            got = violations(src)
            if len(got) != expected:
                print(f"self-test failed for {files}: expected {expected} findings, got {got}")
                return 1
    print(f"check-layers self-test: {len(cases)} cases ok")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    found = violations(src)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} upward import(s): see ARCHITECTURE.md for the layers")
        return 1
    print("imports run one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
