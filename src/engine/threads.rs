//! How many threads llama.cpp should use: the cores this process may really use.

/// The CPUs this process may run on, from its affinity mask and cgroup CPU quota (both of
/// which `available_parallelism` reads on Linux), never more than the machine has.
pub fn available_cores() -> u32 {
    std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1).max(1)
}

/// Threads for decoding: the override if given, else every available core.
pub fn decode_threads(configured: Option<u32>) -> u32 {
    configured.filter(|n| *n > 0).unwrap_or_else(available_cores)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_override_wins_and_zero_means_default() {
        assert_eq!(super::decode_threads(Some(3)), 3);
        assert_eq!(super::decode_threads(Some(0)), super::available_cores());
        assert!(super::available_cores() >= 1);
    }
}
