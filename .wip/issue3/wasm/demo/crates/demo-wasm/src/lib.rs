//! WebAssembly bindings for browsers and Node.js, generated with `wasm-bindgen`.
//!
//! Matrices cross the boundary as flat row-major `Float32Array`s plus a
//! feature count, which is the cheapest layout for both sides: a typed array
//! is copied into wasm memory in one `memcpy`, and results come back as new
//! typed arrays. Every error of `demo-core` is thrown as a JavaScript `Error`
//! whose `message` is the core error's `Display` text.
//!
//! ```js
//! import { KMeans, StandardScaler } from "./pkg/demo_wasm.js";
//!
//! const x = new Float32Array([0, 0, 0.5, 0, 9, 9, 9.5, 9]);
//! const model = new KMeans(2, 42);
//! model.fit(x, 2);
//! model.predict(new Float32Array([1, 1])); // Uint32Array [ label ]
//! ```
//!
//! The crate also builds on the host (the exports are ordinary Rust there),
//! so `cargo test --workspace` and `cargo clippy --workspace` cover it; only
//! calls that *throw* need a JavaScript engine.

use demo_core::{MatRef, RunningStats, kmeans, scaler};
use wasm_bindgen::prelude::*;

/// k-means clustering with k-means++ initialisation and Lloyd iterations.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct KMeans {
    n_clusters: usize,
    seed: u32,
    max_iter: usize,
    tol: f64,
    fitted: Option<Fitted>,
}

/// State after a successful `fit`.
#[derive(Debug, Clone)]
struct Fitted {
    centroids: Vec<f32>,
    n_features: usize,
    inertia: f64,
    n_iter: usize,
}

#[wasm_bindgen]
impl KMeans {
    /// `new KMeans(nClusters, seed = 0, maxIter = 300, tol = 1e-4)`, the
    /// defaults of the Python package. Parameters are validated by `fit`.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new(
        #[wasm_bindgen(js_name = nClusters)] n_clusters: usize,
        seed: Option<u32>,
        #[wasm_bindgen(js_name = maxIter)] max_iter: Option<usize>,
        tol: Option<f64>,
    ) -> Self {
        Self {
            n_clusters,
            // A u32 seed stays a plain JS number (u64 would be a BigInt).
            seed: seed.unwrap_or(0),
            max_iter: max_iter.unwrap_or(300),
            tol: tol.unwrap_or(1e-4),
            fitted: None,
        }
    }

    /// Clusters the row-major samples `x` with `nFeatures` columns.
    ///
    /// # Errors
    ///
    /// Throws the core error (bad shape, no samples, NaN/infinity, more
    /// clusters than samples, invalid parameter); the model is unchanged then.
    pub fn fit(
        &mut self,
        x: &[f32],
        #[wasm_bindgen(js_name = nFeatures)] n_features: usize,
    ) -> Result<(), JsError> {
        let x = MatRef::new(x, n_features)?;
        let init = kmeans::plusplus_init(x, self.n_clusters, self.seed.into())?;
        let init = MatRef::new(&init, n_features)?;
        let result = kmeans::fit(x, init, self.max_iter, self.tol)?;
        self.fitted = Some(Fitted {
            centroids: result.centroids,
            n_features,
            inertia: result.inertia,
            n_iter: result.n_iter,
        });
        Ok(())
    }

    /// Index of the nearest centroid for every row of `x` (ties: lowest).
    ///
    /// # Errors
    ///
    /// Throws if the model is not fitted or `x` does not have
    /// `nFeatures` columns, no rows, or non-finite values.
    pub fn predict(&self, x: &[f32]) -> Result<Vec<usize>, JsError> {
        let fitted = self.fitted()?;
        let centroids = MatRef::new(&fitted.centroids, fitted.n_features)?;
        Ok(kmeans::predict(
            MatRef::new(x, fitted.n_features)?,
            centroids,
        )?)
    }

    /// Fitted centroids, row-major `nClusters x nFeatures`.
    ///
    /// # Errors
    ///
    /// Throws if the model is not fitted.
    #[wasm_bindgen(getter)]
    pub fn centroids(&self) -> Result<Vec<f32>, JsError> {
        Ok(self.fitted()?.centroids.clone())
    }

    /// Sum of squared distances of the training samples to their centroid.
    ///
    /// # Errors
    ///
    /// Throws if the model is not fitted.
    #[wasm_bindgen(getter)]
    pub fn inertia(&self) -> Result<f64, JsError> {
        Ok(self.fitted()?.inertia)
    }

    /// Number of Lloyd iterations run by `fit`.
    ///
    /// # Errors
    ///
    /// Throws if the model is not fitted.
    #[wasm_bindgen(getter = nIter)]
    pub fn n_iter(&self) -> Result<usize, JsError> {
        Ok(self.fitted()?.n_iter)
    }

    fn fitted(&self) -> Result<&Fitted, JsError> {
        self.fitted
            .as_ref()
            .ok_or_else(|| JsError::new("this KMeans instance is not fitted yet; call fit first"))
    }
}

/// Streaming per-feature standardisation, `(x - mean) / scale`.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct StandardScaler {
    stats: RunningStats,
}

#[wasm_bindgen]
impl StandardScaler {
    /// An unfitted scaler for rows of `nFeatures` values.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new(#[wasm_bindgen(js_name = nFeatures)] n_features: usize) -> Self {
        Self {
            stats: RunningStats::new(n_features),
        }
    }

    /// Forgets previous batches and computes the statistics of `x`.
    ///
    /// # Errors
    ///
    /// As `partialFit`; the scaler is unchanged on error.
    pub fn fit(&mut self, x: &[f32]) -> Result<(), JsError> {
        let mut stats = RunningStats::new(self.stats.n_features());
        stats.update(self.matrix(x)?)?;
        self.stats = stats;
        Ok(())
    }

    /// Adds the batch `x` to the statistics.
    ///
    /// # Errors
    ///
    /// Throws on a bad shape, no rows, or non-finite values; the scaler is
    /// unchanged then.
    #[wasm_bindgen(js_name = partialFit)]
    pub fn partial_fit(&mut self, x: &[f32]) -> Result<(), JsError> {
        let x = self.matrix(x)?;
        Ok(self.stats.update(x)?)
    }

    /// `(x - mean) / scale`, row-major like `x`.
    ///
    /// # Errors
    ///
    /// Throws on a bad shape, no rows, or non-finite values.
    pub fn transform(&self, x: &[f32]) -> Result<Vec<f32>, JsError> {
        let mut out = vec![0.0; x.len()];
        scaler::transform(
            self.matrix(x)?,
            self.stats.mean(),
            &self.stats.scale(),
            &mut out,
        )?;
        Ok(out)
    }

    /// `x * scale + mean`, undoing `transform`.
    ///
    /// # Errors
    ///
    /// As `transform`.
    #[wasm_bindgen(js_name = inverseTransform)]
    pub fn inverse_transform(&self, x: &[f32]) -> Result<Vec<f32>, JsError> {
        let mut out = vec![0.0; x.len()];
        scaler::inverse_transform(
            self.matrix(x)?,
            self.stats.mean(),
            &self.stats.scale(),
            &mut out,
        )?;
        Ok(out)
    }

    /// Per-feature mean (all zeros before the first batch).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn mean(&self) -> Vec<f64> {
        self.stats.mean().to_vec()
    }

    /// Per-feature standard deviation, 1 for constant features.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn scale(&self) -> Vec<f64> {
        self.stats.scale()
    }

    /// Number of samples seen (a JS number: exact up to 2^53).
    #[wasm_bindgen(getter = nSamplesSeen)]
    #[must_use]
    pub fn n_samples_seen(&self) -> f64 {
        self.stats.n_samples() as f64
    }

    fn matrix<'a>(&self, x: &'a [f32]) -> Result<MatRef<'a, f32>, demo_core::Error> {
        MatRef::new(x, self.stats.n_features())
    }
}
