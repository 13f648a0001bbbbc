//! The GPU kernels against the CPU ones in `demo_core`, on a real device.
//!
//! Tests that need a device are `#[ignore]`d so `cargo test --workspace`
//! passes on machines without one (they are reported as ignored, never as
//! passed). `nox -s gpu` runs them with `--include-ignored` after checking
//! for a Vulkan driver, and there they fail loudly if no adapter is found.

#![cfg(feature = "wgpu")]

mod common;

use std::process::Command;

use demo_core::{MatRef, kmeans};
use demo_gpu::{Backend, Error, WgpuContext};

const NEEDS_GPU: &str = "needs a Vulkan driver (e.g. Mesa lavapipe); run `nox -s gpu`";

fn context() -> &'static WgpuContext {
    match WgpuContext::shared() {
        Ok(context) => context,
        Err(err) => {
            panic!("no wgpu adapter: {err}; install one with `apt-get install mesa-vulkan-drivers`")
        }
    }
}

#[test]
#[ignore = "needs a Vulkan driver (e.g. Mesa lavapipe); run `nox -s gpu`"]
fn adapter_is_found() {
    let context = context();
    println!("wgpu adapter: {}", context.adapter());
    assert!(demo_gpu::gpu_available());
    assert!(demo_gpu::backend_available(Backend::Wgpu));
    let _ = NEEDS_GPU;
}

#[test]
#[ignore = "needs a Vulkan driver (e.g. Mesa lavapipe); run `nox -s gpu`"]
fn fit_matches_cpu() {
    println!("wgpu adapter: {}", context().adapter());
    // d = 16 exercises the 8-lane blocks, d = 13 the tail as well, d = 3 only the tail.
    for (n, d, k) in [(20_000, 16, 8), (5_000, 13, 5), (3_000, 3, 4)] {
        let data = common::blobs(n, d, k, 42);
        let x = MatRef::new(&data, d).unwrap();
        let init = kmeans::plusplus_init(x, k, 7).unwrap();
        let init = MatRef::new(&init, d).unwrap();
        let cpu = kmeans::fit(x, init, 100, 1e-4).unwrap();
        let gpu = demo_gpu::fit(Backend::Wgpu, x, init, 100, 1e-4).unwrap();
        let mismatched = cpu
            .labels
            .iter()
            .zip(&gpu.labels)
            .filter(|(a, b)| a != b)
            .count();
        let max_diff = cpu
            .centroids
            .iter()
            .zip(&gpu.centroids)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0_f32, f32::max);
        let rel_inertia = (cpu.inertia - gpu.inertia).abs() / cpu.inertia;
        println!(
            "n={n} d={d} k={k}: label mismatches {mismatched}, max |centroid diff| {max_diff:e}, \
             rel inertia diff {rel_inertia:e}, n_iter cpu {} gpu {}",
            cpu.n_iter, gpu.n_iter
        );
        assert_eq!(mismatched, 0);
        assert_eq!(cpu.n_iter, gpu.n_iter);
        assert!(max_diff <= 1e-5, "centroids differ by {max_diff}");
        assert!(rel_inertia <= 1e-9, "inertia differs by {rel_inertia}");
    }
}

#[test]
#[ignore = "needs a Vulkan driver (e.g. Mesa lavapipe); run `nox -s gpu`"]
fn predict_matches_cpu() {
    let (n, d, k) = (10_007, 9, 6); // n not a multiple of the workgroup size
    let data = common::blobs(n, d, k, 3);
    let x = MatRef::new(&data, d).unwrap();
    let centroids = kmeans::random_init(x, k, 11).unwrap();
    let centroids = MatRef::new(&centroids, d).unwrap();
    assert_eq!(
        demo_gpu::predict(Backend::Wgpu, x, centroids).unwrap(),
        kmeans::predict(x, centroids).unwrap()
    );
}

#[test]
#[ignore = "needs a Vulkan driver (e.g. Mesa lavapipe); run `nox -s gpu`"]
fn ties_go_to_the_lowest_index() {
    let x = MatRef::new(&[0.0_f32, 1.0, 2.0], 1).unwrap();
    let centroids = MatRef::new(&[1.0_f32, 1.0, 0.0], 1).unwrap();
    assert_eq!(
        demo_gpu::predict(Backend::Wgpu, x, centroids).unwrap(),
        [2, 0, 0]
    );
}

/// Child half of [`unavailable_without_a_driver`]; a no-op when run directly.
#[test]
fn child_reports_unavailable() {
    if std::env::var_os("DEMO_GPU_TEST_CHILD").is_none() {
        return;
    }
    assert!(!demo_gpu::gpu_available());
    let x = MatRef::new(&[0.0_f32, 1.0], 1).unwrap();
    let err = demo_gpu::fit(Backend::Wgpu, x, x, 10, 1e-4).unwrap_err();
    assert!(
        matches!(
            err,
            Error::GpuUnavailable {
                backend: Backend::Wgpu,
                ..
            }
        ),
        "{err}"
    );
    println!("child error: {err}");
}

/// With no Vulkan driver the API reports `GpuUnavailable` instead of panicking.
/// Runs on every machine: the driver is hidden from a child process.
#[test]
fn unavailable_without_a_driver() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_reports_unavailable", "--nocapture"])
        .env("DEMO_GPU_TEST_CHILD", "1")
        .env("VK_ICD_FILENAMES", "/nonexistent")
        .env("VK_DRIVER_FILES", "/nonexistent")
        .env("WGPU_BACKEND", "vulkan")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("child error: GPU backend wgpu is unavailable"),
        "{stdout}"
    );
}

#[test]
fn cuda_without_driver_or_feature_is_unavailable() {
    // CI machines have no NVIDIA driver; with one, this test is vacuous.
    if demo_gpu::backend_available(Backend::Cuda) {
        return;
    }
    let x = MatRef::new(&[0.0_f32, 1.0], 1).unwrap();
    let err = demo_gpu::fit(Backend::Cuda, x, x, 10, 1e-4).unwrap_err();
    assert!(
        matches!(
            err,
            Error::GpuUnavailable {
                backend: Backend::Cuda,
                ..
            }
        ),
        "{err}"
    );
}
