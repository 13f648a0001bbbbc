//! Results must not depend on the number of threads.
#![cfg(feature = "parallel")]

use demo_core::{MatRef, RunningStats, kmeans};

/// A bit more than three chunks of rows (the crate uses 16 384-row chunks).
const CHUNK_ROWS_HINT: usize = 17_000;

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn bit_identical_across_thread_counts() {
    // Several chunks of rows; values from a simple LCG, spread over
    // several magnitudes so that summation order would show.
    let mut lcg = 12_345_u64;
    let data: Vec<f32> = (0..3 * CHUNK_ROWS_HINT * 3)
        .map(|_| {
            lcg = lcg
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            f32::from(u16::try_from(lcg >> 48).unwrap()) * 1e-3
        })
        .collect();
    let x = MatRef::new(&data, 3).unwrap();
    let run = || {
        let init = kmeans::plusplus_init(x, 5, 3).unwrap();
        let fit = kmeans::fit(x, MatRef::new(&init, 3).unwrap(), 10, 0.0).unwrap();
        let mut stats = RunningStats::new(3);
        stats.update(x).unwrap();
        (init, fit, stats)
    };
    let single = in_pool(1, run);
    for threads in [2, 3, 8] {
        assert_eq!(in_pool(threads, run), single, "{threads} threads");
    }
}
