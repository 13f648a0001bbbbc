//! The CUDA backend (cudarc: driver API + NVRTC, both loaded at run time).
//!
//! cudarc panics when a library it needs cannot be loaded, so every entry
//! point first probes for `libcuda`/`libnvrtc` and then runs inside
//! [`std::panic::catch_unwind`]; no panic escapes this module.

// The probes and the kernel launch are `unsafe` in cudarc; each use below
// states why it is sound.
#![allow(unsafe_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};

use cudarc::driver::{
    CudaContext, CudaFunction, CudaSlice, CudaStream, LaunchConfig, PushKernelArg,
};
use cudarc::nvrtc::CompileOptions;
use demo_core::MatRef;

use crate::{Backend, Device, Error, Result, Session};

/// Same algorithm and summation order as `kmeans_assign.wgsl` and the CPU.
const KERNEL: &str = r#"
extern "C" __global__ void assign(const float *x, const float *centroids,
                                  unsigned int *labels, float *distances,
                                  unsigned int n, unsigned int d, unsigned int k) {
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float *row = x + (size_t)i * d;
    unsigned int blocks = d / 8;
    unsigned int best = 0;
    float best_dist = 0.0f;
    for (unsigned int c = 0; c < k; ++c) {
        const float *centroid = centroids + (size_t)c * d;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (unsigned int b = 0; b < blocks; ++b)
            for (unsigned int l = 0; l < 8; ++l) {
                float diff = row[b * 8 + l] - centroid[b * 8 + l];
                acc[l] = acc[l] + diff * diff;
            }
        float tail = 0.0f;
        for (unsigned int j = blocks * 8; j < d; ++j) {
            float diff = row[j] - centroid[j];
            tail = tail + diff * diff;
        }
        float dist = ((acc[0] + acc[1]) + (acc[2] + acc[3]))
                   + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
        if (c == 0 || dist < best_dist) { best = c; best_dist = dist; }
    }
    labels[i] = best;
    distances[i] = best_dist;
}
"#;

pub(crate) struct CudaDevice {
    stream: Arc<CudaStream>,
    function: CudaFunction,
}

impl CudaDevice {
    pub(crate) fn shared() -> Result<&'static Self> {
        static SHARED: OnceLock<CudaDevice> = OnceLock::new();
        if let Some(device) = SHARED.get() {
            return Ok(device);
        }
        let device = guarded(Self::open)?;
        Ok(SHARED.get_or_init(|| device))
    }

    fn open() -> Result<Self> {
        // SAFETY: the probes only `dlopen` candidate library names and drop
        // the handles; they touch no CUDA state.
        if !unsafe { cudarc::driver::sys::is_culib_present() } {
            return Err(unavailable(
                "the CUDA driver library (libcuda) was not found",
            ));
        }
        // SAFETY: as above.
        if !unsafe { cudarc::nvrtc::sys::is_culib_present() } {
            return Err(unavailable("the NVRTC library (libnvrtc) was not found"));
        }
        let context = CudaContext::new(0).map_err(|err| unavailable(&err.to_string()))?;
        let ptx = cudarc::nvrtc::compile_ptx_with_opts(
            KERNEL,
            CompileOptions {
                // No fused multiply-add: keep the CPU's rounding.
                fmad: Some(false),
                ..CompileOptions::default()
            },
        )
        .map_err(|err| device_error(&err))?;
        let module = context.load_module(ptx).map_err(|err| device_error(&err))?;
        let function = module
            .load_function("assign")
            .map_err(|err| device_error(&err))?;
        Ok(Self {
            stream: context.default_stream(),
            function,
        })
    }
}

impl Device for CudaDevice {
    fn session<'a>(
        &'a self,
        x: MatRef<'_, f32>,
        n_clusters: usize,
    ) -> Result<Box<dyn Session + 'a>> {
        guarded(|| {
            let s = &self.stream;
            let n = x.n_rows();
            let session = CudaSession {
                device: self,
                x: s.clone_htod(x.as_slice()).map_err(|e| device_error(&e))?,
                centroids: s
                    .alloc_zeros(n_clusters * x.n_cols())
                    .map_err(|e| device_error(&e))?,
                labels: s.alloc_zeros(n).map_err(|e| device_error(&e))?,
                distances: s.alloc_zeros(n).map_err(|e| device_error(&e))?,
                // Sizes were checked to fit in u32 by `crate::validate`.
                n: u32::try_from(n).map_err(|e| device_error(&e))?,
                d: u32::try_from(x.n_cols()).map_err(|e| device_error(&e))?,
                k: u32::try_from(n_clusters).map_err(|e| device_error(&e))?,
            };
            Ok(Box::new(session) as Box<dyn Session + 'a>)
        })
    }
}

struct CudaSession<'a> {
    device: &'a CudaDevice,
    x: CudaSlice<f32>,
    centroids: CudaSlice<f32>,
    labels: CudaSlice<u32>,
    distances: CudaSlice<f32>,
    n: u32,
    d: u32,
    k: u32,
}

impl Session for CudaSession<'_> {
    fn assign(
        &mut self,
        centroids: &[f32],
        labels: &mut [u32],
        distances: &mut [f32],
    ) -> Result<()> {
        guarded(|| {
            let s = &self.device.stream;
            s.memcpy_htod(centroids, &mut self.centroids)
                .map_err(|e| device_error(&e))?;
            let mut launch = s.launch_builder(&self.device.function);
            launch
                .arg(&self.x)
                .arg(&self.centroids)
                .arg(&mut self.labels)
                .arg(&mut self.distances)
                .arg(&self.n)
                .arg(&self.d)
                .arg(&self.k);
            // SAFETY: the argument list matches the kernel's signature; the
            // buffers hold n*d, k*d, n and n elements as the kernel reads, and
            // threads with i >= n return before touching memory.
            unsafe { launch.launch(LaunchConfig::for_num_elems(self.n)) }
                .map_err(|e| device_error(&e))?;
            s.memcpy_dtoh(&self.labels, labels)
                .map_err(|e| device_error(&e))?;
            s.memcpy_dtoh(&self.distances, distances)
                .map_err(|e| device_error(&e))?;
            Ok(())
        })
    }
}

/// Runs `f`, turning a panic inside cudarc into [`Error::Device`].
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "cudarc panicked".to_owned());
        Err(Error::Device {
            backend: Backend::Cuda,
            reason,
        })
    })
}

fn unavailable(reason: &str) -> Error {
    Error::GpuUnavailable {
        backend: Backend::Cuda,
        reason: reason.to_owned(),
    }
}

fn device_error(err: &dyn core::fmt::Display) -> Error {
    Error::Device {
        backend: Backend::Cuda,
        reason: err.to_string(),
    }
}
