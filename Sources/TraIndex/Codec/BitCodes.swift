/// Variable-length bit codes over a little-endian bit stream (bit `i` of the stream is bit `i % 8`
/// of byte `i / 8`), as the PAIRS section of format version 4 uses them:
///
/// - unary: `q` zero bits, then a one bit;
/// - Golomb-Rice code with parameter `k` of `v >= 0` (Golomb, "Run-length encodings", 1966; Rice,
///   1979): `v >> k` in unary, then the low `k` bits of `v`;
/// - Elias gamma code of `v >= 1` (Elias, "Universal codeword sets and representations of the
///   integers", 1975): `n = floor(log2 v)` in unary (its one bit is the leading bit of `v`), then the
///   low `n` bits of `v`. A count of 1 takes one bit.
package struct BitWriter {
    package private(set) var bytes: [UInt8] = []
    /// Bits not yet appended to ``bytes`` (fewer than 8 between calls).
    private var pending: UInt64 = 0
    private var pendingCount = 0

    package init() {}

    /// Appends the low `count` bits of `value` (`count` at most 56).
    @inline(__always)
    package mutating func write(_ value: UInt64, bits count: Int) {
        guard count > 0 else { return }
        pending |= (value & (UInt64.max >> UInt64(64 - count))) << UInt64(pendingCount)
        pendingCount += count
        while pendingCount >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: pending))
            pending >>= 8
            pendingCount -= 8
        }
    }

    /// Appends `value` in unary.
    package mutating func writeUnary(_ value: Int) {
        var zeros = value
        while zeros > 0 {
            let chunk = min(zeros, 56)
            write(0, bits: chunk)
            zeros -= chunk
        }
        write(1, bits: 1)
    }

    /// Appends the Golomb-Rice code of `value` with parameter `k` (0...56).
    package mutating func writeRice(_ value: UInt64, k: Int) {
        writeUnary(Int(value >> UInt64(k)))
        write(value, bits: k)
    }

    /// Appends the Elias gamma code of `value` (at least 1).
    package mutating func writeGamma(_ value: UInt64) {
        precondition(value >= 1, "the gamma code needs a value of at least 1")
        let n = 63 - value.leadingZeroBitCount
        writeUnary(n)
        if n > 32 {
            write(value, bits: 32)
            write(value >> 32, bits: n - 32)
        } else {
            write(value, bits: n)
        }
    }

    /// Pads the last byte with zero bits.
    package mutating func finish() {
        if pendingCount > 0 { write(0, bits: 8 - pendingCount) }
    }

    /// The bits a Golomb-Rice code of `value` with parameter `k` takes.
    @inline(__always)
    package static func riceLength(_ value: UInt64, k: Int) -> Int { Int(value >> UInt64(k)) + 1 + k }
}

/// Reads ``BitWriter``'s codes from `bytes[start..<end]`. Every read returns nil rather than
/// pass the end, or when a code is longer than its caller allows: damaged bytes never trap.
package struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    /// The next bit, counted from the start of `bytes`.
    package private(set) var position: Int

    package init(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) {
        self.bytes = bytes
        self.end = min(max(end, 0), bytes.count)
        position = min(max(start, 0), self.end) * 8
    }

    /// A reader at bit `bit` (counted from the start of `bytes`) of the stream that ends at byte
    /// `end`: where a faster loop over the same stream hands over.
    package init(_ bytes: UnsafeRawBufferPointer, bit: Int, end: Int) {
        self.bytes = bytes
        self.end = min(max(end, 0), bytes.count)
        position = min(max(bit, 0), self.end * 8)
    }

    /// Bits left before the end.
    package var remaining: Int { end * 8 - position }

    /// The bits from ``position`` on, the first in the lowest bit: at least 57 of them are the
    /// stream's, or every bit to the end (zeros beyond it).
    @inline(__always)
    private func peek() -> UInt64 {
        let byte = position >> 3
        let shift = UInt64(position & 7)
        if byte + 8 <= end {
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> shift
        }
        var word: UInt64 = 0
        var i = byte
        while i < end {
            word |= UInt64(bytes[i]) << UInt64((i - byte) * 8)
            i += 1
        }
        return word >> shift
    }

    /// The next `count` bits (at most 56) as a number.
    @inline(__always)
    package mutating func read(bits count: Int) -> UInt64? {
        guard count > 0 else { return 0 }
        guard count <= remaining else { return nil }
        let value = peek() & (UInt64.max >> UInt64(64 - count))
        position += count
        return value
    }

    /// A unary number, at most `limit`.
    @inline(__always)
    package mutating func readUnary(limit: Int) -> Int? {
        var zeros = 0
        while true {
            let word = peek()
            if word != 0 {
                // Bits beyond the end read as zeros, so this one bit is the stream's.
                zeros += word.trailingZeroBitCount
                guard zeros <= limit else { return nil }
                position += word.trailingZeroBitCount + 1
                return zeros
            }
            let skipped = min(57, remaining)
            guard skipped > 0 else { return nil }
            zeros += skipped
            position += skipped
            guard zeros <= limit else { return nil }
        }
    }

    /// A Golomb-Rice code with parameter `k` (0...56) of a value below `2^bits`.
    @inline(__always)
    package mutating func readRice(k: Int, bits: Int) -> UInt64? {
        let limit = bits > k ? (1 << (bits - k)) - 1 : 0
        // Most codes fit in one peek: its zeros, the one bit and the k low bits.
        let word = peek()
        let zeros = word.trailingZeroBitCount
        let length = zeros + 1 + k
        if length <= 57 && length <= remaining {
            guard zeros <= limit else { return nil }
            position += length
            return UInt64(zeros) << UInt64(k) | (word >> UInt64(zeros + 1)) & (UInt64.max >> UInt64(64 - k))
        }
        guard let high = readUnary(limit: limit), let low = read(bits: k) else { return nil }
        return UInt64(high) << UInt64(k) | low
    }

    /// An Elias gamma code.
    @inline(__always)
    package mutating func readGamma() -> UInt64? {
        let word = peek()
        let n = word.trailingZeroBitCount
        if 2 * n + 1 <= 57 && 2 * n + 1 <= remaining {
            position += 2 * n + 1
            return UInt64(1) << UInt64(n) | (word >> UInt64(n + 1)) & ((UInt64(1) << UInt64(n)) - 1)
        }
        guard let n = readUnary(limit: 63) else { return nil }
        if n > 32 {
            guard let low = read(bits: 32), let high = read(bits: n - 32) else { return nil }
            return UInt64(1) << UInt64(n) | high << 32 | low
        }
        guard let low = read(bits: n) else { return nil }
        return UInt64(1) << UInt64(n) | low
    }
}
