/// Equality of short byte strings (a term's keys: a few to a few dozen bytes) by word loads, for
/// less than a call of memcmp, which the hash tables of the indexing path made for every probe.
package enum ShortBytes {
    /// Whether the `count` bytes at `a` equal those at `b`: eight bytes at a time, the last eight
    /// overlapping the ones before; four and four, or three single bytes, below eight.
    @inline(__always)
    package static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var i = 0
            while i + 8 < count {
                guard
                    a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                else { return false }
                i += 8
            }
            return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        guard count > 0 else { return true }
        let middle = count >> 1
        return a.load(as: UInt8.self) == b.load(as: UInt8.self)
            && a.load(fromByteOffset: middle, as: UInt8.self) == b.load(fromByteOffset: middle, as: UInt8.self)
            && a.load(fromByteOffset: count - 1, as: UInt8.self) == b.load(fromByteOffset: count - 1, as: UInt8.self)
    }
}
