/// A least-significant-byte radix sort on a key of up to 64 bits: one counting pass for all its
/// bytes, then a scatter pass per byte that is not the same in every key. Stable: elements with
/// equal keys keep their order.
enum RadixSort {
    /// `values` in ascending `key` order; `filler` only fills the scratch buffer. Only the low
    /// `keyBytes` bytes of a key are sorted on: any higher bits must be zero.
    @inline(__always)
    static func sorted<Element>(
        _ values: [Element], filler: Element, keyBytes: Int = 8, key: (Element) -> UInt64
    ) -> [Element] {
        precondition((1...8).contains(keyBytes), "a key has 1 to 8 bytes")
        let n = values.count
        guard n > 1 else { return values }
        var source = values
        var target = [Element](repeating: filler, count: n)
        var histogram = [Int](repeating: 0, count: keyBytes * 256)
        histogram.withUnsafeMutableBufferPointer { histogram in
            source.withUnsafeBufferPointer { source in
                for value in source {
                    let k = key(value)
                    for byte in 0..<keyBytes {
                        histogram[byte << 8 | Int(truncatingIfNeeded: k >> (byte * 8)) & 0xFF] += 1
                    }
                }
            }
            for byte in 0..<keyBytes {
                let buckets = UnsafeMutableBufferPointer(rebasing: histogram[byte << 8..<(byte + 1) << 8])
                guard startOffsets(buckets, of: n) else { continue }
                source.withUnsafeBufferPointer { source in
                    target.withUnsafeMutableBufferPointer { target in
                        for value in source {
                            let bucket = Int(truncatingIfNeeded: key(value) >> (byte * 8)) & 0xFF
                            target[buckets[bucket]] = value
                            buckets[bucket] += 1
                        }
                    }
                }
                swap(&source, &target)
            }
        }
        return source
    }
}

extension RadixSort {
    /// Turns the counts of one byte's 256 buckets, over `n` values, into where each bucket starts;
    /// false, leaving them, when one bucket holds every value (every key has the same byte: the
    /// pass would move nothing).
    @inline(__always)
    fileprivate static func startOffsets(_ buckets: UnsafeMutableBufferPointer<Int>, of n: Int) -> Bool {
        if buckets.contains(n) { return false }
        var offset = 0
        for bucket in buckets.indices {
            let size = buckets[bucket]
            buckets[bucket] = offset
            offset += size
        }
        return true
    }

    /// `values` in ascending order, for inputs far larger than the cache (the pair counter's log):
    /// one scatter pass on the top byte into 256 partitions, then each partition, about 1/256 of
    /// the input, sorted on its three low bytes by LSD passes in a scratch buffer of its size, in
    /// the cache. ``sorted(_:filler:keyBytes:key:)`` makes four scatter passes over the whole
    /// input, each through main memory; this makes one, and reads `values` without copying them.
    static func sorted(_ values: [UInt32]) -> [UInt32] {
        let n = values.count
        guard n > 1 else { return values }
        var top = [Int](repeating: 0, count: 257)
        values.withUnsafeBufferPointer { values in
            top.withUnsafeMutableBufferPointer { top in
                for value in values { top[Int(value >> 24) + 1] += 1 }
                for bucket in 1...256 { top[bucket] += top[bucket - 1] }
            }
        }
        // `top[b]` is where partition b starts; `next` where its next value goes.
        var next = Array(top[0..<256])
        var largest = 0
        for bucket in 0..<256 { largest = max(largest, top[bucket + 1] - top[bucket]) }
        return [UInt32](unsafeUninitializedCapacity: n) { target, count in
            values.withUnsafeBufferPointer { values in
                next.withUnsafeMutableBufferPointer { next in
                    for value in values {
                        let bucket = Int(value >> 24)
                        target.initializeElement(at: next[bucket], to: value)
                        next[bucket] += 1
                    }
                }
            }
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: largest) { scratch in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * 256) { histogram in
                    for bucket in 0..<256 where top[bucket + 1] - top[bucket] > 1 {
                        let part = UnsafeMutableBufferPointer(rebasing: target[top[bucket]..<top[bucket + 1]])
                        sortLowBytes(part, scratch: scratch, histogram: histogram)
                    }
                }
            }
            count = n
        }
    }

    /// Sorts `part`, whose values share their top byte, on their three low bytes: LSD passes
    /// between `part` and `scratch` (at least as long), a byte every key shares skipped.
    private static func sortLowBytes(
        _ part: UnsafeMutableBufferPointer<UInt32>, scratch: UnsafeMutableBufferPointer<UInt32>,
        histogram: UnsafeMutableBufferPointer<Int>
    ) {
        let n = part.count
        histogram.initialize(repeating: 0)
        for value in part {
            histogram[Int(value & 0xFF)] += 1
            histogram[256 | Int(value >> 8 & 0xFF)] += 1
            histogram[512 | Int(value >> 16 & 0xFF)] += 1
        }
        var source = part
        var target = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
        for byte in 0..<3 {
            let buckets = UnsafeMutableBufferPointer(rebasing: histogram[byte << 8..<(byte + 1) << 8])
            guard startOffsets(buckets, of: n) else { continue }
            let shift = UInt32(8 * byte)
            for value in source {
                let bucket = Int(value >> shift & 0xFF)
                target[buckets[bucket]] = value
                buckets[bucket] += 1
            }
            swap(&source, &target)
        }
        if source.baseAddress != part.baseAddress { _ = part.update(fromContentsOf: source) }
    }
}
