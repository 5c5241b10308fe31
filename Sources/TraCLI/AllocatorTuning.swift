#if canImport(Glibc)
    import Glibc
#endif

/// The memory allocator's settings for a process that builds an index, where glibc's defaults
/// cost page faults: whenever the top of an arena is freed (the sorted copies of a pair-count
/// compaction, a stored block's buffers, arrays that grew), `malloc` gives its pages back to the
/// system, and the next allocation takes them again, faulted in and zeroed by the kernel one
/// 4 KB page at a time. Indexing viwiki made 362 `brk` and 3,118 `mprotect` calls (arenas
/// shrinking and growing, `strace -f -c`) and 128,000 page faults, twice its peak resident
/// memory; with these settings 4 and 46 calls and 80,000 faults, and 3 to 13% less time
/// (`perf stat -r 8` in four blocks side by side: 2.37 s against 2.44, 2.06 against 2.36, 2.04
/// against 2.15, 2.08 against 2.35), for 40 to 50 MB more peak resident memory.
///
/// Set for `tra index`, `tra merge` and the index `tra search` builds from Corpus/: a process
/// policy, so the executable sets it, not the library (a program that embeds it keeps its own).
enum AllocatorTuning {
    /// What `malloc` keeps at the top of an arena when it trims it, instead of none: the room of a
    /// compaction's copies, so they are reused rather than faulted in again. A quarter of the
    /// memory budget, between 4 and 64 MiB, so that a small budget stays small.
    static func topPad(ramBudget: Int) -> Int32 {
        Int32(min(max(ramBudget / 4, 4 << 20), 64 << 20))
    }

    /// The size from which an allocation gets its own mapping: the largest that glibc's own
    /// sliding threshold would reach, fixed from the start (setting the pad stops it sliding).
    static let mmapThreshold: Int32 = 32 << 20

    /// Applies the settings for a run with a memory budget of `ramBudget` bytes (`tra merge`,
    /// which has none, takes the default's); does nothing where the allocator is not glibc's.
    static func forIndexing(ramBudget: Int = 256 << 20) {
        #if canImport(Glibc)
            // `mallopt` and its parameters are in <malloc.h>, which the Glibc module leaves out:
            // looked up by name, with the values of glibc's header (M_TOP_PAD -2, M_MMAP_THRESHOLD -3).
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(-2, topPad(ramBudget: ramBudget))
            _ = mallopt(-3, mmapThreshold)
        #endif
    }
}
