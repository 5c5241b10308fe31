/// The keys of recently seen short tokens, so that a token met again skips ``KeyBuilder``.
///
/// Vietnamese text repeats a few thousand syllables: most tokens of an article were met in the
/// articles before it. ``KeyBuilder/build(_:into:)`` is a pure function of a token's scalars (and
/// the fixed character table), so the bytes it appended for the same scalars can be appended
/// again. The cache is direct-mapped: a slot holds the last token whose scalars hash to it, and a
/// hit compares every scalar, so a collision only costs a rebuild. Tokens of more than
/// ``maximumScalars`` scalars, or whose two keys take more than ``maximumBytes`` bytes, are not kept.
///
/// One cache belongs to one analyzer (not thread-safe); its memory is allocated on first use.
/// Copies share it, as ``ScratchBuffer``'s do: the analyzer never copies its core.
struct KeyCache {
    /// A power of two.
    static let slotCount = 16384
    private static let slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
    static let maximumScalars = 8
    static let maximumBytes = 40

    private final class Storage {
        /// Per slot: the token's scalar count (0: empty), then the end of its key in its bytes,
        /// then the length of both keys.
        let counts: UnsafeMutablePointer<UInt8>
        let scalars: UnsafeMutablePointer<UInt32>
        let bytes: UnsafeMutablePointer<UInt8>

        init() {
            counts = .allocate(capacity: 3 * KeyCache.slotCount)
            counts.initialize(repeating: 0, count: 3 * KeyCache.slotCount)
            scalars = .allocate(capacity: KeyCache.slotCount * KeyCache.maximumScalars)
            bytes = .allocate(capacity: KeyCache.slotCount * KeyCache.maximumBytes)
            // Zeros: a hit copies its slot whole, past the bytes its key fills.
            bytes.initialize(repeating: 0, count: KeyCache.slotCount * KeyCache.maximumBytes)
        }

        deinit {
            counts.deallocate()
            scalars.deallocate()
            bytes.deallocate()
        }
    }

    private var storage: Storage? = nil
    /// The storage's arrays, read through these rather than through `storage`: reaching them
    /// through the class reference cost a retain and a release per token.
    private var counts: UnsafeMutablePointer<UInt8>? = nil
    private var scalars: UnsafeMutablePointer<UInt32>? = nil
    private var bytes: UnsafeMutablePointer<UInt8>? = nil

    @inline(__always)
    private static func slot(_ chars: UnsafeBufferPointer<SegmentChar>) -> Int {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        for char in chars { hash = (hash ^ UInt64(char.scalar)) &* 0x100_0000_01B3 }
        // The top bits, as many as index a slot.
        return Int(truncatingIfNeeded: ((hash ^ (hash &>> 29)) &* 0x9E37_79B9_7F4A_7C15) &>> slotShift)
    }

    /// Appends the keys of `chars` to `bytes` as `keys.build(chars, into: &bytes)` does, from the
    /// cache when the token was kept; returns the end of the key.
    @inline(__always)
    mutating func build(
        _ chars: UnsafeBufferPointer<SegmentChar>, into bytes: inout ScratchBuffer<UInt8>, with keys: inout KeyBuilder
    ) -> Int {
        let count = chars.count
        guard count <= Self.maximumScalars else { return keys.build(chars, into: &bytes) }
        if counts == nil { allocate() }
        guard let counts, let scalars, let keptBytes = self.bytes else { return keys.build(chars, into: &bytes) }
        let slot = Self.slot(chars)
        let kept = scalars + slot * Self.maximumScalars
        if Int(counts[3 * slot]) == count {
            var same = true
            for i in 0..<count where kept[i] != chars[i].scalar {
                same = false
                break
            }
            if same {
                let start = bytes.count
                // The whole slot, a fixed-size copy; only its first `length` bytes count.
                bytes.append(
                    Int(counts[3 * slot + 2]), of: keptBytes + slot * Self.maximumBytes, copying: Self.maximumBytes)
                return start + Int(counts[3 * slot + 1])
            }
        }
        let start = bytes.count
        let keyEnd = keys.build(chars, into: &bytes)
        let length = bytes.count - start
        guard length <= Self.maximumBytes else { return keyEnd }
        for i in 0..<count { kept[i] = chars[i].scalar }
        if let base = bytes.elements.baseAddress {
            (keptBytes + slot * Self.maximumBytes).update(from: base + start, count: length)
        }
        counts[3 * slot] = UInt8(count)
        counts[3 * slot + 1] = UInt8(keyEnd - start)
        counts[3 * slot + 2] = UInt8(length)
        return keyEnd
    }

    private mutating func allocate() {
        let storage = Storage()
        self.storage = storage
        counts = storage.counts
        scalars = storage.scalars
        bytes = storage.bytes
    }
}
