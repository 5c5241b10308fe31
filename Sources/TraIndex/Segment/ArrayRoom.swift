/// The room an array grown by appends is counted as holding, for the indexing RAM budget: the
/// power of two at or above its length, at least `floor` elements.
///
/// The budget counts this model rather than the arrays' `capacity`, which depends on the block the
/// allocator happened to hand out (glibc may give a few bytes more than asked, and every doubling
/// after that starts from the larger size): with the capacities, the same input was flushed at
/// different documents from run to run, and an input near the one-segment projection became one
/// segment in one run and two in the next. The model depends on the lengths alone, so the same
/// input gives the same segments. Appends double an array's capacity when it runs out, so the
/// model stays within a factor of two of the truth either way, and close to it on average (the
/// per-term postings arrays of the Wikipedia sample, at 1,000 to 4,000 documents: 1 to 4 % above
/// their summed capacities).
enum ArrayRoom {
    /// The elements an array of `count` is counted as having room for (0 for an empty array).
    @inline(__always)
    static func of(_ count: Int, floor: Int = 1) -> Int {
        guard count > 0 else { return 0 }
        return max(floor, count <= 1 ? 1 : 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount))
    }
}
