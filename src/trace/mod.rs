//! Tracing: one OpenTelemetry tracer provider per process, spans named and attributed after the
//! GenAI semantic conventions. Every span is kept in memory for the run's `traces.jsonl` (one
//! OTLP-JSON span per line); `--trace stdout` and `--trace otlp` add exporters. An exporter
//! that fails warns once and drops spans: tracing never fails or stalls the work it watches.

pub mod genai;
pub mod inference;
pub mod otlp_json;
pub mod replay;
pub mod tree;

use std::collections::HashMap;
use std::io::{Seek, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use opentelemetry::trace::{SpanContext, TraceContextExt, Tracer as _};
use opentelemetry::{Context, KeyValue, global};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{BatchSpanProcessor, SdkTracerProvider, SpanData, SpanExporter};

/// Where spans go besides the run's `traces.jsonl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Export {
    /// Human-readable spans on stdout (opentelemetry-stdout)
    Stdout,
    /// OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)
    Otlp,
    /// No tracing at all, not even `traces.jsonl`
    Off,
}

static CAPTURE_CONTENT: AtomicBool = AtomicBool::new(true);

/// Whether message content goes into spans (`gen_ai.input.messages`, `gen_ai.output.messages`).
pub fn capture_content() -> bool {
    CAPTURE_CONTENT.load(Ordering::Relaxed)
}

/// Switches message content out of spans (config `tracing: capture_content: false`).
pub fn set_capture_content(capture: bool) {
    CAPTURE_CONTENT.store(capture, Ordering::Relaxed);
}

/// The process's tracing: shut it down (it flushes) on every exit path.
pub struct Tracing {
    provider: Option<SdkTracerProvider>,
}

/// The provider, for a flush from a Ctrl-C handler that exits at once.
static PROVIDER: std::sync::OnceLock<SdkTracerProvider> = std::sync::OnceLock::new();

/// Flushes what can be flushed within a second; for exits that skip the normal path.
pub fn flush_before_exit() {
    if let Some(p) = PROVIDER.get() {
        let _ = p.shutdown_with_timeout(Duration::from_secs(1));
    }
}

/// The spans ended so far and not yet taken for a run's `traces.jsonl`: OTLP-JSON lines spooled
/// to an unnamed temporary file, so a run of any size keeps no spans in memory.
static SPOOL: Mutex<Option<Spool>> = Mutex::new(None);

struct Spool {
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
}

/// Keeps every span for `traces.jsonl`.
#[derive(Debug, Clone)]
struct Recorder;

impl SpanExporter for Recorder {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let Ok(mut spool) = SPOOL.lock() else { return Ok(()) };
        if spool.is_none() {
            match tempfile::tempfile() {
                Ok(file) => *spool = Some(Spool { file: std::io::BufWriter::new(file), len: 0 }),
                Err(_) => return Ok(()),
            }
        }
        let spool = spool.as_mut().expect("just set");
        for span in &batch {
            let mut line = Vec::with_capacity(1024);
            if otlp_json::write_span(&mut line, span).is_ok() && spool.file.write_all(&line).is_ok() {
                spool.len += line.len() as u64;
            }
        }
        Ok(())
    }
}

/// The spans recorded so far (one OTLP-JSON span per line), as a file to read from the start
/// and its length; `None` when there are none. Later spans go to a new spool.
pub fn take_recorded() -> Option<(std::fs::File, u64)> {
    let spool = SPOOL.lock().ok()?.take()?;
    let len = spool.len;
    let mut file = spool.file.into_inner().ok()?;
    file.seek(std::io::SeekFrom::Start(0)).ok()?;
    (len > 0).then_some((file, len))
}

/// Wraps an exporter so that its first failure prints one warning and later ones are silent.
#[derive(Debug)]
struct WarnOnce<E> {
    inner: E,
    what: &'static str,
    warned: AtomicBool,
}

impl<E: SpanExporter> SpanExporter for WarnOnce<E> {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let n = batch.len();
        let result = self.inner.export(batch).await;
        if let Err(e) = &result {
            if !self.warned.swap(true, Ordering::SeqCst) {
                eprintln!("warning: {} export failed, dropping spans ({n} in this batch; the run goes on): {e}", self.what);
            }
        }
        Ok(())
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        let _ = self.inner.shutdown_with_timeout(timeout);
        Ok(())
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

impl Tracing {
    /// Sets up the process's tracer provider. `export` adds an exporter; `Off` disables tracing.
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` in the environment implies `otlp`.
    pub fn init(export: Option<Export>, capture: bool) -> Tracing {
        CAPTURE_CONTENT.store(capture, Ordering::Relaxed);
        if export == Some(Export::Off) {
            return Tracing { provider: None };
        }
        let resource = Resource::builder()
            .with_service_name("llmops")
            .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
            .build();
        let mut builder = SdkTracerProvider::builder()
            .with_resource(resource)
            .with_simple_exporter(Recorder);
        let otlp = export == Some(Export::Otlp) || (export.is_none() && std::env::var_os("OTEL_EXPORTER_OTLP_ENDPOINT").is_some_and(|v| !v.is_empty()));
        if otlp {
            use opentelemetry_otlp::WithExportConfig;
            let mut b = opentelemetry_otlp::SpanExporter::builder().with_http();
            // A slow collector holds an export at most this long (unless the environment says).
            if std::env::var_os("OTEL_EXPORTER_OTLP_TIMEOUT").is_none() && std::env::var_os("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT").is_none() {
                b = b.with_timeout(Duration::from_secs(3));
            }
            match b.build() {
                Ok(exporter) => {
                    let exporter = WarnOnce { inner: exporter, what: "OTLP", warned: AtomicBool::new(false) };
                    builder = builder.with_span_processor(BatchSpanProcessor::builder(exporter).build());
                }
                Err(e) => eprintln!("warning: OTLP export is off: {e}"),
            }
        }
        if export == Some(Export::Stdout) {
            builder = builder.with_simple_exporter(opentelemetry_stdout::SpanExporter::default());
        }
        let provider = builder.build();
        global::set_tracer_provider(provider.clone());
        let _ = PROVIDER.set(provider.clone());
        Tracing { provider: Some(provider) }
    }

    /// Flushes and stops every exporter, waiting at most a few seconds.
    pub fn shutdown(&self) {
        if let Some(p) = &self.provider {
            let _ = p.shutdown_with_timeout(Duration::from_secs(5));
        }
    }
}

/// The tracer every span of llmops comes from (a no-op one when tracing is off).
pub fn tracer() -> global::BoxedTracer {
    global::tracer("llmops")
}

/// The context a root span starts in: the caller's trace when `TRACEPARENT` is set (a CI
/// pipeline's), else a new trace.
pub fn root_context() -> Context {
    use opentelemetry::propagation::TextMapPropagator;
    let mut carrier = HashMap::new();
    if let Ok(tp) = std::env::var("TRACEPARENT") {
        carrier.insert("traceparent".to_owned(), tp);
        if let Ok(ts) = std::env::var("TRACESTATE") {
            carrier.insert("tracestate".to_owned(), ts);
        }
    }
    opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&carrier)
}

/// A context whose parent is `parent` (a span of this process, passed by its context).
pub fn child_of(parent: &SpanContext) -> Context {
    Context::new().with_remote_span_context(parent.clone())
}

/// Starts a span named `name` under `parent`.
pub fn start(name: String, kind: opentelemetry::trace::SpanKind, parent: &Context, mut attributes: Vec<KeyValue>) -> opentelemetry::global::BoxedSpan {
    let operation = attributes.iter().find(|kv| kv.key.as_str() == genai::OPERATION_NAME).map(|kv| kv.value.as_str().into_owned());
    if let Some(kind) = genai::openinference_kind(&name, operation.as_deref()) {
        attributes.push(KeyValue::new(genai::OPENINFERENCE_KIND, kind));
    }
    tracer().span_builder(name).with_kind(kind).with_attributes(attributes).start_with_context(&tracer(), parent)
}
