"""Reference values for the text and retrieval metrics in src/grade/{overlap,text,retrieval}.rs.

Writes tests/data/metrics_reference.json (read by the Rust unit tests). Regenerate with:
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install rouge-score==0.1.2 sacrebleu==2.6.0 ranx==0.3.21
    /tmp/refvenv/bin/python tests/reference/metrics.py
Versions used: rouge-score 0.1.2, sacrebleu 2.6.0, ranx 0.3.21 (numba 0.68.1, numpy 2.4.6), Python 3.11.7.
"""
import json, random, re, string, warnings
from collections import Counter
from pathlib import Path
from rouge_score.rouge_scorer import RougeScorer
from sacrebleu.metrics import BLEU
from ranx import Qrels, Run, evaluate

warnings.filterwarnings("ignore")  # numba type-safety warnings from ranx
rng = random.Random(20240611)

# --- Official SQuAD v1.1 evaluation script (evaluate-v1.1.py, rajpurkar.github.io/SQuAD-explorer) ---
def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)
    def white_space_fix(text):
        return ' '.join(text.split())
    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)
    def lower(text):
        return text.lower()
    return white_space_fix(remove_articles(remove_punc(lower(s))))

def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1

def exact_match_score(prediction, ground_truth):
    return (normalize_answer(prediction) == normalize_answer(ground_truth))
# --- end of SQuAD v1.1 code ---

WORDS_A = ("the a an The A cat dog sat on mat quick brown fox jumps over lazy Paris France capital of "
           "is was model answer price costs total it and to not in Denver Broncos won game").split()
WORDS_B = "zebra Violin orbit Kettle saffron tundra quartz HELLO lemur ozone yacht igloo".split()  # disjoint from A
SPECIAL = ["3.50", "1,000", "$3.50", "42", "2024", "0.5", "10%", "1-2", "state-of-the-art", "well-known",
           "e-mail", "café", "Straße", "naïve", "Résumé", "ZÜRICH", "Ærø", "…", "«the", "—", "it's",
           "AT&amp;T", "R&D", "x..5", "(the)", "_the_", "C++", "U.S.", "rock'n'roll"]
PUNCT = [".", ",", "!", "?", ";", ":", "\"", ")", "...", "'s", "-"]


def word(pool):
    w = rng.choice(pool) if rng.random() > 0.15 else rng.choice(SPECIAL)
    r = rng.random()
    w = w.upper() if r < 0.07 else w.capitalize() if r < 0.15 else w
    return w + rng.choice(PUNCT) if rng.random() < 0.15 else w


def join(ws):
    out = ""
    for i, w in enumerate(ws):
        out += w if i == 0 else rng.choice(["  ", "\t", "\n", "-\n"] if rng.random() < 0.04 else [" "]) + w
    return out + (rng.choice(["\n", " ", "-\n", "."]) if ws and rng.random() < 0.05 else "")


def sentence(pool, lo, hi):
    return join([word(pool) for _ in range(rng.randint(lo, hi))])


def perturb(text):
    ws = text.split()
    for _ in range(rng.randint(0, 4)):
        op, i = rng.random(), rng.randrange(len(ws) + 1)
        if op < 0.3 and ws:
            del ws[min(i, len(ws) - 1)]
        elif op < 0.6:
            ws.insert(i, word(WORDS_A))
        elif op < 0.8 and ws:
            ws.insert(i, ws[min(i, len(ws) - 1)])  # repeated word
        elif ws:
            j = min(i, len(ws) - 1)
            ws[j] = ws[j].swapcase()
    return join(ws)


def text_pair():
    r = rng.random()
    ref = sentence(WORDS_A, 1, 60 if rng.random() < 0.15 else 15)
    if r < 0.35:
        out = perturb(ref)
    elif r < 0.6:  # no shared token at all (BLEU must be 0)
        out = " ".join(rng.choice(WORDS_B) for _ in range(rng.randint(1, 12)))
    elif r < 0.7:  # only punctuation shared
        out = " ".join(rng.choice(WORDS_B) for _ in range(rng.randint(1, 6))) + rng.choice([".", "!", ","])
    elif r < 0.8:
        out = sentence(WORDS_A, 1, 20)
    elif r < 0.85:
        out = rng.choice(["", " ", "\n", ".", "...", "!?", "the", "a an the"])
    elif r < 0.9:
        out, ref = ref, rng.choice(["", " ", "?", "the"])
    elif r < 0.95:
        out = ref if rng.random() < 0.5 else ref.lower()
    else:
        out = word(WORDS_A)
    return out, ref


# Hand-picked pairs (the former unit-test examples, in both roles, and known edge cases), then random ones.
QF, QD = "The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log."
CF, CD = "the cat was found under the bed", "the cat was under the bed"
EDGE = [(QD, QF), (QF, QD), (CD, CF), (CF, CD), ("Hello, world!", "Hello, world!"), ("", ""), ("The", "a"),
        ("«The answer»", "« answer»"), ("the—cat", "—cat"), ("x..5 items", "x . .5 items"), ("word-\n", "word-"),
        ("It costs 3.50.", "It costs 3.50 ."), ("1,000 km", "1 , 000 km"), ("Denver Broncos", "the Denver Broncos!")]
scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
bleu = BLEU(effective_order=True)  # == sacrebleu.sentence_bleu defaults: 13a, exp smoothing
text = []
for out, ref in EDGE + [text_pair() for _ in range(306)]:
    s = scorer.score(ref, out)  # score(target, prediction)
    text.append(dict(output=out, reference=ref, rouge1=s["rouge1"].fmeasure, rouge2=s["rouge2"].fmeasure,
                     rougeL=s["rougeL"].fmeasure, bleu=bleu.sentence_score(out, [ref]).score / 100,
                     em=float(exact_match_score(out, ref)), f1=float(f1_score(out, ref))))

retrieval = []
for i in range(300):
    pool = [f"d{j}" for j in range(rng.choice([6, 12, 30]))]
    ranked = rng.sample(pool, min(len(pool), rng.choice([0, 1, 2, 3, 5, 8, 10, 12]) if i else 0))
    relevant = {d: rng.randint(1, 3) for d in rng.sample(pool, rng.randint(1, min(6, len(pool))))}
    k = rng.randint(1, 10)
    # ranx rejects a Run whose only query is empty: add a filler query "b" (results come sorted by query id).
    qrels = Qrels({"a": relevant, "b": {"f": 1}})
    run = Run({"a": {d: float(len(ranked) - n) for n, d in enumerate(ranked)}, "b": {"f": 1.0}})
    names = {"precision": f"precision@{k}", "recall": f"recall@{k}", "hit": f"hit_rate@{k}", "mrr": "mrr",
             "mrr_at_k": f"mrr@{k}", "map": "map", "map_at_k": f"map@{k}", "ndcg": f"ndcg@{k}"}  # ndcg = Jarvelin (linear gain)
    res = evaluate(qrels, run, list(names.values()), return_mean=False, make_comparable=True)
    retrieval.append(dict(ranked=ranked, relevant=relevant, k=k, **{n: float(res[m][0]) for n, m in names.items()}))


def rounded(x):
    return {k: round(v, 12) if isinstance(v, float) else v for k, v in x.items()}

path = Path(__file__).resolve().parents[1] / "data" / "metrics_reference.json"
data = {"text": [rounded(t) for t in text], "retrieval": [rounded(r) for r in retrieval]}
path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
print(f"wrote {path}: {len(text)} text pairs, {len(retrieval)} retrieval cases")
