//! Scales a small synthetic data set, clusters it and prints the results.
//!
//! The output is deterministic and platform independent (IEEE-754
//! arithmetic, no threads' timing involved), so `nox -s cross` compares the
//! run under `qemu-aarch64` with the host's line by line.
//!
//! ```text
//! cargo run -p demo-core --example cluster
//! ```

use demo_core::{MatRef, RunningStats, kmeans, scaler};

fn main() -> Result<(), demo_core::Error> {
    const N_FEATURES: usize = 3;
    // 600 samples around three centres, jittered by a fixed pseudo-random pattern.
    let centres = [[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 5.0, 50.0]];
    let data: Vec<f64> = (0..600_u32)
        .flat_map(|i| {
            let centre = centres[i as usize % 3];
            centre.into_iter().zip(0_u32..).map(move |(c, j)| {
                let jitter = f64::from((i * 7919 + j * 104_729) % 1000) / 1000.0 - 0.5;
                c + jitter
            })
        })
        .collect();
    let x = MatRef::new(&data, N_FEATURES)?;

    let mut stats = RunningStats::new(N_FEATURES);
    stats.update(x)?;
    let mut scaled = vec![0.0; data.len()];
    scaler::transform(x, stats.mean(), &stats.scale(), &mut scaled)?;
    println!("mean = {:?}", stats.mean());
    println!("scale = {:?}", stats.scale());

    let xs = MatRef::new(&scaled, N_FEATURES)?;
    let init = kmeans::plusplus_init(xs, 3, 7)?;
    let fit = kmeans::fit(xs, MatRef::new(&init, N_FEATURES)?, 300, 1e-4)?;
    println!("centroids = {:?}", fit.centroids);
    println!("inertia = {:?}", fit.inertia);
    println!("n_iter = {}", fit.n_iter);
    println!("first labels = {:?}", &fit.labels[..9]);
    Ok(())
}
