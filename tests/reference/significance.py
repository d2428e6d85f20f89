"""Reference values for the paired significance tests in src/run/stats.rs (experiments compare
cells on the same rows): McNemar's exact test from statsmodels, and the seeded paired bootstrap
written out here with the same generator (splitmix64) and the same arithmetic, so the Rust
implementation must agree bit for bit.

Writes tests/data/significance_reference.json. Regenerate with:
    python3 -m venv /tmp/statvenv && /tmp/statvenv/bin/pip install statsmodels==0.14.4
    /tmp/statvenv/bin/python tests/reference/significance.py
Versions used: statsmodels 0.14.4 (scipy 1.17.1, numpy 2.4.6), Python 3.11.7.
"""
import json, random
from pathlib import Path
from statsmodels.stats.contingency_tables import mcnemar

rng = random.Random(20261129)
MASK = (1 << 64) - 1

def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)

def bootstrap(diffs, seed, resamples):
    state, n, means = seed, len(diffs), []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            state, r = splitmix64(state)
            total += diffs[r % n]
        means.append(total / n)
    means.sort()
    lo = means[(resamples * 25) // 1000]
    hi = means[(resamples * 975 + 999) // 1000 - 1]
    return lo, hi

tables = [(0, 0), (1, 0), (0, 1), (5, 5), (10, 0)]
for _ in range(295):
    big = rng.random() < 0.2
    tables.append((rng.randint(0, 2000 if big else 60), rng.randint(0, 2000 if big else 60)))
mc = []
for b, c in tables:
    r = mcnemar([[rng.randint(0, 50), b], [c, rng.randint(0, 50)]], exact=True)
    mc.append({"b": b, "c": c, "p": float(r.pvalue)})

boot = []
for case in range(40):
    n = rng.randint(1, 60)
    a = [rng.choice([0.0, 1.0, round(rng.random(), 3)]) for _ in range(n)]
    b = [rng.choice([0.0, 1.0, round(rng.random(), 3)]) for _ in range(n)]
    diffs = [x - y for x, y in zip(a, b)]
    seed = rng.getrandbits(64)
    lo, hi = bootstrap(diffs, seed, 1000)
    boot.append({"a": a, "b": b, "seed": str(seed), "resamples": 1000, "low": lo, "high": hi})

out = Path(__file__).resolve().parents[1] / "data" / "significance_reference.json"
out.write_text(json.dumps({"mcnemar": mc, "bootstrap": boot}) + "\n")
print(f"{len(mc)} McNemar tables, {len(boot)} bootstrap cases -> {out}")
