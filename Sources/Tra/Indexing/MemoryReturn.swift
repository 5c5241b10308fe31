#if canImport(Glibc)
    import Glibc
#endif

/// The C allocator's settings for a process that writes an index (set by ``SearchIndex``'s
/// initializer): large freed blocks go back to the system at once, so that the resident memory
/// follows what the writer uses, and small ones are kept for reuse, so that the writer's churn does
/// not hand pages back only to fault them in again. Process-wide: the last writer opened sets them.
/// Elsewhere than on glibc this does nothing.
///
/// glibc serves a block of 128 KB or more with its own mapping, returned to the system when freed,
/// but it raises that threshold to the size of any such block freed (up to 32 MB): after the first
/// in-memory segment is written, its successors' arrays come from the heaps of the threads, which
/// keep freed memory. Indexing frees large arrays all the time (segments written, batches added)
/// from threads other than those that allocated them: with the default 256 MB budget, viwiki's
/// resident set peaked at 350 MB with the threshold left to move, 250 MB with it fixed at 4 MB
/// (240 MB at 256 KB, with 20 % more page faults).
///
/// Below the threshold, glibc trims a heap whenever its top is freed (a pair-count compaction's
/// sorted copies, a stored block's buffers, arrays that grew) and the next allocation takes the
/// pages again, faulted in and zeroed by the kernel 4 KB at a time: indexing viwiki made 362 `brk`
/// and 3,118 `mprotect` calls (`strace -f -c`) and 128,000 page faults, twice its peak resident
/// set. Keeping a pad of a quarter of the budget (at most 64 MB) at the top of each heap brought
/// that to 4 and 46 calls and 80,000 faults, and indexing took 3 to 13 % less time (`perf stat -r 8`
/// in four blocks side by side: 2.37 s against 2.44, 2.06 against 2.36, 2.04 against 2.15, 2.08
/// against 2.35), for 40 to 50 MB more peak resident memory.
enum MemoryReturn {
    /// The size from which blocks get a mapping of their own.
    static let threshold: Int32 = 4 << 20

    /// What a heap keeps at its top when it is trimmed, for a writer with a budget of `ramBudget`
    /// bytes: a quarter of it, between 4 and 64 MB, so that a small budget stays small.
    static func topPad(ramBudget: Int) -> Int32 {
        Int32(min(max(ramBudget / 4, 4 << 20), 64 << 20))
    }

    /// Sets the threshold and the pad for a writer with a budget of `ramBudget` bytes.
    static func configure(ramBudget: Int) {
        #if canImport(Glibc)
            // mallopt is glibc's (malloc.h, which the Glibc module does not import): looked up by
            // name, with the parameters' values of that header.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let topPadParameter: Int32 = -2  // M_TOP_PAD
            let mmapThresholdParameter: Int32 = -3  // M_MMAP_THRESHOLD
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(mmapThresholdParameter, threshold)
            _ = mallopt(topPadParameter, topPad(ramBudget: ramBudget))
        #endif
    }
}
