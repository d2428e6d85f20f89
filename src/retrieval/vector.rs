//! Vector search through usearch: an HNSW graph over unit-length embeddings with the cosine
//! metric, its vectors stored as f32, f16 or i8, keyed by the chunk's position in the index's
//! chunk table. The raw f32 embeddings are kept beside it (`embeddings.f32`), so a rebuild
//! reuses the vectors of unchanged chunks exactly, whatever the storage.

use std::path::Path;

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use crate::spec::config::{Quantization, VectorSpec};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VectorError(pub String);

fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError(e.to_string())
}

fn scalar(q: Quantization) -> ScalarKind {
    match q {
        Quantization::F32 => ScalarKind::F32,
        Quantization::F16 => ScalarKind::F16,
        Quantization::I8 => ScalarKind::I8,
    }
}

/// An HNSW graph over vectors of `dims` dimensions.
pub struct VectorIndex {
    index: Index,
}

impl VectorIndex {
    /// A graph of `vectors` (all of `dims` dimensions), the i-th keyed `i`, added from
    /// `threads` threads.
    pub fn build(dims: usize, spec: &VectorSpec, vectors: &[Vec<f32>], threads: usize) -> Result<VectorIndex, VectorError> {
        let options = IndexOptions {
            dimensions: dims,
            metric: MetricKind::Cos,
            quantization: scalar(spec.quantization),
            connectivity: spec.connectivity,
            expansion_add: spec.expansion_add,
            expansion_search: spec.expansion_search,
            ..Default::default()
        };
        let index = Index::new(&options).map_err(err)?;
        let threads = threads.clamp(1, 64);
        index.reserve_capacity_and_threads(vectors.len().max(1), threads).map_err(err)?;
        if let Some(v) = vectors.iter().find(|v| v.len() != dims) {
            return Err(VectorError(format!("an embedding has {} dimensions where the others have {dims}", v.len())));
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let failed = std::sync::Mutex::new(None);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= vectors.len() {
                            return;
                        }
                        if let Err(e) = index.add(i as u64, &vectors[i]) {
                            *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(err(e));
                            return;
                        }
                    }
                });
            }
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        Ok(VectorIndex { index })
    }

    pub fn save(&self, path: &Path) -> Result<(), VectorError> {
        self.index.save(&path.to_string_lossy()).map_err(err)
    }

    /// Opens a saved graph (memory-mapped) and searches it `expansion_search` wide.
    pub fn open(path: &Path, dims: usize, expansion_search: usize) -> Result<VectorIndex, VectorError> {
        let shown = path.to_string_lossy();
        let meta = Index::metadata(&shown).map_err(err)?;
        if meta.dimensions as usize != dims || meta.metric != MetricKind::Cos || meta.multi {
            return Err(VectorError(format!("the graph holds {}-dimension vectors, not the {dims} the manifest says", meta.dimensions)));
        }
        let index = Index::restore_view(&shown).map_err(err)?;
        index.change_expansion_search(expansion_search.max(1));
        Ok(VectorIndex { index })
    }

    pub fn len(&self) -> usize {
        self.index.size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dims(&self) -> usize {
        self.index.dimensions()
    }

    fn check(&self, query: &[f32]) -> Result<(), VectorError> {
        if query.len() != self.dims() {
            return Err(VectorError(format!("the query has {} dimensions, the index {}", query.len(), self.dims())));
        }
        Ok(())
    }

    /// The keys and cosine similarities of the `k` nearest vectors (approximate: through the
    /// graph) among those whose key passes `keep`.
    pub fn search(&self, query: &[f32], k: usize, keep: impl Fn(u64) -> bool) -> Result<Vec<(u64, f32)>, VectorError> {
        self.check(query)?;
        let k = k.min(self.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        let m = self.index.filtered_search(query, k, keep).map_err(err)?;
        Ok(m.keys.into_iter().zip(m.distances).map(|(key, d)| (key, 1.0 - d)).collect())
    }

    /// The same as [`VectorIndex::search`] without the graph and without filters: every
    /// vector compared (the reference for recall).
    pub fn exact(&self, query: &[f32], k: usize) -> Result<Vec<(u64, f32)>, VectorError> {
        self.check(query)?;
        let k = k.min(self.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        let m = self.index.exact_search(query, k).map_err(err)?;
        Ok(m.keys.into_iter().zip(m.distances).map(|(key, d)| (key, 1.0 - d)).collect())
    }
}

/// Writes `vectors` (each `dims` long) as little-endian f32s.
pub fn write_raw(path: &Path, vectors: &[Vec<f32>]) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(vectors.iter().map(|v| v.len() * 4).sum());
    for v in vectors {
        for x in v {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
    }
    crate::atomic_write::write_atomic(path, &bytes)
}

/// Reads `count` vectors of `dims` f32s written by [`write_raw`]; `None` when the file is
/// missing or not that size.
pub fn read_raw(path: &Path, count: usize, dims: usize) -> Option<Vec<Vec<f32>>> {
    let size = count.checked_mul(dims)?.checked_mul(4)?;
    if dims == 0 || std::fs::metadata(path).ok()?.len() != size as u64 {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() != size {
        return None;
    }
    Some(bytes.chunks_exact(dims * 4).map(|v| v.chunks_exact(4).map(|x| f32::from_le_bytes([x[0], x[1], x[2], x[3]])).collect()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit vectors of `dims` from a seeded generator.
    fn random_unit(n: usize, dims: usize, seed: u64) -> Vec<Vec<f32>> {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f32 / (1u64 << 53) as f32 - 0.5
        };
        (0..n)
            .map(|_| {
                let mut v: Vec<f32> = (0..dims).map(|_| next()).collect();
                crate::engine::normalize(&mut v);
                v
            })
            .collect()
    }

    /// The graph finds what comparing every vector finds, for 300 random queries, whatever the
    /// storage; filters keep only the keys they pass.
    #[test]
    fn the_graph_recalls_what_brute_force_finds() {
        let (n, dims, k) = (2000, 64, 10);
        let vectors = random_unit(n, dims, 7);
        let queries = random_unit(300, dims, 99);
        for quantization in [Quantization::F32, Quantization::F16, Quantization::I8] {
            let spec = VectorSpec { quantization, ..VectorSpec::default() };
            let index = VectorIndex::build(dims, &spec, &vectors, 2).unwrap();
            assert_eq!(index.len(), n);
            let (mut found, mut found_f64) = (0, 0);
            for q in &queries {
                // The references: every stored vector compared (the same storage), and every
                // dot product of the original vectors in f64.
                let truth: std::collections::HashSet<u64> = index.exact(q, k).unwrap().into_iter().map(|(key, _)| key).collect();
                let mut exact: Vec<(usize, f64)> = vectors.iter().enumerate().map(|(i, v)| (i, v.iter().zip(q).map(|(a, b)| (*a as f64) * (*b as f64)).sum())).collect();
                exact.sort_by(|a, b| b.1.total_cmp(&a.1));
                let truth_f64: std::collections::HashSet<u64> = exact.iter().take(k).map(|(i, _)| *i as u64).collect();
                let got = index.search(q, k, |_| true).unwrap();
                assert_eq!(got.len(), k);
                assert!(got.windows(2).all(|w| w[0].1 >= w[1].1), "best first");
                found += got.iter().filter(|(key, _)| truth.contains(key)).count();
                found_f64 += got.iter().filter(|(key, _)| truth_f64.contains(key)).count();
                if quantization == Quantization::F32 {
                    let (best, sim) = exact[0];
                    let top = index.exact(q, 1).unwrap()[0];
                    assert_eq!(top.0, best as u64);
                    assert!((top.1 as f64 - sim).abs() < 1e-4, "{} vs {sim}", top.1);
                }
            }
            let recall = found as f64 / (queries.len() * k) as f64;
            assert!(recall >= 0.95, "{quantization:?}: recall@{k} against exact search {recall:.3}");
            // Storage costs recall of its own: none for f32, little for f16, more for i8.
            let recall_f64 = found_f64 as f64 / (queries.len() * k) as f64;
            let floor = match quantization {
                Quantization::I8 => 0.85,
                _ => 0.95,
            };
            assert!(recall_f64 >= floor, "{quantization:?}: recall@{k} against f64 {recall_f64:.3}");
            let even = index.search(&queries[0], k, |key| key % 2 == 0).unwrap();
            assert_eq!(even.len(), k);
            assert!(even.iter().all(|(key, _)| key % 2 == 0));
        }
    }

    #[test]
    fn raw_vectors_round_trip_and_a_wrong_size_is_no_vectors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.f32");
        let vectors = random_unit(5, 3, 1);
        write_raw(&path, &vectors).unwrap();
        assert_eq!(read_raw(&path, 5, 3).unwrap(), vectors);
        assert!(read_raw(&path, 4, 3).is_none());
        assert!(read_raw(&dir.path().join("missing"), 5, 3).is_none());
    }
}
