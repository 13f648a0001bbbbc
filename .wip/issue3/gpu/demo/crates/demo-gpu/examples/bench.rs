//! GPU vs CPU k-means timings and agreement.
//!
//! `cargo run --release -p demo-gpu --example bench -- [n ...]`
//! (d = 16, k = 8; default n = 100000 300000 1000000).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use demo_core::{MatRef, kmeans};
use demo_gpu::{Backend, WgpuContext};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (d, k) = (16, 8);
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() {
        vec![100_000, 300_000, 1_000_000]
    } else {
        sizes
    };
    let start = Instant::now();
    let context = WgpuContext::shared()?;
    println!(
        "adapter: {} (opened in {:.0?})",
        context.adapter(),
        start.elapsed()
    );
    println!(
        "| n | cpu fit | gpu fit | n_iter cpu/gpu | label mismatches | max centroid diff | cpu predict | gpu predict |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let data = common::blobs(n, d, k, 1);
        let x = MatRef::new(&data, d)?;
        let init = kmeans::plusplus_init(x, k, 0)?;
        let init = MatRef::new(&init, d)?;
        let t = Instant::now();
        let cpu = kmeans::fit(x, init, 300, 1e-4)?;
        let cpu_fit = t.elapsed();
        let t = Instant::now();
        let gpu = demo_gpu::fit(Backend::Wgpu, x, init, 300, 1e-4)?;
        let gpu_fit = t.elapsed();
        let centroids = MatRef::new(&cpu.centroids, d)?;
        let t = Instant::now();
        let cpu_labels = kmeans::predict(x, centroids)?;
        let cpu_predict = t.elapsed();
        let t = Instant::now();
        let gpu_labels = demo_gpu::predict(Backend::Wgpu, x, centroids)?;
        let gpu_predict = t.elapsed();
        let mismatches = cpu
            .labels
            .iter()
            .zip(&gpu.labels)
            .filter(|(a, b)| a != b)
            .count()
            + cpu_labels
                .iter()
                .zip(&gpu_labels)
                .filter(|(a, b)| a != b)
                .count();
        let max_diff = cpu
            .centroids
            .iter()
            .zip(&gpu.centroids)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0_f32, f32::max);
        println!(
            "| {n} | {cpu_fit:.1?} | {gpu_fit:.1?} | {}/{} | {mismatches} | {max_diff:e} | {cpu_predict:.1?} | {gpu_predict:.1?} |",
            cpu.n_iter, gpu.n_iter
        );
    }
    Ok(())
}
