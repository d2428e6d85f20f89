"""Reference values for the `tojson` filter of chat templates (src/engine/chat_template.rs),
which must write what Hugging Face's template renderer writes: Python's
`json.dumps(x, ensure_ascii=False, indent=indent)`.

Writes tests/data/tojson_reference.json. Regenerate with: python3 tests/reference/tojson.py
(standard library only; Python 3.11.7 here).
"""
import json, random
from pathlib import Path

rng = random.Random(20261129)
ALPHABET = "abcXYZ019 _-\"\\/\n\t\u00e9\u4e2d\U0001F600<>&'"

def text():
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))

def value(depth=0):
    kinds = ["str", "int", "float", "bool", "null"] + (["list", "dict"] * 2 if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return text()
    if kind == "int":
        return rng.randint(-10**6, 10**6)
    if kind == "float":
        return round(rng.uniform(-1000, 1000), rng.randint(1, 4))
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {text() or "k": value(depth + 1) for _ in range(rng.randint(0, 4))}

cases = []
for _ in range(300):
    v = value()
    cases.append({"value": v, "compact": json.dumps(v, ensure_ascii=False), "indented": json.dumps(v, ensure_ascii=False, indent=4)})
out = Path(__file__).resolve().parents[1] / "data" / "tojson_reference.json"
out.write_text(json.dumps(cases, ensure_ascii=False, indent=0) + "\n")
print(f"{len(cases)} cases -> {out}")
