//! Retrieval at 100,000 short documents, against the tools users know, run side by side in
//! this one invocation on the same corpus, queries and vectors, one query at a time, k = 10:
//!
//! - BM25: `llmops index build` (the binary) and `Opened::search` (tantivy) against bm25s
//!   (English stemmer and stop words, like ours);
//! - vectors: the HNSW graph an index builds (usearch; f16 storage, 16 edges, expansion 128
//!   when adding and 64 when searching) against faiss's `IndexHNSWFlat` with the same settings
//!   (f32), on 384-dimension unit vectors drawn around 2,000 centres (embeddings cluster so);
//!   recall@10 of each against its own exact search;
//! - hybrid: BM25's top 50, the graph's top 50 and reciprocal rank fusion, the steps of
//!   `search --mode hybrid` (the query's embedding is measured apart);
//! - embeddings: an index build's embedding rate against the engine's own batched rate on the
//!   same texts (all-MiniLM-L6-v2; `make embed-model`).
//!
//! Run: `make bench-deps && cargo bench --bench retrieval` (`LLMOPS_BENCH_DOCS=N` for another
//! size). The anchors run from `target/bench-venv` (scripts/bench-retrieval-anchor.py).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use llmops::retrieval::{self, Opened, vector::VectorIndex};
use llmops::spec::config::{HybridSpec, SearchMode, VectorSpec};

const DIMS: usize = 384;
const CENTRES: usize = 2000;
const QUERIES: usize = 300;
const K: usize = 10;
/// The noise around a centre, relative to the centre's length: 1.2 puts a vector at a cosine
/// of about 0.64 from its centre, and clusters overlap.
const SPREAD: f32 = 1.2;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A normal deviate (Box–Muller).
    fn normal(&mut self) -> f32 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        ((-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()) as f32
    }
}

/// Pseudo-words from syllables, drawn by Zipf's law (rank r has weight 1 / r).
struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new(n: usize, rng: &mut Rng) -> Words {
        const SYLLABLES: [&str; 24] = ["ka", "lo", "mi", "ter", "san", "po", "ri", "ven", "da", "mo", "lu", "sta", "ber", "ni", "qua", "zel", "for", "tal", "ge", "ro", "vin", "sha", "pe", "dor"];
        let mut seen = std::collections::HashSet::new();
        let mut words = Vec::new();
        while words.len() < n {
            let len = 2 + (rng.next() % 3) as usize;
            let w: String = (0..len).map(|_| SYLLABLES[(rng.next() % 24) as usize]).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / (r + 1) as f64;
                total
            })
            .collect();
        Words { words, cumulative }
    }
    fn draw(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative.last().unwrap();
        &self.words[self.cumulative.partition_point(|c| *c < x).min(self.words.len() - 1)]
    }
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    llmops::engine::normalize(&mut v);
    v
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)]
}

fn time_each(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    (percentile(&mut ms, 0.5), percentile(&mut ms, 0.99))
}

fn llmops(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_llmops")).current_dir(dir).args(args).output().expect("spawn llmops");
    assert!(out.status.success(), "llmops {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write_f32(path: &Path, vectors: &[Vec<f32>]) {
    let bytes: Vec<u8> = vectors.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write(path, bytes).unwrap();
}

fn main() {
    let docs: usize = std::env::var("LLMOPS_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/bench-venv/bin/python");
    assert!(python.exists(), "the anchors (bm25s, faiss) are missing: run `make bench-deps` first");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tmp = tempfile::tempdir().unwrap();
    let ws_dir = tmp.path().join("ws");
    std::fs::create_dir_all(&ws_dir).unwrap();
    assert!(Command::new("git").arg("init").arg("-q").current_dir(&ws_dir).status().unwrap().success());
    llmops(&ws_dir, &["-q", "init"]);

    // The corpus: 12–40 words a document, a quarter of them stop words.
    let mut rng = Rng(0x5eed);
    let words = Words::new(20_000, &mut rng);
    const STOP: [&str; 6] = ["the", "and", "of", "to", "in", "a"];
    let mut corpus = String::new();
    for i in 0..docs {
        let len = 12 + (rng.next() % 29) as usize;
        let body: Vec<&str> = (0..len).map(|_| if rng.next() % 4 == 0 { STOP[(rng.next() % 6) as usize] } else { words.draw(&mut rng) }).collect();
        corpus.push_str(&serde_json::json!({"id": format!("d{i}"), "vars": {"body": body.join(" "), "kind": format!("k{}", i % 10)}}).to_string());
        corpus.push('\n');
    }
    std::fs::write(ws_dir.join("datasets/corpus.jsonl"), &corpus).unwrap();
    let config = std::fs::read_to_string(ws_dir.join(".llmops/config.yaml")).unwrap();
    std::fs::write(ws_dir.join(".llmops/config.yaml"), format!("{config}indexes:\n  corpus:\n    dataset: corpus\n    text: \"{{{{ body }}}}\"\n")).unwrap();
    let queries: Vec<String> = (0..QUERIES).map(|_| (0..2 + rng.next() % 3).map(|_| words.draw(&mut rng).to_owned()).collect::<Vec<_>>().join(" ")).collect();

    // Vectors around centres, queries near the same centres.
    let centres: Vec<Vec<f32>> = (0..CENTRES).map(|_| unit((0..DIMS).map(|_| rng.normal()).collect())).collect();
    let around = |c: &[f32], rng: &mut Rng, spread: f32| unit(c.iter().map(|x| x + spread * rng.normal() / (DIMS as f32).sqrt()).collect());
    let vectors: Vec<Vec<f32>> = (0..docs).map(|i| around(&centres[i % CENTRES], &mut rng, SPREAD)).collect();
    let qvectors: Vec<Vec<f32>> = (0..QUERIES).map(|_| {
        let c = (rng.next() % CENTRES as u64) as usize;
        around(&centres[c], &mut rng, SPREAD)
    }).collect();

    // The anchors' inputs.
    let anchor_dir = tmp.path().join("anchor");
    std::fs::create_dir_all(&anchor_dir).unwrap();
    std::fs::copy(ws_dir.join("datasets/corpus.jsonl"), anchor_dir.join("corpus.jsonl")).unwrap();
    std::fs::write(anchor_dir.join("queries.txt"), queries.join("\n")).unwrap();
    write_f32(&anchor_dir.join("vectors.f32"), &vectors);
    write_f32(&anchor_dir.join("qvectors.f32"), &qvectors);
    let spec = VectorSpec::default();
    std::fs::write(
        anchor_dir.join("meta.json"),
        serde_json::json!({"docs": docs, "dims": DIMS, "k": K, "threads": threads, "connectivity": spec.connectivity, "expansion_add": spec.expansion_add, "expansion_search": spec.expansion_search}).to_string(),
    )
    .unwrap();

    println!("retrieval, {docs} documents, {QUERIES} queries one at a time, k = {K}, {threads} threads");
    // BM25: build through the binary, search in process.
    let t = Instant::now();
    llmops(&ws_dir, &["-q", "index", "build", "corpus"]);
    let bm25_build = t.elapsed().as_secs_f64();
    let status: serde_json::Value = serde_json::from_str(&llmops(&ws_dir, &["index", "status", "--json"])).unwrap();
    let bytes = status[0]["bytes"].as_u64().unwrap();
    let ws = llmops::workspace::Workspace::discover(&ws_dir).unwrap();
    let index = Opened::open(&ws, "corpus", Some(SearchMode::Bm25)).unwrap();
    let mut found = 0usize;
    let (bm25_p50, bm25_p99) = time_each(QUERIES, |i| found += index.search(&queries[i], K, &[]).unwrap().len());
    assert!(found > 0, "the queries find documents");

    // Vectors: the graph an index build makes, from the same code.
    let t = Instant::now();
    let graph = VectorIndex::build(DIMS, &spec, &vectors, threads).unwrap();
    let hnsw_build = t.elapsed().as_secs_f64();
    let (hnsw_p50, hnsw_p99) = time_each(QUERIES, |i| {
        graph.search(&qvectors[i], K, |_| true).unwrap();
    });
    let mut hits = 0;
    for q in &qvectors {
        let truth: std::collections::HashSet<u64> = graph.exact(q, K).unwrap().into_iter().map(|(k, _)| k).collect();
        hits += graph.search(q, K, |_| true).unwrap().iter().filter(|(k, _)| truth.contains(k)).count();
    }
    let recall = hits as f64 / (QUERIES * K) as f64;
    let (exact_p50, _) = time_each(QUERIES / 10, |i| {
        graph.exact(&qvectors[i], K).unwrap();
    });

    // Hybrid: BM25's and the graph's candidates, fused.
    let how = HybridSpec::default();
    let (hybrid_p50, hybrid_p99) = time_each(QUERIES, |i| {
        let words = index.search_with(Some(&queries[i]), None, how.candidates, &[]).unwrap();
        let keyed: Vec<(u64, f32)> = words.iter().map(|h| (h.doc[1..].parse().unwrap(), h.score)).collect();
        let near = graph.search(&qvectors[i], how.candidates, |_| true).unwrap();
        let fused = retrieval::fuse(&keyed, &near, &how);
        assert!(!fused.is_empty());
    });

    // The anchors, now, on the same inputs.
    let out = Command::new(&python).arg(root.join("scripts/bench-retrieval-anchor.py")).arg(&anchor_dir).output().expect("run the anchors");
    assert!(out.status.success(), "anchors: {}", String::from_utf8_lossy(&out.stderr));
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = |k: &str| a[k].as_f64().unwrap();

    println!("  {:<34} {:>10} {:>10} {:>10}", "", "llmops", "anchor", "ratio");
    let row = |name: &str, ours: f64, theirs: f64, unit: &str| println!("  {name:<34} {ours:>8.2}{unit:<2} {theirs:>8.2}{unit:<2} {:>9.2}x", ours / theirs);
    row("BM25 build (s)  vs bm25s", bm25_build, f("bm25_build_s"), "s");
    row("BM25 query p50  vs bm25s", bm25_p50, f("bm25_p50_ms"), "ms");
    row("BM25 query p99  vs bm25s", bm25_p99, f("bm25_p99_ms"), "ms");
    row("HNSW build      vs faiss", hnsw_build, f("hnsw_build_s"), "s");
    row("HNSW query p50  vs faiss", hnsw_p50, f("hnsw_p50_ms"), "ms");
    row("HNSW query p99  vs faiss", hnsw_p99, f("hnsw_p99_ms"), "ms");
    println!("  {:<34} {:>10.3} {:>10.3}", "HNSW recall@10 vs exact", recall, f("hnsw_recall"));
    println!("  BM25 index on disk: {:.1} MiB ({docs} documents)", bytes as f64 / (1 << 20) as f64);
    println!("  exact vector search p50: {exact_p50:.2} ms; hybrid p50 {hybrid_p50:.2} ms, p99 {hybrid_p99:.2} ms");
    println!("  targets: BM25 p50 < 2 ms, HNSW p50 < 2 ms, hybrid p50 < 5 ms, recall@10 >= 0.95");

    embeddings(root);
}

/// An index build's embedding rate against the engine's own batched rate, on 512 texts.
fn embeddings(root: &Path) {
    let model = root.join(".llmops/models/all-MiniLM-L6-v2.f16.gguf");
    assert!(model.exists(), "the test embedding model is missing: run `make embed-model` first");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(Command::new("git").arg("init").arg("-q").current_dir(dir).status().unwrap().success());
    llmops(dir, &["-q", "init"]);
    std::fs::create_dir_all(dir.join(".llmops/models")).unwrap();
    std::os::unix::fs::symlink(&model, dir.join(".llmops/models/minilm.gguf")).unwrap();
    let mut rng = Rng(42);
    let words = Words::new(5000, &mut rng);
    let texts: Vec<String> = (0..512).map(|_| (0..24 + rng.next() % 16).map(|_| words.draw(&mut rng)).collect::<Vec<_>>().join(" ")).collect();
    let rows: String = texts.iter().enumerate().map(|(i, t)| serde_json::json!({"id": format!("d{i}"), "vars": {"body": t}}).to_string() + "\n").collect();
    std::fs::write(dir.join("datasets/docs.jsonl"), rows).unwrap();
    let config = std::fs::read_to_string(dir.join(".llmops/config.yaml")).unwrap().replace(
        "models:\n",
        "models:\n  minilm:\n    path: .llmops/models/minilm.gguf\n    sha256: 711390d0c77d6f43bb8e2c97e89914c4b6ef569d3e60b36a79ad2771da96e4f1\n",
    );
    std::fs::write(dir.join(".llmops/config.yaml"), format!("{config}indexes:\n  docs:\n    dataset: docs\n    text: \"{{{{ body }}}}\"\n    embed_model: minilm\n")).unwrap();
    let ws = llmops::workspace::Workspace::discover(dir).unwrap();
    let engine = llmops::engine::open(&ws.repo_root(), &ws.config, "minilm", &Default::default()).unwrap();
    engine.embed(&texts[..8]).unwrap();
    let t = Instant::now();
    engine.embed(&texts).unwrap();
    let raw = texts.len() as f64 / t.elapsed().as_secs_f64();
    drop(engine);
    let mut embedding_s = 0.0;
    let mut started = None;
    let t = Instant::now();
    let m = retrieval::build(&ws, "docs", &mut |stage| match stage {
        retrieval::BuildStage::Embedding { done: 0, .. } => started = Some(Instant::now()),
        retrieval::BuildStage::Writing => embedding_s = started.map_or(0.0, |s| s.elapsed().as_secs_f64()),
        _ => {}
    })
    .unwrap();
    let total = t.elapsed().as_secs_f64();
    assert_eq!(m.embedded, texts.len());
    let build = texts.len() as f64 / embedding_s;
    println!(
        "  embeddings (all-MiniLM-L6-v2, 512 texts): index build {build:.0}/s, engine batched {raw:.0}/s ({:.2}x); whole build with model load {total:.2} s",
        build / raw
    );
}
