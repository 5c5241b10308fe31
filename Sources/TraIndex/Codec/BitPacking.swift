/// Fixed-width bit packing of blocks of 128 unsigned 32-bit integers.
///
/// Postings are stored in blocks of 128 documents; within a block the doc-id gaps and the term
/// frequencies are each written with the smallest bit width that holds the block's largest value
/// (frame of reference with a per-block width, "binary packing" in Lemire & Boytsov, "Decoding
/// billions of integers per second through vectorization", Software: Practice and Experience
/// 45(1), 2015). A block of width `b` takes exactly `16 * b` bytes, from 0 (all values zero) to 512.
///
/// The layout is the plain little-endian bit stream (not the four-way interleaved SIMD layout of
/// Lemire & Boytsov), which keeps the format independent of vector width and easy to describe. The
/// decoder still avoids per-bit work: eight consecutive values occupy exactly `b` whole bytes, so
/// each value is one unaligned 64-bit load, a shift and a mask, and the decoder is specialized for
/// every width so that all shifts and masks are compile-time constants.
///
///     var bytes: [UInt8] = []
///     values.withUnsafeBufferPointer { v in
///         BitPacking.pack(v, bitWidth: BitPacking.requiredBitWidth(v), into: &bytes)
///     }
package enum BitPacking {
    /// The number of values in a block.
    package static let blockSize = 128

    /// The number of bytes a block of `bitWidth`-bit values takes: `16 * bitWidth`.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package static func packedByteCount(bitWidth: Int) -> Int {
        bitWidth * (blockSize / 8)
    }

    /// The smallest bit width, 0...32, that holds every value (0 when all values are zero).
    ///
    /// - Complexity: O(n) in the number of values.
    package static func requiredBitWidth(_ values: UnsafeBufferPointer<UInt32>) -> Int {
        var union: UInt32 = 0
        for value in values { union |= value }
        return UInt32.bitWidth - union.leadingZeroBitCount
    }

    // Layout of a block of width b (0...32), 16·b bytes, little-endian bit order:
    //
    //   value i occupies bits i·b ..< (i+1)·b of the stream, where stream bit k is
    //   bit (k mod 8) of byte ⌊k / 8⌋; the value's least significant bit comes first.
    //
    //   Example, b = 3, values 5, 1, 7, 0, ...:
    //     bits   : 101 100 111 000 ...   (each value written LSB first)
    //     byte 0 : 0b11_001_101 = 0xCD   (value 0, value 1, low two bits of value 2)
    //     byte 1 : 0b0000000_1  = 0x01   (high bit of value 2, value 3, ...)
    //
    //   Values 8g ..< 8g+8 fill bytes g·b ..< (g+1)·b exactly; there is no padding.

    /// Appends the `16 * bitWidth` bytes of the packed block to `bytes`.
    ///
    /// - Parameters:
    ///   - values: Exactly 128 values, each less than `1 << bitWidth`.
    ///   - bitWidth: 0...32, usually `requiredBitWidth(values)`.
    ///   - bytes: The output; the packed block is appended.
    /// - Precondition: `values.count == 128` and `0...32 ~= bitWidth`. Bits of a value above
    ///   `bitWidth` are a programmer error (checked in debug builds, dropped in release builds).
    /// - Complexity: O(128).
    package static func pack(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into bytes: inout [UInt8]) {
        precondition(values.count == blockSize, "BitPacking.pack needs exactly \(blockSize) values")
        precondition((0...32).contains(bitWidth), "bit width \(bitWidth) is outside 0...32")
        assert(requiredBitWidth(values) <= bitWidth, "a value does not fit in \(bitWidth) bits")
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: packedByteCount(bitWidth: bitWidth)))
        guard bitWidth > 0 else { return }
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        bytes.withUnsafeMutableBytes { raw in
            guard let output = raw.baseAddress else { return }
            var pending: UInt64 = 0
            var pendingBits = 0
            var offset = start
            for value in values {
                pending |= (UInt64(value) & mask) << UInt64(pendingBits)
                pendingBits += bitWidth
                if pendingBits >= 32 {
                    output.storeBytes(
                        of: UInt32(truncatingIfNeeded: pending).littleEndian, toByteOffset: offset, as: UInt32.self)
                    offset += 4
                    pending >>= 32
                    pendingBits -= 32
                }
            }
            // 128 · bitWidth bits is a whole number of 32-bit words, so nothing is left pending.
            assert(pendingBits == 0 && offset == start + packedByteCount(bitWidth: bitWidth))
        }
    }

    /// Decodes a block of 128 values of width `bitWidth` from the start of `source`.
    ///
    /// `source` may extend past the block (for example to the end of a mapped file); the decoder
    /// reads only inside `source` and uses the extra bytes, when there are some, to read in whole
    /// 64-bit words.
    ///
    /// - Parameters:
    ///   - source: Bytes starting at the packed block; at least `16 * bitWidth` of them.
    ///   - bitWidth: The block's width; anything outside 0...32 is treated as corrupt.
    ///   - values: Receives the 128 values in its first 128 elements.
    /// - Returns: `false`, leaving `values` unspecified, if `bitWidth` is outside 0...32 or `source`
    ///   is shorter than the block; `true` otherwise.
    /// - Precondition: `values.count >= 128`.
    /// - Complexity: O(128): one load, shift and mask per value.
    package static func unpack(
        _ source: UnsafeRawBufferPointer, bitWidth: Int, into values: UnsafeMutableBufferPointer<UInt32>
    ) -> Bool {
        precondition(values.count >= blockSize, "BitPacking.unpack needs room for \(blockSize) values")
        guard (0...32).contains(bitWidth), source.count >= packedByteCount(bitWidth: bitWidth),
            let output = values.baseAddress
        else { return false }
        guard bitWidth > 0, let input = source.baseAddress else {
            output.update(repeating: 0, count: blockSize)
            return true
        }
        let available = source.count
        var sink = Plain()
        unpackAll(input, available, bitWidth, output, &sink)
        return true
    }

    /// ``unpack(_:bitWidth:into:)`` of a block of gaps between increasing numbers, each stored less
    /// 1 (the document numbers of a postings block): value `i` becomes `start + Σ (gap_j + 1)` over
    /// `j <= i`, the sum carried in 64 bits and stored truncated to 32. Returns the last sum (the
    /// caller checks that it fits in 32 bits: then every sum does), nil where `unpack` returns
    /// false. One pass: each sum is taken as its value is unpacked, not read back from `values`.
    package static func unpackGaps(
        _ source: UnsafeRawBufferPointer, bitWidth: Int, from start: Int64,
        into values: UnsafeMutableBufferPointer<UInt32>
    ) -> Int64? {
        precondition(values.count >= blockSize, "BitPacking.unpackGaps needs room for \(blockSize) values")
        guard (0...32).contains(bitWidth), source.count >= packedByteCount(bitWidth: bitWidth),
            let output = values.baseAddress
        else { return nil }
        var sink = RunningSum(total: start)
        if bitWidth > 0, let input = source.baseAddress {
            unpackAll(input, source.count, bitWidth, output, &sink)
        } else {
            for index in 0..<blockSize { output[index] = sink.take(0) }
        }
        return sink.total
    }

    /// What the unpacking stores for each value, the values taken in order: the value itself
    /// (``Plain``) or the running sum of ``unpackGaps(_:bitWidth:from:into:)`` (``RunningSum``).
    private protocol Sink {
        mutating func take(_ value: UInt32) -> UInt32
    }

    private struct Plain: Sink {
        @inline(__always)
        mutating func take(_ value: UInt32) -> UInt32 { value }
    }

    private struct RunningSum: Sink {
        var total: Int64

        @inline(__always)
        mutating func take(_ value: UInt32) -> UInt32 {
            total &+= Int64(value) &+ 1
            return UInt32(truncatingIfNeeded: total)
        }
    }

    /// A block of width 1 to 32 (`input` holds `available` bytes, at least the block's).
    @inline(__always)
    private static func unpackAll<S: Sink>(
        _ input: UnsafeRawPointer, _ available: Int, _ bitWidth: Int, _ output: UnsafeMutablePointer<UInt32>,
        _ sink: inout S
    ) {
        // One case per width, so that `unpackBlock` is inlined with a constant width.
        switch bitWidth {
        case 1: unpackBlock(input, available, 1, output, &sink)
        case 2: unpackBlock(input, available, 2, output, &sink)
        case 3: unpackBlock(input, available, 3, output, &sink)
        case 4: unpackBlock(input, available, 4, output, &sink)
        case 5: unpackBlock(input, available, 5, output, &sink)
        case 6: unpackBlock(input, available, 6, output, &sink)
        case 7: unpackBlock(input, available, 7, output, &sink)
        case 8: unpackBlock(input, available, 8, output, &sink)
        case 9: unpackBlock(input, available, 9, output, &sink)
        case 10: unpackBlock(input, available, 10, output, &sink)
        case 11: unpackBlock(input, available, 11, output, &sink)
        case 12: unpackBlock(input, available, 12, output, &sink)
        case 13: unpackBlock(input, available, 13, output, &sink)
        case 14: unpackBlock(input, available, 14, output, &sink)
        case 15: unpackBlock(input, available, 15, output, &sink)
        case 16: unpackBlock(input, available, 16, output, &sink)
        case 17: unpackBlock(input, available, 17, output, &sink)
        case 18: unpackBlock(input, available, 18, output, &sink)
        case 19: unpackBlock(input, available, 19, output, &sink)
        case 20: unpackBlock(input, available, 20, output, &sink)
        case 21: unpackBlock(input, available, 21, output, &sink)
        case 22: unpackBlock(input, available, 22, output, &sink)
        case 23: unpackBlock(input, available, 23, output, &sink)
        case 24: unpackBlock(input, available, 24, output, &sink)
        case 25: unpackBlock(input, available, 25, output, &sink)
        case 26: unpackBlock(input, available, 26, output, &sink)
        case 27: unpackBlock(input, available, 27, output, &sink)
        case 28: unpackBlock(input, available, 28, output, &sink)
        case 29: unpackBlock(input, available, 29, output, &sink)
        case 30: unpackBlock(input, available, 30, output, &sink)
        case 31: unpackBlock(input, available, 31, output, &sink)
        default: unpackFullWidth(input, output, &sink)
        }
    }

    /// Decodes 16 groups of eight values. Groups whose 64-bit loads stay inside `available` bytes
    /// are read in place; the rest (near the end of a tight buffer) by ``unpackTail(_:_:from:_:)``.
    ///
    /// Nothing here may stop the inlining into each case of ``unpack(_:bitWidth:into:)``: with a
    /// closure in it (a padded copy made through `withUnsafeTemporaryAllocation`), the compiler
    /// kept one copy of it for every width, whose shifts and masks were variables.
    @inline(__always)
    private static func unpackBlock<S: Sink>(
        _ input: UnsafeRawPointer, _ available: Int, _ width: Int, _ output: UnsafeMutablePointer<UInt32>,
        _ sink: inout S
    ) {
        let groupCount = blockSize / 8
        // The last load of a group starts at byte ⌊7·width / 8⌋ of the group and reads 8 bytes.
        let loadSpan = (7 * width) / 8 + 8
        let inPlace = available >= loadSpan ? min(groupCount, (available - loadSpan) / width + 1) : 0
        for group in 0..<inPlace {
            unpackGroup(input + group * width, width, output + group * 8, &sink)
        }
        if inPlace < groupCount { unpackTail(input, width, from: inPlace, output, &sink) }
    }

    /// Decodes the groups from `firstGroup` on a byte at a time, reading no byte past the block.
    @inline(never)
    private static func unpackTail<S: Sink>(
        _ input: UnsafeRawPointer, _ width: Int, from firstGroup: Int, _ output: UnsafeMutablePointer<UInt32>,
        _ sink: inout S
    ) {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        for index in (firstGroup * 8)..<blockSize {
            let bit = index * width
            // The value's bits lie in bytes ⌊bit / 8⌋ ... ⌊(bit + width - 1) / 8⌋, at most 5 of them.
            var word: UInt64 = 0
            for byte in (bit >> 3)...((bit + width - 1) >> 3) {
                word |= UInt64(input.load(fromByteOffset: byte, as: UInt8.self)) << UInt64((byte - (bit >> 3)) * 8)
            }
            output[index] = sink.take(UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask))
        }
    }

    /// Decodes the eight values of `width` bits in the `width` bytes at `input`; may read up to
    /// `⌊7·width / 8⌋ + 8` bytes.
    @inline(__always)
    private static func unpackGroup<S: Sink>(
        _ input: UnsafeRawPointer, _ width: Int, _ output: UnsafeMutablePointer<UInt32>, _ sink: inout S
    ) {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        for index in 0..<8 {
            let bit = index * width
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            output[index] = sink.take(UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask))
        }
    }

    /// Width 32: the block is 128 little-endian `UInt32`s.
    @inline(__always)
    private static func unpackFullWidth<S: Sink>(
        _ input: UnsafeRawPointer, _ output: UnsafeMutablePointer<UInt32>, _ sink: inout S
    ) {
        for index in 0..<blockSize {
            output[index] = sink.take(
                UInt32(littleEndian: input.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
        }
    }
}
