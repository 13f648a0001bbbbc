//! The one place where core errors become Python exceptions.
//!
//! The exception classes are defined in Python (`demo/exceptions.py`), not
//! here, because they inherit from both the package's base error and
//! `ValueError`, which is awkward to express from Rust.

use pyo3::prelude::*;

use demo_core::Error;

/// Declares classes of the package's `exceptions` module as Rust types. The module path
/// lives in this one place, so the declarations stay short whatever the package name.
macro_rules! python_exceptions {
    ($($name:ident),+ $(,)?) => {
        $(pyo3::import_exception!(demo.exceptions, $name);)+
    };
}

python_exceptions!(DemoError);
python_exceptions!(
    EmptyInputError,
    FeatureMismatchError,
    NonFiniteError,
    TooFewSamplesError,
    InvalidParameterError,
    ShapeError,
    GpuUnavailableError,
);

/// Module and class names used above, checked once at import time.
const EXCEPTIONS_MODULE: &str = "demo.exceptions";
const EXCEPTION_CLASSES: [&str; 8] = [
    "DemoError",
    "EmptyInputError",
    "FeatureMismatchError",
    "NonFiniteError",
    "TooFewSamplesError",
    "InvalidParameterError",
    "ShapeError",
    "GpuUnavailableError",
];

/// Fails the module import if an exception class is missing.
///
/// `import_exception!` resolves classes lazily and panics if that fails, so
/// a broken installation would otherwise surface as a panic in the middle of
/// reporting an unrelated error.
pub(crate) fn check_exception_classes(py: Python<'_>) -> PyResult<()> {
    let module = py.import(EXCEPTIONS_MODULE)?;
    for name in EXCEPTION_CLASSES {
        module.getattr(name)?;
    }
    Ok(())
}

/// Wrapper that lets `?` turn a [`demo_core::Error`] into a [`PyErr`]
/// (the orphan rule forbids implementing `From` for the foreign types directly).
pub(crate) struct CoreError(pub(crate) Error);

impl From<CoreError> for PyErr {
    fn from(CoreError(err): CoreError) -> Self {
        let message = err.to_string();
        match err {
            Error::EmptyInput => EmptyInputError::new_err(message),
            Error::FeatureMismatch { .. } => FeatureMismatchError::new_err(message),
            Error::NonFinite { .. } => NonFiniteError::new_err(message),
            Error::TooFewSamples { .. } => TooFewSamplesError::new_err(message),
            Error::InvalidParameter { .. } => InvalidParameterError::new_err(message),
            Error::Shape { .. } => ShapeError::new_err(message),
            // `Error` is non-exhaustive; future variants fall back to the base class.
            _ => DemoError::new_err(message),
        }
    }
}

/// `GpuUnavailableError` for a build without the `gpu` cargo feature.
#[cfg(not(feature = "gpu"))]
pub(crate) fn gpu_not_compiled() -> PyErr {
    GpuUnavailableError::new_err("this build of demo has no GPU support (cargo feature `gpu`)")
}

/// Like [`CoreError`], for errors of the GPU backends.
#[cfg(feature = "gpu")]
pub(crate) struct GpuError(pub(crate) demo_gpu::Error);

#[cfg(feature = "gpu")]
impl From<GpuError> for PyErr {
    fn from(GpuError(err): GpuError) -> Self {
        match err {
            demo_gpu::Error::Core(err) => CoreError(err).into(),
            err @ demo_gpu::Error::GpuUnavailable { .. } => {
                GpuUnavailableError::new_err(err.to_string())
            }
            // TooLarge, Device and future variants: not the user's input, not a
            // missing driver; the base class keeps them catchable.
            err => DemoError::new_err(err.to_string()),
        }
    }
}
