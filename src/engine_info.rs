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
