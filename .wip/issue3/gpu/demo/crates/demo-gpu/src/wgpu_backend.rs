//! The WGSL backend (wgpu on Vulkan).

use std::sync::{Arc, Mutex, OnceLock, PoisonError, mpsc};

use demo_core::MatRef;

use crate::{Backend, Device, Error, Result, Session};

/// Threads per workgroup; must match `@workgroup_size` in the shader.
const WORKGROUP_SIZE: u32 = 256;

/// An open wgpu device with the compiled k-means pipeline.
///
/// Opening one costs tens of milliseconds (and a shader compile), so the
/// free functions share a process-wide instance ([`WgpuContext::shared`]).
pub struct WgpuContext {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    limits: wgpu::Limits,
    info: wgpu::AdapterInfo,
    /// First error wgpu reported outside an error scope (instead of panicking).
    uncaptured: Arc<Mutex<Option<String>>>,
}

impl core::fmt::Debug for WgpuContext {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WgpuContext")
            .field("adapter", &self.info.name)
            .field("backend", &self.info.backend)
            .finish_non_exhaustive()
    }
}

impl WgpuContext {
    /// Opens the first adapter wgpu offers (respecting `WGPU_BACKEND`,
    /// `WGPU_ADAPTER_NAME` and `WGPU_POWER_PREF`) and compiles the shader.
    ///
    /// # Errors
    ///
    /// [`Error::GpuUnavailable`] if there is no adapter or no device can be
    /// created; [`Error::Device`] if the shader fails to compile.
    pub fn new() -> Result<Self> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = pollster::block_on(wgpu::util::initialize_adapter_from_env_or_default(
            &instance, None,
        ))
        .map_err(|err| unavailable(format!("no adapter found ({err})")))?;
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("demo-gpu"),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|err| unavailable(format!("cannot open device ({err})")))?;

        // wgpu's default handler panics; record the error and report it instead.
        let uncaptured = Arc::new(Mutex::new(None));
        let sink = Arc::clone(&uncaptured);
        device.on_uncaptured_error(Arc::new(move |err: wgpu::Error| {
            let mut slot = sink.lock().unwrap_or_else(PoisonError::into_inner);
            slot.get_or_insert_with(|| err.to_string());
        }));

        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::include_wgsl!("kmeans_assign.wgsl"));
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("kmeans_assign"),
            layout: None,
            module: &module,
            entry_point: Some("assign"),
            compilation_options: wgpu::PipelineCompilationOptions::default(),
            cache: None,
        });
        if let Some(err) = pollster::block_on(scope.pop()) {
            return Err(device_error(&err));
        }
        Ok(Self {
            device,
            queue,
            pipeline,
            limits,
            info: adapter.get_info(),
            uncaptured,
        })
    }

    /// The process-wide context, opened on first success.
    ///
    /// A failed attempt is not cached, so installing a driver later works
    /// without restarting the process.
    ///
    /// # Errors
    ///
    /// As [`WgpuContext::new`].
    pub fn shared() -> Result<&'static Self> {
        static SHARED: OnceLock<WgpuContext> = OnceLock::new();
        if let Some(context) = SHARED.get() {
            return Ok(context);
        }
        let context = Self::new()?;
        Ok(SHARED.get_or_init(|| context))
    }

    /// Adapter name and driver, e.g. `"llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, llvmpipe)"`.
    #[must_use]
    pub fn adapter(&self) -> String {
        format!(
            "{} ({:?}, {} {})",
            self.info.name, self.info.backend, self.info.driver, self.info.driver_info
        )
    }

    fn check_uncaptured(&self) -> Result<()> {
        let mut slot = self
            .uncaptured
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match slot.take() {
            Some(reason) => Err(Error::Device {
                backend: Backend::Wgpu,
                reason,
            }),
            None => Ok(()),
        }
    }

    fn storage_buffer(
        &self,
        label: &str,
        bytes: u64,
        usage: wgpu::BufferUsages,
    ) -> Result<wgpu::Buffer> {
        let limit = self
            .limits
            .max_storage_buffer_binding_size
            .min(self.limits.max_buffer_size);
        if bytes > limit {
            return Err(Error::TooLarge {
                backend: Backend::Wgpu,
                bytes,
                limit,
            });
        }
        Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes,
            usage,
            mapped_at_creation: false,
        }))
    }
}

impl Device for WgpuContext {
    fn session<'a>(
        &'a self,
        x: MatRef<'_, f32>,
        n_clusters: usize,
    ) -> Result<Box<dyn Session + 'a>> {
        use wgpu::BufferUsages as U;

        let n = u32::try_from(x.n_rows()).map_err(|_| too_many_rows(x.n_rows()))?;
        let d = u32::try_from(x.n_cols()).map_err(|_| too_many_rows(x.n_cols()))?;
        let k = u32::try_from(n_clusters).map_err(|_| too_many_rows(n_clusters))?;
        let bytes = |count: u64| count * 4;
        let scope = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let x_buf = self.storage_buffer(
            "x",
            bytes(u64::from(n) * u64::from(d)),
            U::STORAGE | U::COPY_DST,
        )?;
        let centroids = self.storage_buffer(
            "centroids",
            bytes(u64::from(k) * u64::from(d)),
            U::STORAGE | U::COPY_DST,
        )?;
        let labels = self.storage_buffer("labels", bytes(n.into()), U::STORAGE | U::COPY_SRC)?;
        let distances =
            self.storage_buffer("distances", bytes(n.into()), U::STORAGE | U::COPY_SRC)?;
        let readback = self.storage_buffer(
            "readback",
            bytes(2 * u64::from(n)),
            U::MAP_READ | U::COPY_DST,
        )?;
        let params = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("params"),
            size: 16,
            usage: U::UNIFORM | U::COPY_DST,
            mapped_at_creation: false,
        });
        self.queue
            .write_buffer(&x_buf, 0, bytemuck::cast_slice(x.as_slice()));
        self.queue
            .write_buffer(&params, 0, bytemuck::cast_slice(&[n, d, k, 0]));
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kmeans_assign"),
            layout: &self.pipeline.get_bind_group_layout(0),
            entries: &[
                entry(0, &params),
                entry(1, &x_buf),
                entry(2, &centroids),
                entry(3, &labels),
                entry(4, &distances),
            ],
        });
        if let Some(err) = pollster::block_on(scope.pop()) {
            return Err(device_error(&err));
        }
        self.check_uncaptured()?;
        Ok(Box::new(WgpuSession {
            context: self,
            n_samples: n,
            centroids,
            labels,
            distances,
            readback,
            bind_group,
            _x: x_buf,
        }))
    }
}

struct WgpuSession<'a> {
    context: &'a WgpuContext,
    n_samples: u32,
    centroids: wgpu::Buffer,
    labels: wgpu::Buffer,
    distances: wgpu::Buffer,
    readback: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    /// Kept alive for the bind group.
    _x: wgpu::Buffer,
}

impl Session for WgpuSession<'_> {
    fn assign(
        &mut self,
        centroids: &[f32],
        labels: &mut [u32],
        distances: &mut [f32],
    ) -> Result<()> {
        let WgpuContext {
            device,
            queue,
            pipeline,
            limits,
            ..
        } = self.context;
        let n = self.n_samples;
        let half = u64::from(n) * 4;
        queue.write_buffer(&self.centroids, 0, bytemuck::cast_slice(centroids));

        // Spread the workgroups over x and y: one dimension holds at most
        // `max_compute_workgroups_per_dimension` (65535 by default).
        let groups = n.div_ceil(WORKGROUP_SIZE);
        let max_x = limits.max_compute_workgroups_per_dimension.max(1);
        let (gx, gy) = (groups.min(max_x), groups.div_ceil(max_x));

        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &self.bind_group, &[]);
            pass.dispatch_workgroups(gx, gy, 1);
        }
        encoder.copy_buffer_to_buffer(&self.labels, 0, &self.readback, 0, half);
        encoder.copy_buffer_to_buffer(&self.distances, 0, &self.readback, half, half);
        queue.submit([encoder.finish()]);

        let slice = self.readback.slice(..);
        let (tx, rx) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver outlives the poll below; a send error cannot happen.
            let _ = tx.send(result);
        });
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|err| device_error(&err))?;
        rx.recv()
            .map_err(|err| device_error(&err))?
            .map_err(|err| device_error(&err))?;
        {
            let data = slice.get_mapped_range().map_err(|err| device_error(&err))?;
            let (label_bytes, distance_bytes) = data.split_at(data.len() / 2);
            copy_words(label_bytes, labels, u32::from_ne_bytes);
            copy_words(distance_bytes, distances, f32::from_ne_bytes);
        }
        self.readback.unmap();
        self.context.check_uncaptured()
    }
}

/// Decodes native-endian 4-byte words (no alignment assumptions, no panics).
fn copy_words<T>(bytes: &[u8], out: &mut [T], decode: fn([u8; 4]) -> T) {
    for (word, slot) in bytes.chunks_exact(4).zip(out) {
        let mut raw = [0; 4];
        raw.copy_from_slice(word);
        *slot = decode(raw);
    }
}

fn entry(binding: u32, buffer: &wgpu::Buffer) -> wgpu::BindGroupEntry<'_> {
    wgpu::BindGroupEntry {
        binding,
        resource: buffer.as_entire_binding(),
    }
}

fn unavailable(reason: String) -> Error {
    Error::GpuUnavailable {
        backend: Backend::Wgpu,
        reason,
    }
}

fn device_error(err: &dyn core::fmt::Display) -> Error {
    Error::Device {
        backend: Backend::Wgpu,
        reason: err.to_string(),
    }
}

fn too_many_rows(value: usize) -> Error {
    Error::TooLarge {
        backend: Backend::Wgpu,
        bytes: u64::try_from(value).unwrap_or(u64::MAX).saturating_mul(4),
        limit: u64::from(u32::MAX),
    }
}
