//! llmops: turn any git repository into a self-hosted LLMOps workflow.
//!
//! The binary (`src/main.rs`) only calls [`cli::main`]; everything else lives here so that
//! tests and benchmarks can call it.

pub mod agent;
pub mod atomic_write;
pub mod bench;
pub mod calibration;
pub mod cli;
pub mod diagnostic;
pub mod endpoint;
pub mod engine;
pub mod engine_info;
pub mod evaluation;
pub mod gate;
pub mod grade;
pub mod invoke;
pub mod json_schema;
pub mod labels;
pub mod ledger;
pub mod names;
pub mod printer;
pub mod release;
pub mod report;
pub mod retrieval;
pub mod run;
pub mod serve;
pub mod spec;
pub mod template;
pub mod text;
pub mod trace;
pub mod version;
pub mod workspace;
