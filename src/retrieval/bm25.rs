//! BM25 through tantivy: one document per chunk, its text analysed with the language's
//! stemmer and stop words, its row variables kept as exact `field=value` terms for filters.

use std::path::Path;

use serde_json::{Map, Value};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value as _};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::{Chunk, Hit};

const ANALYZER: &str = "llmops_text";

fn language(code: &str) -> Language {
    use Language::*;
    const ALL: [Language; 18] = [Arabic, Danish, German, Greek, English, Spanish, Finnish, French, Hungarian, Italian, Dutch, Norwegian, Portuguese, Romanian, Russian, Swedish, Tamil, Turkish];
    crate::spec::config::bm25_language(code).map(|i| ALL[i]).unwrap_or(English)
}

fn analyzer(code: &str) -> TextAnalyzer {
    let lang = language(code);
    let base = TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser);
    // Not every language has a stop-word list.
    match StopWordFilter::new(lang) {
        Some(stop) => base.filter(stop).filter(Stemmer::new(lang)).build(),
        None => base.filter(Stemmer::new(lang)).build(),
    }
}

struct Fields {
    text: Field,
    doc: Field,
    chunk: Field,
    meta: Field,
    terms: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default()
        .set_stored()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions));
    let text = b.add_text_field("text", text_options);
    let doc = b.add_text_field("doc", STRING | STORED);
    let chunk = b.add_u64_field("chunk", STORED);
    let meta = b.add_text_field("meta", STORED);
    let terms = b.add_text_field("terms", STRING);
    (b.build(), Fields { text, doc, chunk, meta, terms })
}

fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    Ok(Fields { text: schema.get_field("text")?, doc: schema.get_field("doc")?, chunk: schema.get_field("chunk")?, meta: schema.get_field("meta")?, terms: schema.get_field("terms")? })
}

/// The filter term of a row variable.
fn term_text(field: &str, value: &Value) -> String {
    match value {
        Value::String(s) => format!("{field}={s}"),
        other => format!("{field}={other}"),
    }
}

/// Writes a new index of `chunks` into the empty folder `dir`.
pub fn write(dir: &Path, language: &str, chunks: &[Chunk]) -> tantivy::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    index.tokenizers().register(ANALYZER, analyzer(language));
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 30_000_000)?;
    for c in chunks {
        let mut d = TantivyDocument::default();
        d.add_text(f.text, &c.text);
        d.add_text(f.doc, &c.doc);
        d.add_u64(f.chunk, c.chunk as u64);
        d.add_text(f.meta, Value::Object(c.meta.clone()).to_string());
        for (k, v) in &c.meta {
            d.add_text(f.terms, term_text(k, v));
        }
        writer.add_document(d)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The `k` best chunks for `query` among those matching every `(field, value)` filter.
pub fn search(dir: &Path, language: &str, query: &str, k: usize, filters: &[(String, String)]) -> tantivy::Result<Vec<Hit>> {
    let index = Index::open_in_dir(dir)?;
    index.tokenizers().register(ANALYZER, analyzer(language));
    let f = fields(&index.schema())?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![f.text]);
    // `query` is plain lower-case words (the caller strips query syntax).
    let (text_query, _) = parser.parse_query_lenient(query);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    for (field, value) in filters {
        let term = Term::from_field_text(f.terms, &format!("{field}={value}"));
        // A filter must hold and adds nothing to the score.
        let filter = ConstScoreQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::Basic)), 0.0);
        clauses.push((Occur::Must, Box::new(filter)));
    }
    let query = BooleanQuery::new(clauses);
    // No more than there are chunks (tantivy reserves room for twice the limit).
    let limit = k.min(searcher.num_docs() as usize);
    if limit == 0 {
        return Ok(Vec::new());
    }
    let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
    let mut hits = Vec::with_capacity(top.len());
    for (rank, (score, address)) in top.into_iter().enumerate() {
        let d: TantivyDocument = searcher.doc(address)?;
        let text = |field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let meta: Map<String, Value> = serde_json::from_str(&text(f.meta)).unwrap_or_default();
        hits.push(Hit {
            rank: rank + 1,
            doc: text(f.doc),
            chunk: d.get_first(f.chunk).and_then(|v| v.as_u64()).unwrap_or(0) as usize,
            score,
            text: text(f.text),
            meta,
        });
    }
    Ok(hits)
}
