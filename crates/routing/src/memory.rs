//! Memory given back to the system between the graph's stages, so that one
//! stage's peak is not added to the last one's (glibc's allocator keeps freed
//! memory for reuse; elsewhere, nothing to do).

/// Gives the memory freed by a finished stage back to the system: glibc's allocator
/// keeps freed blocks between live ones (an import leaves hundreds of megabytes of
/// them), and only `malloc_trim` returns those pages.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes every block of 256 KiB or more its own mapping, given back to the system
/// as soon as it is freed, for a process whose peak memory matters more than its
/// allocation speed (`tournee matrix`). By default glibc raises that threshold to
/// the size of the largest block freed so far (up to 32 MiB), so the arrays of a
/// stage, once freed, stay in the heap, counted in the process's memory, under the
/// next stage's.
pub fn return_large_blocks_at_once() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator; a fixed
    // threshold also turns off its dynamic adjustment.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}
