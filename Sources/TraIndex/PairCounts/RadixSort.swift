/// A least-significant-byte radix sort on a key of up to 64 bits: one counting pass for all its
/// bytes, then a scatter pass per byte that is not the same in every key. Stable: elements with
/// equal keys keep their order.
enum RadixSort {
    /// `values` in ascending `key` order; `filler` only fills the scratch buffer. Only the low
    /// `keyBytes` bytes of a key are sorted on (the pair counter's keys have 4): any higher bits
    /// must be zero.
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
                if buckets.contains(n) { continue }  // every key has the same byte here
                var offset = 0
                for bucket in buckets.indices {
                    let size = buckets[bucket]
                    buckets[bucket] = offset
                    offset += size
                }
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
