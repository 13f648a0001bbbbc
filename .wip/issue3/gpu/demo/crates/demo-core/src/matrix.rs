//! A borrowed, row-major matrix view.

use crate::error::{Error, Result};
use crate::float::Float;

/// An immutable view of a dense row-major matrix stored in a flat slice.
///
/// Row `i` occupies `data[i * n_cols..(i + 1) * n_cols]`. The constructor
/// guarantees `n_cols >= 1` and `data.len() == n_rows * n_cols`, so kernels
/// can slice rows without further checks. Zero rows are allowed here; the
/// kernels that need samples report [`Error::EmptyInput`] themselves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatRef<'a, F> {
    data: &'a [F],
    n_rows: usize,
    n_cols: usize,
}

impl<'a, F: Float> MatRef<'a, F> {
    /// Views `data` as rows of `n_cols` values.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if `n_cols` is zero or does not divide `data.len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use demo_core::MatRef;
    ///
    /// let m = MatRef::new(&[1.0_f64, 2.0, 3.0, 4.0, 5.0, 6.0], 3)?;
    /// assert_eq!((m.n_rows(), m.n_cols()), (2, 3));
    /// assert_eq!(m.row(1), &[4.0, 5.0, 6.0]);
    /// assert!(MatRef::new(&[1.0_f64, 2.0, 3.0], 2).is_err());
    /// # Ok::<(), demo_core::Error>(())
    /// ```
    pub fn new(data: &'a [F], n_cols: usize) -> Result<Self> {
        if n_cols == 0 || data.len() % n_cols != 0 {
            return Err(Error::Shape {
                len: data.len(),
                n_features: n_cols,
            });
        }
        Ok(Self {
            data,
            n_rows: data.len() / n_cols,
            n_cols,
        })
    }

    /// Number of rows (samples).
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (features); always at least 1.
    #[must_use]
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// The underlying row-major buffer.
    #[must_use]
    pub fn as_slice(&self) -> &'a [F] {
        self.data
    }

    /// Row `i` as a slice.
    ///
    /// # Panics
    ///
    /// If `i >= self.n_rows()`, like slice indexing.
    #[must_use]
    pub fn row(&self, i: usize) -> &'a [F] {
        &self.data[i * self.n_cols..(i + 1) * self.n_cols]
    }

    /// Iterator over the rows, in order.
    pub fn rows(&self) -> core::slice::ChunksExact<'a, F> {
        self.data.chunks_exact(self.n_cols)
    }

    /// Returns the position of the first NaN or infinity, if any.
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] with the row and column of the first offending
    /// value in row-major order.
    pub fn check_finite(&self) -> Result<()> {
        match self.data.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(i) => Err(Error::NonFinite {
                row: i / self.n_cols,
                col: i % self.n_cols,
            }),
        }
    }

    /// Sub-view of whole rows, used to hand fixed-size chunks to workers.
    pub(crate) fn from_rows(data: &'a [F], n_cols: usize) -> Self {
        debug_assert!(n_cols > 0 && data.len() % n_cols == 0);
        Self {
            data,
            n_rows: data.len() / n_cols,
            n_cols,
        }
    }
}
