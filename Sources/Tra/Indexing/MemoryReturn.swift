#if canImport(Glibc)
    import Glibc
#endif

/// Makes the C allocator give large freed blocks back to the system at once, so that an indexing
/// run's resident memory follows what it uses.
///
/// glibc serves a block of 128 KB or more with its own mapping, returned to the system when freed,
/// but it raises that threshold to the size of any such block freed (up to 32 MB): after the first
/// in-memory segment is written, its successors' arrays come from the heaps of the threads, which
/// keep freed memory. Indexing frees large arrays all the time (segments written, batches added)
/// from threads other than those that allocated them: with the default 256 MB budget, viwiki's
/// resident set peaked at 350 MB with the threshold left to move, 250 MB with it fixed at 4 MB
/// (240 MB at 256 KB, with 20 % more page faults). Elsewhere than on glibc this does nothing.
enum MemoryReturn {
    /// The size from which blocks get a mapping of their own.
    static let threshold: Int32 = 4 << 20

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
