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

/// Calls `map(start, chunk)` for every chunk (`start`: the index of its first
/// row in `x`) and feeds the results to `merge` in chunk order.
pub(crate) fn map_merge<F, T, M, R>(x: MatRef<'_, F>, map: M, mut merge: R)
where
    F: Float,
    T: Send,
    M: Fn(usize, MatRef<'_, F>) -> T + Sync,
    R: FnMut(T),
{
    let n_cols = x.n_cols();
    let chunks = x.as_slice().chunks(CHUNK_ROWS * n_cols).enumerate();
    #[cfg(feature = "parallel")]
    if let Some(group) = parallel_group() {
        use alloc::vec::Vec;
        use rayon::prelude::*;
        let chunks: Vec<_> = chunks.collect();
        for batch in chunks.chunks(group) {
            let partials: Vec<T> = batch
                .par_iter()
                .map(|&(i, c)| map(i * CHUNK_ROWS, MatRef::from_rows(c, n_cols)))
                .collect();
            partials.into_iter().for_each(&mut merge);
        }
        return;
    }
    for (i, c) in chunks {
        merge(map(i * CHUNK_ROWS, MatRef::from_rows(c, n_cols)));
    }
}

/// Like [`map_merge`], but each chunk also gets its own disjoint slice of
/// `out`, which holds `out_cols` values per input row: `map(start, chunk, out)`.
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
    M: Fn(usize, MatRef<'_, F>, &mut [O]) -> T + Sync,
    R: FnMut(T),
{
    debug_assert!(out_cols > 0 && out.len() == x.n_rows() * out_cols);
    let n_cols = x.n_cols();
    let chunks = x
        .as_slice()
        .chunks(CHUNK_ROWS * n_cols)
        .zip(out.chunks_mut(CHUNK_ROWS * out_cols))
        .enumerate();
    #[cfg(feature = "parallel")]
    if let Some(group) = parallel_group() {
        use alloc::vec::Vec;
        use rayon::prelude::*;
        let mut chunks: Vec<_> = chunks.collect();
        for batch in chunks.chunks_mut(group) {
            let partials: Vec<T> = batch
                .par_iter_mut()
                .map(|(i, (c, o))| map(*i * CHUNK_ROWS, MatRef::from_rows(c, n_cols), o))
                .collect();
            partials.into_iter().for_each(&mut merge);
        }
        return;
    }
    for (i, (c, o)) in chunks {
        merge(map(i * CHUNK_ROWS, MatRef::from_rows(c, n_cols), o));
    }
}

/// Chunks handed to rayon per batch, or `None` to run on the calling thread.
///
/// Partials are materialised a batch at a time, so memory stays bounded by
/// the batch, not by `n_rows / CHUNK_ROWS`; each batch ends in a join, so a
/// batch holds several chunks per thread to keep that wait short. With one
/// thread the pool would only add a hand-off per batch: the same chunks run
/// inline, in the same order, with the same results.
#[cfg(feature = "parallel")]
fn parallel_group() -> Option<usize> {
    let threads = rayon::current_num_threads();
    (threads > 1).then_some(threads * 16)
}
