//! BM25 through tantivy: one document per chunk, keyed by the chunk's position in the
//! index's chunk table, its text analysed with the language's stemmer and stop words (term
//! frequencies, no positions: queries are words, not phrases), its row variables kept as exact
//! `field=value` terms for filters.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value as _};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

use super::{Chunk, filter_term};

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
    key: Field,
    terms: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqs));
    let text = b.add_text_field("text", text_options);
    let key = b.add_u64_field("key", STORED | INDEXED);
    let terms = b.add_text_field("terms", STRING);
    (b.build(), Fields { text, key, terms })
}

/// Writes a new index of `chunks` (keyed by position) into the empty folder `dir`.
pub fn write(dir: &Path, language: &str, chunks: &[Chunk]) -> tantivy::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    index.tokenizers().register(ANALYZER, analyzer(language));
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
    for (key, c) in chunks.iter().enumerate() {
        let mut d = TantivyDocument::default();
        d.add_text(f.text, &c.text);
        d.add_u64(f.key, key as u64);
        for (k, v) in &c.meta {
            d.add_text(f.terms, filter_term(k, v));
        }
        writer.add_document(d)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// An opened BM25 index, searched many times.
pub struct Reader {
    reader: IndexReader,
    parser: QueryParser,
    f: Fields,
}

impl Reader {
    pub fn open(dir: &Path, language: &str) -> tantivy::Result<Reader> {
        let index = Index::open_in_dir(dir)?;
        index.tokenizers().register(ANALYZER, analyzer(language));
        let schema = index.schema();
        let f = Fields { text: schema.get_field("text")?, key: schema.get_field("key")?, terms: schema.get_field("terms")? };
        let reader = index.reader()?;
        let parser = QueryParser::for_index(&index, vec![f.text]);
        Ok(Reader { reader, parser, f })
    }

    /// The keys and scores of the `k` best chunks for `words` (plain lower-case words: the
    /// caller strips query syntax) among those having every `field=value` filter term.
    pub fn search(&self, words: &str, k: usize, filters: &[(String, String)]) -> tantivy::Result<Vec<(u64, f32)>> {
        let searcher = self.reader.searcher();
        let (text_query, _) = self.parser.parse_query_lenient(words);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        for (field, value) in filters {
            let term = Term::from_field_text(self.f.terms, &format!("{field}={value}"));
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
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let key = d.get_first(self.f.key).and_then(|v| v.as_u64()).ok_or_else(|| tantivy::TantivyError::InternalError("a document without its key".into()))?;
            out.push((key, score));
        }
        Ok(out)
    }
}
