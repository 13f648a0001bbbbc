//! Property tests for the public kernels.

use proptest::prelude::*;

use demo_core::{MatRef, RunningStats, kmeans, scaler};

/// A finite `n x d` matrix with `1 <= n <= max_rows`, `1 <= d <= 4`.
fn matrix(max_rows: usize) -> impl Strategy<Value = (Vec<f64>, usize)> {
    (1..=max_rows, 1..=4_usize)
        .prop_flat_map(|(n, d)| (prop::collection::vec(-1e3..1e3_f64, n * d), Just(d)))
}

/// A matrix plus a cluster count that it can support.
fn matrix_and_k() -> impl Strategy<Value = (Vec<f64>, usize, usize)> {
    matrix(60).prop_flat_map(|(data, d)| {
        let n = data.len() / d;
        (Just(data), Just(d), 1..=n.min(6))
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn merged_halves_match_whole((data, d) in matrix(80), split: prop::sample::Index) {
        let x = MatRef::new(&data, d).unwrap();
        let mut whole = RunningStats::new(d);
        whole.update(x).unwrap();

        // `head` may be empty (merging into empty statistics); `tail` never is.
        let (head, tail) = data.split_at(split.index(x.n_rows()) * d);
        let mut left = RunningStats::new(d);
        if !head.is_empty() {
            left.update(MatRef::new(head, d).unwrap()).unwrap();
        }
        let mut right = RunningStats::new(d);
        right.update(MatRef::new(tail, d).unwrap()).unwrap();
        left.merge(&right).unwrap();
        prop_assert_eq!(left.n_samples(), whole.n_samples());
        for (a, b) in left.mean().iter().zip(whole.mean()) {
            prop_assert!(close(*a, *b), "mean {a} vs {b}");
        }
        for (a, b) in left.variance().iter().zip(whole.variance()) {
            prop_assert!((a - b).abs() <= 1e-8 * (1.0 + b.abs()), "var {a} vs {b}");
        }
    }

    #[test]
    fn transform_round_trips((data, d) in matrix(40)) {
        let x = MatRef::new(&data, d).unwrap();
        let mut stats = RunningStats::new(d);
        stats.update(x).unwrap();
        let scale = stats.scale();
        let mut scaled = vec![0.0; data.len()];
        scaler::transform(x, stats.mean(), &scale, &mut scaled).unwrap();
        let mut back = vec![0.0; data.len()];
        scaler::inverse_transform(MatRef::new(&scaled, d).unwrap(), stats.mean(), &scale, &mut back)
            .unwrap();
        for (a, b) in back.iter().zip(&data) {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
        }
    }

    #[test]
    fn predict_is_argmin_of_transform((data, d, k) in matrix_and_k(), seed: u64) {
        let x = MatRef::new(&data, d).unwrap();
        let centroids = kmeans::random_init(x, k, seed).unwrap();
        let c = MatRef::new(&centroids, d).unwrap();
        let labels = kmeans::predict(x, c).unwrap();
        let dist = kmeans::transform(x, c).unwrap();
        for (row, &label) in dist.chunks_exact(k).zip(&labels) {
            let min = row.iter().copied().fold(f64::INFINITY, f64::min);
            prop_assert!(row[label] <= min);
            // Ties go to the lowest index.
            prop_assert!(row[..label].iter().all(|&v| v > min));
        }
    }

    #[test]
    fn fit_reports_consistent_inertia((data, d, k) in matrix_and_k(), seed: u64) {
        let x = MatRef::new(&data, d).unwrap();
        let init = kmeans::plusplus_init(x, k, seed).unwrap();
        let fit = kmeans::fit(x, MatRef::new(&init, d).unwrap(), 50, 1e-4).unwrap();
        let c = MatRef::new(&fit.centroids, d).unwrap();
        prop_assert_eq!(&kmeans::predict(x, c).unwrap(), &fit.labels);
        let recomputed: f64 = x
            .rows()
            .zip(&fit.labels)
            .map(|(row, &l)| {
                c.row(l).iter().zip(row).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()
            })
            .sum();
        prop_assert!(close(fit.inertia, recomputed), "{} vs {recomputed}", fit.inertia);
        prop_assert!((1..=50).contains(&fit.n_iter));
    }

    #[test]
    fn lloyd_inertia_never_increases((data, d, k) in matrix_and_k(), seed: u64) {
        let x = MatRef::new(&data, d).unwrap();
        let mut centroids = kmeans::plusplus_init(x, k, seed).unwrap();
        let mut previous = f64::INFINITY;
        for _ in 0..8 {
            let fit = kmeans::fit(x, MatRef::new(&centroids, d).unwrap(), 1, 0.0).unwrap();
            prop_assert!(fit.inertia <= previous * (1.0 + 1e-12) + 1e-9);
            previous = fit.inertia;
            centroids = fit.centroids;
        }
    }

    #[test]
    fn seeded_init_is_reproducible((data, d, k) in matrix_and_k(), seed: u64) {
        let x = MatRef::new(&data, d).unwrap();
        prop_assert_eq!(
            kmeans::plusplus_init(x, k, seed).unwrap(),
            kmeans::plusplus_init(x, k, seed).unwrap()
        );
        let init = kmeans::random_init(x, k, seed).unwrap();
        prop_assert_eq!(&init, &kmeans::random_init(x, k, seed).unwrap());
        // Every centroid is one of the rows.
        for c in init.chunks_exact(d) {
            prop_assert!(x.rows().any(|row| row == c));
        }
    }
}
