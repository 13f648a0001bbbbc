//! Runs demo-core's scaler and k-means on a fixed sample and prints the results.
//!
//! On bare metal (`target_os = "none"`) the lines go to the debugger host over
//! semihosting and the exit status (0 = all checks passed, 1 = a check failed
//! or a panic) is passed to QEMU. On the host the same code runs under `std`
//! and prints the reference output that `nox -s embedded` compares against:
//! the kernels are deterministic IEEE-754 arithmetic, so the two must match
//! character for character.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt::{self, Display, Write};

use demo_core::{MatRef, RunningStats, kmeans, scaler};

const N_FEATURES: usize = 2;
const N_CLUSTERS: usize = 3;

/// Three well-separated blobs of four samples; the second feature has a far
/// larger spread, so clustering only works well after scaling.
#[rustfmt::skip]
const SAMPLES: [f32; 24] = [
    0.9, 102.0,   1.1, 98.5,   1.0, 101.0,   1.2, 99.0,  // blob 0
    4.8, 305.0,   5.1, 297.0,  5.3, 301.5,   4.9, 299.0, // blob 1
    8.7, 96.0,    9.2, 104.0,  9.1, 100.5,   8.9, 98.0,  // blob 2
];
/// Blob of every sample, by construction.
const BLOBS: [usize; 12] = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
/// Unseen points, one near each blob in turn.
const QUERIES: [f32; 6] = [1.05, 100.0, 5.0, 290.0, 9.5, 101.0];

/// Why a run failed.
#[derive(Debug)]
enum Failure {
    Kernel(demo_core::Error),
    Output,
    Check(&'static str),
}

impl From<demo_core::Error> for Failure {
    fn from(err: demo_core::Error) -> Self {
        Self::Kernel(err)
    }
}

impl From<fmt::Error> for Failure {
    fn from(_: fmt::Error) -> Self {
        Self::Output
    }
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Kernel(err) => write!(f, "kernel error: {err}"),
            Self::Output => f.write_str("could not write the output"),
            Self::Check(what) => write!(f, "check failed: {what}"),
        }
    }
}

fn check(ok: bool, what: &'static str) -> Result<(), Failure> {
    if ok {
        Ok(())
    } else {
        Err(Failure::Check(what))
    }
}

/// Standardises the sample, clusters it and labels the queries, writing one
/// line per result to `out`.
fn run(out: &mut impl Write) -> Result<(), Failure> {
    let x = MatRef::new(&SAMPLES, N_FEATURES)?;

    let mut stats = RunningStats::new(N_FEATURES);
    stats.update(x)?;
    let (mean, scale) = (stats.mean(), stats.scale());
    let mut scaled = [0.0_f32; SAMPLES.len()];
    scaler::transform(x, mean, &scale, &mut scaled)?;
    let mut restored = [0.0_f32; SAMPLES.len()];
    scaler::inverse_transform(
        MatRef::new(&scaled, N_FEATURES)?,
        mean,
        &scale,
        &mut restored,
    )?;
    writeln!(out, "mean = {mean:?}")?;
    writeln!(out, "scale = {scale:?}")?;
    writeln!(out, "scaled = {scaled:?}")?;
    writeln!(out, "restored = {restored:?}")?;
    let max_error = SAMPLES
        .iter()
        .zip(&restored)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    check(max_error <= 1e-4, "inverse_transform undoes transform")?;

    let xs = MatRef::new(&scaled, N_FEATURES)?;
    let init = kmeans::plusplus_init(xs, N_CLUSTERS, 42)?;
    let fit = kmeans::fit(xs, MatRef::new(&init, N_FEATURES)?, 100, 1e-4)?;
    writeln!(out, "init = {init:?}")?;
    writeln!(out, "centroids = {:?}", fit.centroids)?;
    writeln!(out, "labels = {:?}", fit.labels)?;
    writeln!(out, "inertia = {:?}", fit.inertia)?;
    writeln!(out, "n_iter = {}", fit.n_iter)?;
    // Cluster numbering is arbitrary: compare partitions, not label values.
    let same_partition = BLOBS.iter().zip(&fit.labels).all(|(&b1, &l1)| {
        BLOBS
            .iter()
            .zip(&fit.labels)
            .all(|(&b2, &l2)| (b1 == b2) == (l1 == l2))
    });
    check(same_partition, "k-means recovers the three blobs")?;

    let centroids = MatRef::new(&fit.centroids, N_FEATURES)?;
    let mut queries = [0.0_f32; QUERIES.len()];
    scaler::transform(
        MatRef::new(&QUERIES, N_FEATURES)?,
        mean,
        &scale,
        &mut queries,
    )?;
    let queries = MatRef::new(&queries, N_FEATURES)?;
    let predicted = kmeans::predict(queries, centroids)?;
    let distances = kmeans::transform(queries, centroids)?;
    writeln!(out, "predict = {predicted:?}")?;
    writeln!(out, "distances = {distances:?}")?;
    // Query i lies next to blob i, whose first sample is row 4 * i.
    let expected: Vec<usize> = (0..N_CLUSTERS).map(|i| fit.labels[4 * i]).collect();
    check(
        predicted == expected,
        "predict assigns each query to its blob",
    )?;
    Ok(())
}

/// Runs [`run`] and prints its verdict as the last line; returns whether it passed.
fn run_and_report(out: &mut impl Write) -> bool {
    let result = run(out);
    // Nothing sensible is left to do if the verdict cannot be written either.
    let _ = match &result {
        Ok(()) => writeln!(out, "ok"),
        Err(failure) => writeln!(out, "FAILED: {failure}"),
    };
    result.is_ok()
}

#[cfg(not(target_os = "none"))]
fn main() -> std::process::ExitCode {
    let mut out = alloc::string::String::new();
    let passed = run_and_report(&mut out);
    print!("{out}");
    if passed {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

#[cfg(target_os = "none")]
mod firmware {
    use core::mem::MaybeUninit;

    use cortex_m_rt::entry;
    use cortex_m_semihosting::{debug, hio};
    use embedded_alloc::LlffHeap as Heap;
    use panic_semihosting as _; // prints the panic message, then exits with status 1

    /// demo-core needs `alloc`; 16 KiB is ample for the sample above.
    const HEAP_SIZE: usize = 16 * 1024;

    #[global_allocator]
    static HEAP: Heap = Heap::empty();

    #[entry]
    fn main() -> ! {
        static mut HEAP_MEM: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
        // SAFETY: `#[entry]` runs once, before anything allocates, and hands us
        // the only reference to `HEAP_MEM`.
        unsafe { HEAP.init(HEAP_MEM.as_mut_ptr() as usize, HEAP_SIZE) }

        let passed = match hio::hstdout() {
            Ok(mut out) => super::run_and_report(&mut out),
            Err(()) => false,
        };
        debug::exit(if passed {
            debug::EXIT_SUCCESS
        } else {
            debug::EXIT_FAILURE
        });
        // Only reached if the host ignores the exit request.
        loop {
            cortex_m::asm::wfi();
        }
    }
}
