#if canImport(Glibc)
    import Glibc
#endif

/// Makes the C allocator give large freed blocks back to the system at once, so that an indexing
/// run's resident memory follows what it uses.
///
/// glibc serves a block of 128 KB or more with its own mapping, returned to the system when freed,
/// but it raises that threshold to the size of any such block freed (up to 32 MB): after the first
/// in-memory segment is written, its arrays' successors come from the heaps of the threads, which
/// keep freed memory. Indexing frees large arrays all the time (segments flushed, batches added)
/// from threads other than those that allocated them, and measured with the default 256 MB budget
/// its resident set peaked at 1.5 times the memory in use. Fixing the threshold at 256 KB (which
/// also stops it from moving) keeps every large array in a mapping of its own; small blocks are
/// unaffected. Elsewhere than on glibc this does nothing.
enum MemoryReturn {
    /// The size from which blocks get a mapping of their own.
    static let threshold: Int32 = 256 << 10

    /// Sets the threshold, once per process.
    static func configure() { _ = configured }

    private static let configured: Bool = {
        #if canImport(Glibc)
            // mallopt is glibc's (malloc.h, which the Glibc module does not import): look it up.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
            return unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, threshold) == 1
        #else
            return false
        #endif
    }()
}
