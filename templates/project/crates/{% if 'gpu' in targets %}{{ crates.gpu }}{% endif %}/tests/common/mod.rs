//! Deterministic test data shared by the integration tests and the benchmark.

/// `n_samples` points in `n_features` dimensions around `n_clusters`
/// well-separated centres, with uniform noise.
#[must_use]
pub(crate) fn blobs(n_samples: usize, n_features: usize, n_clusters: usize, seed: u64) -> Vec<f32> {
    let mut state = seed;
    let mut uniform = move || {
        // SplitMix64, top 24 bits -> exactly representable f32 in [0, 1).
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut bits = state;
        bits = (bits ^ (bits >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        bits = (bits ^ (bits >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let top = u32::try_from((bits ^ (bits >> 31)) >> 40).unwrap_or(0);
        f32::from(u16::try_from(top >> 8).unwrap_or(0)) / 65_536.0
            + f32::from(u8::try_from(top & 0xFF).unwrap_or(0)) / 16_777_216.0
    };
    let centres: Vec<f32> = (0..n_clusters * n_features)
        .map(|_| uniform() * 20.0 - 10.0)
        .collect();
    let mut data = Vec::with_capacity(n_samples * n_features);
    for i in 0..n_samples {
        let centre = &centres[(i * 7919) % n_clusters * n_features..][..n_features];
        data.extend(centre.iter().map(|&c| c + (uniform() - 0.5) * 6.0));
    }
    data
}
