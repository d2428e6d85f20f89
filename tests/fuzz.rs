//! A bounded fuzz run over every parser of untrusted input: prompts, datasets (JSONL, CSV,
//! YAML), evals, the config, the releases lockfile and the GGUF header. Inputs are random
//! mutations of valid files (bytes flipped, inserted, deleted, lines swapped) and random text.
//! Nothing may panic, and every error names its file and, for text, the line.
//! `PROPTEST_CASES` sets the number of cases per parser (default 512).

use std::path::Path;

use llmops::diagnostic::Diagnostic;
use llmops::spec::config::Config;
use llmops::spec::dataset::{DatasetFormat, RowReader};
use llmops::spec::eval::EvalSpec;
use llmops::spec::prompt::Prompt;
use proptest::prelude::*;

const PROMPT: &str = include_str!("../prompts/extract.yaml");
const EVAL: &str = include_str!("../evals/capital-judged.yaml");
const CONFIG: &str = include_str!("../.llmops/config.yaml");
const JSONL: &str = include_str!("../datasets/orders.jsonl");
const YAML_ROWS: &str = "- id: a\n  vars: {x: 1}\n  expected: one\n- id: b\n  vars: {x: [1, 2]}\n  labels: [easy]\n";
const CSV: &str = "id,country,expected\nfrance,France,Paris\njapan,Japan,Tokyo\n";
const RELEASES: &str = "prompts:\n  capital:\n    production:\n      version: 0123456789abcdef0123456789abcdef01234567\n      runs: {capital: abc}\n      released: 1\n";

/// An edit of a seed: flip, insert or delete bytes, or swap two lines.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    SwapLines(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let tokens = prop::sample::select(vec![
        b":".to_vec(), b"- ".to_vec(), b"{".to_vec(), b"}".to_vec(), b"[".to_vec(), b"\"".to_vec(), b"\n  ".to_vec(),
        b"{{".to_vec(), b"{%".to_vec(), b"\xff".to_vec(), b"\t".to_vec(), b"&a".to_vec(), b"*a".to_vec(), b"!!binary".to_vec(),
        b"1e999".to_vec(), b"-1".to_vec(), b"null".to_vec(), b"\0".to_vec(), "é".as_bytes().to_vec(), b",".to_vec(),
    ]);
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
            (any::<usize>(), prop_oneof![tokens, prop::collection::vec(any::<u8>(), 1..8)]).prop_map(|(i, t)| Edit::Insert(i, t)),
            (any::<usize>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        ],
        1..6,
    )
}

fn mutate(seed: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = seed.as_bytes().to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match e {
            Edit::Flip(i, b) if !bytes.is_empty() => {
                let n = bytes.len();
                bytes[i % n] = *b;
            }
            Edit::Insert(i, t) => {
                let p = at(*i, bytes.len());
                bytes.splice(p..p, t.iter().copied());
            }
            Edit::Delete(i, n) => {
                let p = at(*i, bytes.len());
                let end = (p + n).min(bytes.len());
                bytes.drain(p..end);
            }
            Edit::SwapLines(a, b) => {
                let mut lines: Vec<Vec<u8>> = bytes.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
                let n = lines.len();
                lines.swap(a % n, b % n);
                bytes = lines.join(&b'\n');
            }
            _ => {}
        }
    }
    bytes
}

/// Every diagnostic names the file, and a line within the text when it gives one.
fn located(diags: &[Diagnostic], path: &str, text: &str) {
    for d in diags {
        assert_eq!(d.path, Path::new(path), "{d}");
        let lines = text.lines().count().max(1) + 1;
        if let Some(line) = d.line {
            assert!(line >= 1 && line <= lines, "line {line} of a {lines}-line file: {d}");
        }
        assert!(!d.message.is_empty());
    }
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn rows(format: DatasetFormat, path: &str, bytes: &[u8]) {
    let text = text_of(bytes);
    // The raw bytes, invalid UTF-8 included, as a file would give them.
    let reader = RowReader::new(Path::new(path), format, std::io::Cursor::new(bytes.to_vec()));
    let diags: Vec<Diagnostic> = reader.take(10_000).filter_map(Result::err).collect();
    located(&diags, path, &text);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prompts(e in edits()) {
        let text = text_of(&mutate(PROMPT, &e));
        if let Err(d) = Prompt::parse(Path::new("prompts/p.yaml"), &text) { located(&d, "prompts/p.yaml", &text) }
    }

    #[test]
    fn evals(e in edits()) {
        let text = text_of(&mutate(EVAL, &e));
        if let Err(d) = EvalSpec::parse(Path::new("evals/e.yaml"), &text) { located(&d, "evals/e.yaml", &text) }
    }

    #[test]
    fn configs(e in edits()) {
        let text = text_of(&mutate(CONFIG, &e));
        if let Err(d) = Config::parse(Path::new(".llmops/config.yaml"), &text) { located(&d, ".llmops/config.yaml", &text) }
    }

    #[test]
    fn lockfiles(e in edits()) {
        let text = text_of(&mutate(RELEASES, &e));
        if let Err(d) = llmops::spec::parse_yaml::<llmops::release::Releases>(Path::new(".llmops/releases.yaml"), &text) {
            located(&[d], ".llmops/releases.yaml", &text)
        }
    }

    #[test]
    fn datasets(e in edits()) {
        rows(DatasetFormat::Jsonl, "datasets/d.jsonl", &mutate(JSONL, &e));
        rows(DatasetFormat::Csv, "datasets/d.csv", &mutate(CSV, &e));
        rows(DatasetFormat::Yaml, "datasets/d.yaml", &mutate(YAML_ROWS, &e));
    }

    #[test]
    fn random_text(text in "\\PC{0,200}") {
        let _ = Prompt::parse(Path::new("p.yaml"), &text);
        let _ = EvalSpec::parse(Path::new("e.yaml"), &text);
        let _ = Config::parse(Path::new("c.yaml"), &text);
        rows(DatasetFormat::Jsonl, "d.jsonl", text.as_bytes());
        rows(DatasetFormat::Csv, "d.csv", text.as_bytes());
        rows(DatasetFormat::Yaml, "d.yaml", text.as_bytes());
    }

    #[test]
    fn gguf_headers(e in edits(), cut in any::<usize>()) {
        // A small valid header, mutated and cut anywhere.
        let mut seed = b"GGUF".to_vec();
        seed.extend(3u32.to_le_bytes());
        seed.extend(1u64.to_le_bytes());
        seed.extend(2u64.to_le_bytes());
        for (k, t, v) in [("general.architecture", 8u32, { let mut v = 5u64.to_le_bytes().to_vec(); v.extend(b"llama"); v }), ("a", 9u32, { let mut v = 4u32.to_le_bytes().to_vec(); v.extend(2u64.to_le_bytes()); v.extend(1u32.to_le_bytes()); v.extend(2u32.to_le_bytes()); v })] {
            seed.extend((k.len() as u64).to_le_bytes());
            seed.extend(k.as_bytes());
            seed.extend(t.to_le_bytes());
            seed.extend(v);
        }
        let mut bytes = mutate(&String::from_utf8_lossy(&seed), &e);
        bytes.truncate(cut % (bytes.len() + 1));
        let _ = llmops::engine::gguf::parse(&mut bytes.as_slice());
    }
}
