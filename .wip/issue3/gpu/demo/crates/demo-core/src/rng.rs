//! A tiny, seedable pseudo-random generator (`SplitMix64`).
//!
//! The kernels only need a few random draws per initialisation, so a
//! dependency on `rand` is not worth it. `SplitMix64` passes `BigCrush`, is
//! trivially portable, and gives the same stream on every platform, which
//! keeps seeded results reproducible everywhere.

/// `SplitMix64` generator (Steele, Lea & Flood, 2014).
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Creates a generator; equal seeds give equal streams.
    #[must_use]
    pub(crate) const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Next 64 uniformly distributed bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform draw from `[0, 1)` with 53 bits of precision.
    pub(crate) fn next_f64(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly; 2^-53 scales to [0, 1).
        (self.next_u64() >> 11) as f64 * (1.0 / (1_u64 << 53) as f64)
    }

    /// Uniform integer in `0..bound` without modulo bias (Lemire's method).
    ///
    /// Returns 0 when `bound` is 0 so callers never hit a division by zero.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        let bound = bound as u64;
        // Reject the few low products that would over-represent small values.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the low 64 bits of the 128-bit product are wanted"
            )]
            let low = product as u64;
            if low >= threshold {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "the high half is < bound, which came from a usize"
                )]
                return (product >> 64) as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn reference_stream() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64::new(7);
        assert_eq!(rng.below(0), 0);
        for bound in [1, 2, 3, 10, 1000] {
            assert!((0..200).all(|_| rng.below(bound) < bound));
        }
    }

    #[test]
    fn unit_interval() {
        let mut rng = SplitMix64::new(42);
        assert!(
            (0..1000)
                .map(|_| rng.next_f64())
                .all(|u| (0.0..1.0).contains(&u))
        );
    }
}
