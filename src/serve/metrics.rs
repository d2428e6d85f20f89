//! `GET /metrics`: counters, gauges and histograms in Prometheus' text format.

use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Upper bounds, in seconds, of the latency buckets.
const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Default)]
pub struct Histogram {
    inner: Mutex<(Vec<u64>, u64, f64)>,
}

impl Histogram {
    pub fn observe(&self, seconds: f64) {
        let mut h = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if h.0.is_empty() {
            h.0 = vec![0; BUCKETS.len()];
        }
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.0[i] += 1;
            }
        }
        h.1 += 1;
        h.2 += seconds;
    }

    fn render(&self, name: &str, help: &str, out: &mut String) {
        let h = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", h.0.get(i).copied().unwrap_or(0));
        }
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}\n{name}_sum {}\n{name}_count {}", h.1, h.2, h.1);
    }
}

#[derive(Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub errors: AtomicU64,
    pub rejected: AtomicU64,
    pub prompt_tokens: AtomicU64,
    pub completion_tokens: AtomicU64,
    pub cache_hits: AtomicU64,
    /// Requests accepted and not yet answered.
    pub in_flight: AtomicI64,
    /// Of those, the ones generating (their first token is out).
    pub generating: AtomicI64,
    pub ttft: Histogram,
    pub latency: Histogram,
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}");
        };
        let gauge = |out: &mut String, name: &str, help: &str, v: i64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(&mut out, "llmops_requests_total", "Generation and embedding requests accepted.", get(&self.requests));
        counter(&mut out, "llmops_request_errors_total", "Requests that ended in an error.", get(&self.errors));
        counter(&mut out, "llmops_requests_rejected_total", "Requests refused because the queue was full.", get(&self.rejected));
        counter(&mut out, "llmops_prompt_tokens_total", "Prompt tokens processed.", get(&self.prompt_tokens));
        counter(&mut out, "llmops_completion_tokens_total", "Tokens generated.", get(&self.completion_tokens));
        counter(&mut out, "llmops_cache_hits_total", "Answers served from the response cache.", get(&self.cache_hits));
        let in_flight = self.in_flight.load(Ordering::Relaxed);
        let generating = self.generating.load(Ordering::Relaxed);
        gauge(&mut out, "llmops_requests_in_flight", "Requests accepted and not yet answered.", in_flight);
        gauge(&mut out, "llmops_active_sequences", "Requests generating (first token out).", generating);
        gauge(&mut out, "llmops_queue_depth", "Requests waiting for their first token.", (in_flight - generating).max(0));
        self.ttft.render("llmops_time_to_first_token_seconds", "Time from request to first token.", &mut out);
        self.latency.render("llmops_request_duration_seconds", "Time from request to the last byte of the answer.", &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counters_render() {
        let m = Metrics::default();
        m.requests.fetch_add(3, Ordering::Relaxed);
        m.latency.observe(0.003);
        m.latency.observe(0.2);
        m.latency.observe(100.0);
        let text = m.render();
        assert!(text.contains("llmops_requests_total 3\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_bucket{le=\"0.0025\"} 0\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_bucket{le=\"0.005\"} 1\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_bucket{le=\"0.25\"} 2\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_bucket{le=\"30\"} 2\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), "{text}");
        assert!(text.contains("llmops_request_duration_seconds_count 3\n"), "{text}");
        assert!(text.contains("# TYPE llmops_time_to_first_token_seconds histogram"), "{text}");
    }
}
