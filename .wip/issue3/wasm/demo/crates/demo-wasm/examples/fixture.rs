//! Writes the expected results of the JS tests, computed by the host build,
//! as JSON on stdout: `cargo run -p demo-wasm --example fixture > fixture.json`.
//!
//! It drives the same `KMeans` / `StandardScaler` wrappers that the wasm
//! module exports, so the JS tests check that wasm32 reproduces the host
//! bit for bit. Floats are printed with `{:?}`, the shortest text that reads
//! back as the same value (`Math.fround` recovers the exact `f32` in JS).

use std::fmt::{Debug, Write as _};

use demo_core::{MatRef, RunningStats, kmeans};
use demo_wasm::{KMeans, StandardScaler};

const N_FEATURES: usize = 2;
const N_CLUSTERS: usize = 3;
const SEED: u32 = 42;

fn main() {
    let x = blobs(300, 7);
    let probe = [0.0_f32, 0.0, -6.0, -4.0, 5.5, -2.5, 1.0, 7.0];

    let mut model = KMeans::new(N_CLUSTERS, Some(SEED), None, None);
    model.fit(&x, N_FEATURES).expect("fit");
    let mut scaler = StandardScaler::new(N_FEATURES);
    scaler.fit(&x).expect("scaler fit");

    let mut json = String::from("{\n");
    let mut field = |name: &str, value: String| {
        writeln!(json, "  {name:?}: {value},").expect("writing to a String");
    };
    field("n_features", N_FEATURES.to_string());
    field("n_clusters", N_CLUSTERS.to_string());
    field("seed", SEED.to_string());
    field("x", list(&x));
    field("centroids", list(&model.centroids().expect("fitted")));
    field("labels", list(&model.predict(&x).expect("predict")));
    field("inertia", format!("{:?}", model.inertia().expect("fitted")));
    field("n_iter", model.n_iter().expect("fitted").to_string());
    field("probe", list(&probe));
    field(
        "probe_labels",
        list(&model.predict(&probe).expect("predict")),
    );
    field("mean", list(&scaler.mean()));
    field("scale", list(&scaler.scale()));
    field("scaled", list(&scaler.transform(&x).expect("transform")));
    // Messages the JS exceptions must carry, from the core's `Display`.
    let too_few = kmeans::plusplus_init(MatRef::new(&x[..4], N_FEATURES).expect("shape"), 3, 0);
    field(
        "error_too_few",
        format!(
            "{:?}",
            too_few.expect_err("2 samples < 3 clusters").to_string()
        ),
    );
    let shape = MatRef::new(&x[..3], N_FEATURES).expect_err("3 values are not rows of 2");
    field("error_shape", format!("{:?}", shape.to_string()));
    let non_finite = RunningStats::new(N_FEATURES)
        .update(MatRef::new(&[1.0, f32::NAN], N_FEATURES).expect("shape"));
    let non_finite = non_finite.expect_err("NaN is rejected").to_string();
    writeln!(json, "  \"error_non_finite\": {non_finite:?}\n}}").expect("writing to a String");
    print!("{json}");
}

/// `n` points around three centres, from a fixed-seed xorshift generator.
fn blobs(n: usize, seed: u64) -> Vec<f32> {
    const CENTRES: [[f32; 2]; 3] = [[-5.0, -4.0], [5.0, -2.0], [0.0, 6.0]];
    let mut state = seed;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // The top 24 bits give an exact f32 in [0, 1).
        (state >> 40) as f32 / (1_u32 << 24) as f32
    };
    let mut x = Vec::with_capacity(n * 2);
    for i in 0..n {
        for centre in CENTRES[i % CENTRES.len()] {
            // Sum of three uniforms: a cheap bell shape, spread about +-3.
            x.push(centre + 2.0 * (uniform() + uniform() + uniform()) - 3.0);
        }
    }
    x
}

fn list<T: Debug>(values: &[T]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}
