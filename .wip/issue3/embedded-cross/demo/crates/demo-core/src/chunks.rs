//! Deterministic chunked execution, parallel with the `parallel` feature.
//!
//! Rows are split into chunks of a FIXED number of rows, independent of the
//! thread count. Each chunk produces a partial result, and the partials are
//! merged strictly in chunk order on the calling thread. Because neither the
//! chunk boundaries nor the merge order depend on scheduling, floating-point
//! results are bit-identical for 1 thread, N threads, and the sequential
//! build. (Rayon's `fold`/`reduce` would split adaptively and lose that.)

use crate::float::Float;
use crate::matrix::MatRef;

/// Rows per work unit: large enough to amortise scheduling, small enough to
/// balance load and keep a chunk of narrow data in L2.
pub(crate) const CHUNK_ROWS: usize = 16_384;

/// Calls `map(chunk)` for every chunk and feeds the results to
/// `merge` in chunk order.
pub(crate) fn map_merge<F, T, M, R>(x: MatRef<'_, F>, map: M, mut merge: R)
where
    F: Float,
    T: Send,
    M: Fn(MatRef<'_, F>) -> T + Sync,
    R: FnMut(T),
{
    let n_cols = x.n_cols();
    let chunks = x.as_slice().chunks(CHUNK_ROWS * n_cols);
    #[cfg(feature = "parallel")]
    {
        use alloc::vec::Vec;
        use rayon::prelude::*;
        let chunks: Vec<&[F]> = chunks.collect();
        // Partials are materialised a group at a time so memory stays
        // bounded by the group size, not by n_rows / CHUNK_ROWS.
        let group = rayon::current_num_threads() * 2;
        for batch in chunks.chunks(group) {
            let partials: Vec<T> = batch
                .par_iter()
                .map(|c| map(MatRef::from_rows(c, n_cols)))
                .collect();
            partials.into_iter().for_each(&mut merge);
        }
    }
    #[cfg(not(feature = "parallel"))]
    for c in chunks {
        merge(map(MatRef::from_rows(c, n_cols)));
    }
}

/// Like [`map_merge`], but each chunk also gets its own disjoint slice of
/// `out`, which holds `out_cols` values per input row.
pub(crate) fn map_merge_mut<F, O, T, M, R>(
    x: MatRef<'_, F>,
    out: &mut [O],
    out_cols: usize,
    map: M,
    mut merge: R,
) where
    F: Float,
    O: Send,
    T: Send,
    M: Fn(MatRef<'_, F>, &mut [O]) -> T + Sync,
    R: FnMut(T),
{
    debug_assert!(out_cols > 0 && out.len() == x.n_rows() * out_cols);
    let n_cols = x.n_cols();
    let chunks = x
        .as_slice()
        .chunks(CHUNK_ROWS * n_cols)
        .zip(out.chunks_mut(CHUNK_ROWS * out_cols));
    #[cfg(feature = "parallel")]
    {
        use alloc::vec::Vec;
        use rayon::prelude::*;
        let mut chunks: Vec<(&[F], &mut [O])> = chunks.collect();
        let group = rayon::current_num_threads() * 2;
        for batch in chunks.chunks_mut(group) {
            let partials: Vec<T> = batch
                .par_iter_mut()
                .map(|(c, o)| map(MatRef::from_rows(c, n_cols), o))
                .collect();
            partials.into_iter().for_each(&mut merge);
        }
    }
    #[cfg(not(feature = "parallel"))]
    for (c, o) in chunks {
        merge(map(MatRef::from_rows(c, n_cols), o));
    }
}
