//! What the linked llama.cpp was built with.

/// llama.cpp's system-info line (`CPU : SSE3 = 1 | AVX2 = 1 | ...`): which vector
/// instructions the build uses. Loads no model.
pub fn system_info() -> String {
    // SAFETY: `llama_print_system_info` returns a pointer to a static, NUL-terminated buffer
    // that llama.cpp owns; it needs no backend initialisation.
    let ptr = unsafe { llama_cpp_sys_2::llama_print_system_info() };
    if ptr.is_null() {
        return String::new();
    }
    unsafe { std::ffi::CStr::from_ptr(ptr) }.to_string_lossy().trim().trim_end_matches('|').trim().to_owned()
}

/// The GPU backends this build was compiled with (`--features cuda`, `vulkan`, `metal`).
pub fn gpu_backends() -> Vec<&'static str> {
    let mut out = Vec::new();
    if cfg!(feature = "cuda") {
        out.push("CUDA");
    }
    if cfg!(feature = "vulkan") {
        out.push("Vulkan");
    }
    if cfg!(feature = "metal") {
        out.push("Metal");
    }
    out
}

/// A device llama.cpp can run a model on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Device {
    /// `CPU`, `CUDA0`, `Vulkan0`.
    pub name: String,
    pub description: String,
    pub backend: String,
    /// `cpu`, `gpu`, `igpu`, `accelerator`.
    pub kind: String,
    pub memory_total_mib: u64,
    pub memory_free_mib: u64,
}

/// The devices the linked llama.cpp sees (its backends register them; no model is loaded).
pub fn devices() -> Vec<Device> {
    use llama_cpp_2::LlamaBackendDeviceType as T;
    llama_cpp_2::list_llama_ggml_backend_devices()
        .into_iter()
        .map(|d| Device {
            name: d.name,
            description: d.description,
            backend: d.backend,
            kind: match d.device_type {
                T::Cpu => "cpu",
                T::Gpu => "gpu",
                T::IntegratedGpu => "igpu",
                T::Accelerator => "accelerator",
                _ => "unknown",
            }
            .to_owned(),
            memory_total_mib: (d.memory_total / (1 << 20)) as u64,
            memory_free_mib: (d.memory_free / (1 << 20)) as u64,
        })
        .collect()
}
