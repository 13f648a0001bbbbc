//! `/metrics`: Prometheus's text format (requests by route and status, latency, batch
//! sizes, the model's version and reloads).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// A request's labels.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    status: u16,
}

/// A reload's outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    result: &'static str,
}

/// Every metric the server exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    batch_rows: Histogram,
    batch_requests: Histogram,
    model_version: Gauge,
    reloads: Family<ReloadLabels, Counter>,
    responses: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// The metrics, registered under the `serve_` prefix.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("serve");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            // 20 us to ~1.3 s.
            Histogram::new(exponential_buckets(2e-5, 2.0, 17))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time from the request's arrival to its response",
            latency.clone(),
        );
        let batch_rows = Histogram::new(exponential_buckets(1.0, 2.0, 16));
        registry.register("batch_rows", "Rows per kernel call", batch_rows.clone());
        let batch_requests = Histogram::new(exponential_buckets(1.0, 2.0, 12));
        registry.register(
            "batch_requests",
            "Requests per kernel call",
            batch_requests.clone(),
        );
        let model_version = Gauge::default();
        registry.register(
            "model_version",
            "Loads of the model file since start (0: none loaded)",
            model_version.clone(),
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register(
            "model_reloads",
            "Model file (re)loads by result",
            reloads.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            batch_rows,
            batch_requests,
            model_version,
            reloads,
            responses: AtomicU64::new(0),
        }
    }

    /// Records one answered request.
    pub fn observe_request(&self, route: &'static str, status: u16, elapsed: Duration) {
        self.responses.fetch_add(1, Ordering::Relaxed);
        let labels = RequestLabels { route, status };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Responses sent since start (every route): what a drained shutdown reports.
    #[must_use]
    pub fn responses(&self) -> u64 {
        self.responses.load(Ordering::Relaxed)
    }

    /// Records one kernel call of `requests` requests over `rows` rows.
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    pub fn observe_batch(&self, requests: usize, rows: usize) {
        self.batch_requests.observe(requests as f64);
        self.batch_rows.observe(rows as f64);
    }

    /// Records a (re)load of the model file: its version on success.
    pub fn observe_reload(&self, result: Result<u64, &str>) {
        match result {
            Ok(version) => {
                self.model_version
                    .set(i64::try_from(version).unwrap_or(i64::MAX));
                self.reloads
                    .get_or_create(&ReloadLabels { result: "ok" })
                    .inc();
            }
            Err(_) => {
                self.reloads
                    .get_or_create(&ReloadLabels { result: "error" })
                    .inc();
            }
        }
    }

    /// The text exposition of every metric.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
