"""Reference values for the agreement statistics in src/run/agreement.rs (`llmops calibrate`):
Cohen's kappa (plain and quadratic-weighted) from scikit-learn's `cohen_kappa_score`, and
Krippendorff's alpha (nominal, ordinal, interval) from the `krippendorff` package, on random
ratings: two raters for kappa, two to four raters with missing ratings for alpha.

Writes tests/data/agreement_reference.json. Regenerate with:
    python3 -m venv /tmp/statvenv && /tmp/statvenv/bin/pip install scikit-learn==1.9.1 krippendorff==0.9.0
    /tmp/statvenv/bin/python tests/reference/agreement.py
"""
import json, math, random, warnings
from pathlib import Path
import numpy as np
import krippendorff
from sklearn.metrics import cohen_kappa_score

warnings.simplefilter("ignore")
rng = random.Random(20261130)

def scale(fractions=True):
    # scikit-learn takes whole-number labels only.
    return rng.choice([[0, 1], [1, 2, 3], [1, 2, 3, 4, 5], [0, 0.25, 0.5, 0.75, 1] if fractions else [0, 25, 50, 75, 100], [2, 7, 10]])

def number(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

kappa = []
for _ in range(300):
    values, n = scale(fractions=False), rng.randint(1, 80)
    agree = rng.random()
    a = [rng.choice(values) for _ in range(n)]
    b = [x if rng.random() < agree else rng.choice(values) for x in a]
    kappa.append({
        "a": a, "b": b,
        "plain": number(cohen_kappa_score(a, b)),
        "quadratic": number(cohen_kappa_score(a, b, weights="quadratic")),
    })

alpha = []
for _ in range(300):
    values, units, raters = scale(), rng.randint(1, 60), rng.randint(2, 4)
    missing, agree = rng.choice([0.0, 0.0, 0.2, 0.5]), rng.random()
    data = []
    for u in range(units):
        truth = rng.choice(values)
        data.append([None if rng.random() < missing else (truth if rng.random() < agree else rng.choice(values)) for _ in range(raters)])
    matrix = np.array([[np.nan if v is None else v for v in unit] for unit in data], dtype=float).T
    case = {"units": data}
    for level in ["nominal", "ordinal", "interval"]:
        try:
            case[level] = number(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
        except ValueError:
            case[level] = None
    alpha.append(case)

out = Path(__file__).resolve().parents[1] / "data" / "agreement_reference.json"
out.write_text(json.dumps({"kappa": kappa, "alpha": alpha}) + "\n")
print(f"{len(kappa)} kappa cases, {len(alpha)} alpha cases -> {out}")
