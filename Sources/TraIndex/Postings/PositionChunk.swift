/// A chunk of positions (format version 5): the positions of one postings block's documents, or of
/// a tail's, as exponential-Golomb codes (Teuhola, "A compression method for clustered
/// bit-vectors", 1978) with their unary parts first:
///
///     Chunk := Head(u8 = K | P << 5) Codes
///     Codes := { n zero bits, a one bit }^count        -- the unary parts
///              { the low n bits of h, then the low K bits of v }^count
///              P zero bits, to the end of a byte
///
/// where `v` is a code's value, `h = (v >> K) + 1` and `n = floor(log2 h)`; bit `i` of the codes is
/// bit `i % 8` of their byte `i / 8`. The code of `v` takes `2n + 1 + K` bits, so a value takes bits
/// in its logarithm (a varint takes 8 up to 127, 16 up to 16,383). With the unary parts together a
/// reader skips codes by counting one bits, 57 at a time, instead of decoding them, and finds where
/// the second part starts from the chunk's length, `count` and `P` alone: the codes' `8 (L - 1) - P`
/// bits are `2z + count (1 + K)`, `z` the number of zero bits of the unary parts. The number of
/// codes is not stored: the reader knows it from the frequencies of the documents.
package enum PositionChunk {
    /// The largest `K`.
    package static let maximumParameter = 24

    /// Appends the chunk of `values` to `bytes`, with the `K` that makes it shortest.
    package static func append(_ values: [UInt32], to bytes: inout [UInt8]) {
        let (k, bits) = parameter(values)
        let start = bytes.count
        bytes.append(UInt8(k | (7 - (bits + 7) % 8) << 5))
        // Room for the codes (zeros, as the padding of the last byte must be), and 8 more bytes so
        // that every store is a whole word.
        bytes.append(contentsOf: repeatElement(0, count: (bits + 7) / 8 + 8))
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }  // never: it holds the head
            // The codes go through a register: each put ORs at most 57 bits above the fewer than 8
            // not yet written, then stores the register whole at the first byte not written and
            // moves past the bytes it completed. Stores only, each a word the next one overlaps:
            // ORing into the bytes in place loaded each word just stored, which waited for it.
            var next = base + start + 1
            var pending: UInt64 = 0
            var pendingBits = 0
            @inline(__always)
            func put(_ value: UInt64, bits count: Int) {
                pending |= value &<< UInt64(pendingBits)
                pendingBits += count
                next.storeBytes(of: pending.littleEndian, as: UInt64.self)
                // At most 63 bits were pending: at most 7 whole bytes.
                let whole = pendingBits &>> 3
                next += whole
                pending &>>= UInt64(whole &<< 3)
                pendingBits &= 7
            }
            let lowK = (UInt64(1) << UInt64(k)) - 1
            for value in values {
                // n zero bits, then a one bit (n is at most 32).
                let n = zeros(value, k)
                put(UInt64(1) &<< UInt64(n), bits: n + 1)
            }
            for value in values {
                // The low n bits of h = (v >> K) + 1, then the low K bits of v: at most 56 bits.
                let n = zeros(value, k)
                let h = UInt64(value >> UInt32(k)) + 1
                put(h & ((UInt64(1) &<< UInt64(n)) - 1) | (UInt64(value) & lowK) &<< UInt64(n), bits: n + k)
            }
        }
        bytes.removeLast(8)
    }

    /// `n = floor(log2((value >> k) + 1))`: the zeros of the code's unary part.
    @inline(__always)
    private static func zeros(_ value: UInt32, _ k: Int) -> Int {
        63 - (UInt64(value >> UInt32(k)) + 1).leadingZeroBitCount
    }

    /// The `K` that codes `values` in the fewest bits, nearly, and the bits of their codes with
    /// it: `K` estimated from the histogram of their bit lengths, then the estimate and its
    /// neighbours measured exactly, all from one pass over the values.
    ///
    /// With `K`, a value of `L` significant bits takes `K + 1` bits when `L <= K`; `K + 3` when
    /// `L = K + 1` (`(v >> K) + 1` is 2); `2L - K - 1` when `L > K + 1`, but 2 more when `v >> K`
    /// is all ones (`(v >> K) + 1` carries into a new bit), which the estimate leaves out. So `K`
    /// costs about `(K + 1) (A - B) + 2S + 2C` bits, `A` the number of values of at most `K` bits,
    /// `B` that of the longer ones, `S` the sum of their lengths and `C` the number of values of
    /// `K + 1` bits.
    package static func parameter(_ values: [UInt32]) -> (k: Int, bits: Int) {
        if values.count == 1 && values[0] < 1 << maximumParameter {
            // One value of L bits: K = L codes it in L + 1 bits (n = 0), the fewest any K gives
            // (K = L - 1 takes L + 2, and a smaller K at least 2L - 1 - K). Each term that occurs
            // once in a segment has such a chunk. (Past the largest K, the search below.)
            let k = 64 - UInt64(values[0]).leadingZeroBitCount
            return (k, k + 1)
        }
        // Per value, its bit length L and the highest zero bit h below L (-1 when there is none).
        // With K < L, the code's unary part has L - K - 1 zeros, one more when `v >> K` is all
        // ones, that is when h < K: so the exact bits of any K follow from the two histograms,
        // in one pass over the values.
        var histogram = InlineArray<34, Int>(repeating: 0)
        var highestZeros = InlineArray<34, Int>(repeating: 0)
        var longest = 0
        for value in values {
            let v = UInt64(value)
            let length = 64 - v.leadingZeroBitCount
            histogram[length] += 1
            // The zero bits of v below its length; 63 - 64 = -1 when it has none.
            let zerosBelow = ~v & ((1 &<< UInt64(length)) &- 1)
            highestZeros[64 - zerosBelow.leadingZeroBitCount] += 1
            longest = max(longest, length)
        }
        var atMost = 0
        var longer = values.count
        var longerLengths = 0
        var carries = 0
        for length in 0...longest { longerLengths += length * histogram[length] }
        // Per K up to the longest length: the estimate, and the exact bits.
        var estimate = (k: 0, bits: Int.max)
        var exact = InlineArray<25, Int>(repeating: 0)
        let last = min(longest, maximumParameter)
        for k in 0...last {
            atMost += histogram[k]
            longer -= histogram[k]
            longerLengths -= k * histogram[k]
            let bits = (k + 1) * (atMost - longer) + 2 * longerLengths + 2 * histogram[k + 1]
            if bits < estimate.bits { estimate = (k, bits) }
            // The zeros: L - K - 1 for each value longer than K, and one per carry, the values
            // with h < K less those of length at most K (whose h is below their length).
            carries += highestZeros[k]
            let zeros = longerLengths - (k + 1) * longer + carries - atMost
            exact[k] = 2 * zeros + values.count * (1 + k)
        }
        // The left-out carries only add bits, more to smaller parameters: measure one below the
        // estimate and two above (where fewer than four parameters are allowed, the largest is
        // measured again, and the tie keeps the first). Past the longest length every value
        // codes in K + 1 bits.
        let low = max(estimate.k - 1, 0)
        let high = min(estimate.k + 2, maximumParameter)
        var best = (k: 0, bits: Int.max)
        for k in low...low + 3 {
            let candidate = min(k, high)
            let bits = candidate <= last ? exact[candidate] : values.count * (1 + candidate)
            if bits < best.bits { best = (candidate, bits) }
        }
        return best
    }
}

/// Reads a ``PositionChunk``. Never traps on damaged bytes: each read checks its bounds and
/// returns false instead.
package struct PositionChunkReader {
    private let bytes: UnsafeRawBufferPointer
    private let k: Int
    /// Next bit of the unary stream and its end (in bits, from the start of `bytes`).
    private var unary: Int
    private let unaryEnd: Int
    /// Next bit of the binary stream and its end.
    private var binary: Int
    private let binaryEnd: Int
    /// Where the chunk ends (one past its last byte).
    package let end: Int

    /// No chunk: every read fails.
    package init() {
        bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        k = 0
        unary = 0
        unaryEnd = 0
        binary = 0
        binaryEnd = 0
        end = 0
    }

    /// Opens the chunk of `count` codes (at least 1) at `bytes[start..<end]`: its length is
    /// known (a block's); nil when its head does not agree with its length.
    package init?(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, count: Int) {
        guard count >= 1, start >= 0, start < end, end <= bytes.count else { return nil }
        self.bytes = bytes
        let head = Int(bytes[start])
        k = head & 31
        let bits = 8 * (end - start - 1) - head >> 5
        let twiceZeros = bits - count * (1 + k)
        guard k <= PositionChunk.maximumParameter, twiceZeros >= 0, twiceZeros % 2 == 0 else { return nil }
        unary = 8 * (start + 1)
        unaryEnd = unary + twiceZeros / 2 + count
        binary = unaryEnd
        binaryEnd = unary + bits
        self.end = end
    }

    /// Opens the chunk of `count` codes (at least 1) at `bytes[start]`, whose end is not known
    /// (a tail's) but is before `limit`: found by counting the one bits of its unary parts. Nil
    /// when the chunk does not fit or its head does not agree.
    package init?(_ bytes: UnsafeRawBufferPointer, start: Int, limit: Int, count: Int) {
        guard count >= 1, start >= 0, start < limit, limit <= bytes.count else { return nil }
        self.bytes = bytes
        let head = Int(bytes[start])
        k = head & 31
        guard k <= PositionChunk.maximumParameter else { return nil }
        unary = 8 * (start + 1)
        var probe = unary
        var left = count
        let zeros = Self.skipOnes(bytes, &probe, end: limit * 8, count: &left)
        guard left == 0 else { return nil }
        unaryEnd = probe
        binary = probe
        // Every code has n bits in the second part for its n zeros in the first, and k more.
        binaryEnd = binary + zeros + count * k
        end = (binaryEnd + 7) / 8
        guard end <= limit, 8 * end - binaryEnd == head >> 5 else { return nil }
    }

    /// Skips `count` codes; false when the streams end first.
    @inline(__always)
    package mutating func skip(_ count: Int) -> Bool {
        guard count > 0 else { return true }
        var left = count
        let zeros = Self.skipOnes(bytes, &unary, end: unaryEnd, count: &left)
        guard left == 0 else { return false }
        binary += zeros + count * k
        return binary <= binaryEnd
    }

    /// Reads `count` codes as the positions of one document (each code is the gap to the previous
    /// position minus 1, the first from -1) and appends them to `positions`; false when the
    /// streams end first or a position passes `UInt32.max` (what was appended is then garbage).
    ///
    /// The loop checks nothing per code: every peek stays inside `bytes` whatever the bit offset,
    /// the arithmetic wraps instead of trapping, and the bounds are checked once at the end. The
    /// positions are written into room made for them at once, not appended one by one.
    @inline(__always)
    package mutating func read(_ count: Int, into positions: inout [UInt32]) -> Bool {
        let first = positions.count
        positions.append(contentsOf: repeatElement(0, count: count))
        return positions.withUnsafeMutableBufferPointer {
            read(into: UnsafeMutableBufferPointer(rebasing: $0[first...]))
        }
    }

    /// ``read(_:into:)`` of `out.count` codes into `out`, which it overwrites (what it wrote is
    /// garbage when it returns false).
    @inline(__always)
    package mutating func read(into out: UnsafeMutableBufferPointer<UInt32>) -> Bool {
        let bytes = self.bytes
        // A code moves the unary stream at most 65 bits and the binary one at most 64 + k: when
        // the 8-byte loads of all `count` codes fit in `bytes` however the codes read, they need
        // no check each.
        let reach = (max(unary, binary) &+ out.count &* (65 &+ k)) &>> 3
        let seen: UInt64
        if reach &+ 8 <= bytes.count {
            seen = decode(into: out) { bit in
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
                    &>> UInt64(bit & 7)
            }
        } else {
            seen = decode(into: out) { Self.peek(bytes, $0) }
        }
        return unary <= unaryEnd && binary <= binaryEnd && seen <= UInt64(UInt32.max)
    }

    /// The loop of ``read(_:into:)``: fills `out` with positions, loading the bits at an offset
    /// with `peek`; returns every position ORed together (for the range check).
    @inline(__always)
    private mutating func decode(into out: UnsafeMutableBufferPointer<UInt32>, peek: (Int) -> UInt64) -> UInt64 {
        var unary = self.unary
        var binary = self.binary
        var next: UInt64 = 0
        var seen: UInt64 = 0
        let k = UInt64(self.k)
        let lowMask = (UInt64(1) &<< k) &- 1
        for i in 0..<out.count {
            let n = peek(unary).trailingZeroBitCount
            unary &+= n &+ 1
            let word = peek(binary)
            binary &+= n &+ self.k
            let bits = UInt64(truncatingIfNeeded: n)
            let high = ((UInt64(1) &<< bits) | word & ((UInt64(1) &<< bits) &- 1)) &- 1
            next &+= high &<< k | (word &>> bits) & lowMask
            seen |= next
            out[i] = UInt32(truncatingIfNeeded: next)
            next &+= 1
        }
        self.unary = unary
        self.binary = binary
        return seen
    }

    /// Moves `bit` past `count` one bits, decreasing `count` by those passed (it stays above 0 when
    /// `end` comes first); returns the zero bits passed.
    @inline(__always)
    private static func skipOnes(_ bytes: UnsafeRawBufferPointer, _ bit: inout Int, end: Int, count: inout Int) -> Int {
        var zeros = 0
        while count > 0 && bit < end {
            let available = min(57, end - bit)
            var word = peek(bytes, bit) & (UInt64.max >> UInt64(64 - available))
            let ones = word.nonzeroBitCount
            if ones < count {
                count -= ones
                zeros += available - ones
                bit += available
                continue
            }
            // The count-th one bit of the word.
            for _ in 1..<count { word &= word - 1 }
            let through = word.trailingZeroBitCount + 1
            zeros += through - count
            bit += through
            count = 0
        }
        return zeros
    }

    /// The bits from `bit` on, the first in the lowest bit: at least 57 of them, or all to the end
    /// of `bytes` (zeros beyond). Callers mask off the bits past their stream's end.
    @inline(__always)
    private static func peek(_ bytes: UnsafeRawBufferPointer, _ bit: Int) -> UInt64 {
        let byte = bit >> 3
        let shift = UInt64(bit & 7)
        if byte + 8 <= bytes.count {
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self)) >> shift
        }
        var word: UInt64 = 0
        var i = byte
        while i < bytes.count {
            word |= UInt64(bytes[i]) << UInt64((i - byte) * 8)
            i += 1
        }
        return word >> shift
    }
}
