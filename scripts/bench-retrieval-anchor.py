"""The anchors of `cargo bench --bench retrieval`: bm25s (BM25) and faiss (HNSW), on the
corpus, queries and vectors the bench wrote, timed the same way (one query at a time, k = 10).

    python bench-retrieval-anchor.py DIR    # prints one JSON object
"""
import json, sys, time
from pathlib import Path

import numpy as np

d = Path(sys.argv[1])
meta = json.loads((d / "meta.json").read_text())
n, dims, k = meta["docs"], meta["dims"], meta["k"]
texts = [json.loads(l)["vars"]["body"] for l in (d / "corpus.jsonl").open()]
queries = (d / "queries.txt").read_text().splitlines()
vectors = np.fromfile(d / "vectors.f32", dtype=np.float32).reshape(n, dims)
qvectors = np.fromfile(d / "qvectors.f32", dtype=np.float32).reshape(-1, dims)
out = {}

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]

import bm25s, Stemmer
stemmer = Stemmer.Stemmer("english")
t = time.perf_counter()
tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
retriever = bm25s.BM25()
retriever.index(tokens, show_progress=False)
out["bm25_build_s"] = time.perf_counter() - t
lat = []
for q in queries:
    t = time.perf_counter()
    qt = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
    retriever.retrieve(qt, k=k, show_progress=False, n_threads=1)
    lat.append((time.perf_counter() - t) * 1000)
out["bm25_p50_ms"], out["bm25_p99_ms"] = pct(lat, 0.5), pct(lat, 0.99)

import faiss
faiss.omp_set_num_threads(meta["threads"])
t = time.perf_counter()
index = faiss.IndexHNSWFlat(dims, meta["connectivity"], faiss.METRIC_INNER_PRODUCT)
index.hnsw.efConstruction = meta["expansion_add"]
index.add(vectors)
out["hnsw_build_s"] = time.perf_counter() - t
faiss.omp_set_num_threads(1)
index.hnsw.efSearch = meta["expansion_search"]
exact = faiss.IndexFlatIP(dims)
exact.add(vectors)
lat, found = [], 0
for q in qvectors:
    q = q.reshape(1, dims)
    t = time.perf_counter()
    _, ids = index.search(q, k)
    lat.append((time.perf_counter() - t) * 1000)
    _, truth = exact.search(q, k)
    found += len(set(ids[0]) & set(truth[0]))
out["hnsw_p50_ms"], out["hnsw_p99_ms"] = pct(lat, 0.5), pct(lat, 0.99)
out["hnsw_recall"] = found / (len(qvectors) * k)
print(json.dumps(out))
