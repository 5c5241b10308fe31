// The decoder behind `LZ4Block.decompress(_:decompressedSize:into:)`, hardened against corrupt input.

extension LZ4Block {
    /// Reads the extension bytes of a length field whose nibble was 15, adding them to `length`.
    /// Returns `nil` if the input ends first or the length exceeds `limit`.
    @inline(__always)
    static func extendLength(
        _ length: Int, _ source: UnsafeRawPointer, _ inputPosition: inout Int, _ inputEnd: Int, limit: Int
    ) -> Int? {
        var total = length
        while true {
            guard inputPosition < inputEnd else { return nil }
            let byte = source.load(fromByteOffset: inputPosition, as: UInt8.self)
            inputPosition += 1
            total += Int(byte)
            guard total <= limit else { return nil }
            if byte != 255 { return total }
        }
    }

    /// Decodes `inputCount` bytes at `source` into exactly `outputCount` bytes at `target`.
    ///
    /// Every sequence first takes a shortcut when its lengths fit in the token and both buffers have
    /// room to spare: literals and match are then copied in whole words, possibly writing a few
    /// bytes past their end that later sequences overwrite (the reference decoder's "wild copy").
    /// Otherwise each length is checked against the input and the output before anything is copied.
    static func decodeBlock(
        _ source: UnsafeRawPointer, _ inputCount: Int, _ target: UnsafeMutableRawPointer, _ outputCount: Int
    ) -> Bool {
        var input = 0
        var output = 0
        while input < inputCount {
            let token = Int(source.load(fromByteOffset: input, as: UInt8.self))
            input &+= 1

            var literalCount = token &>> 4
            if literalCount < 15 && inputCount &- input >= 18 && outputCount &- output >= 40 {
                // At most 14 literals, and at least 2 bytes of input will remain for the offset.
                copyWords(target + output, source + input, 2)
                input &+= literalCount
                output &+= literalCount
            } else {
                if literalCount == 15 {
                    guard let extended = extendLength(15, source, &input, inputCount, limit: outputCount - output)
                    else { return false }
                    literalCount = extended
                }
                guard literalCount <= inputCount &- input, literalCount <= outputCount &- output else { return false }
                (target + output).copyMemory(from: source + input, byteCount: literalCount)
                input &+= literalCount
                output &+= literalCount
                // The last sequence ends with its literals.
                if input == inputCount { return output == outputCount }
            }

            guard inputCount &- input >= 2 else { return false }
            let offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: input, as: UInt16.self)))
            input &+= 2
            guard offset != 0, offset <= output else { return false }

            var length = token & 15
            if length < 15 && offset >= 8 && outputCount &- output >= 24 {
                // At most 18 bytes, copied as three words that each read bytes already written.
                copyWords(target + output, UnsafeRawPointer(target + output - offset), 3)
                output &+= length &+ minMatch
                continue
            }
            if length == 15 {
                guard let extended = extendLength(15, source, &input, inputCount, limit: outputCount - output)
                else { return false }
                length = extended
            }
            length &+= minMatch
            guard length <= outputCount &- output else { return false }
            copyMatch(target, output, offset, length, outputCount)
            output &+= length
        }
        return false
    }

    /// Copies `count` 8-byte words, one after the other, so that a word may read what the one
    /// before it wrote.
    @inline(__always)
    static func copyWords(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
        for index in 0..<count {
            let word = source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            target.storeBytes(of: word, toByteOffset: index * 8, as: UInt64.self)
        }
    }

    /// Copies the `length` bytes that start `offset` bytes before `position` to `position`, writing
    /// nothing at or after `end`; the regions may overlap (offset < length repeats the last `offset`
    /// bytes).
    @inline(__always)
    static func copyMatch(_ base: UnsafeMutableRawPointer, _ position: Int, _ offset: Int, _ length: Int, _ end: Int) {
        var target = position
        let targetEnd = position + length
        var distance = offset
        if offset < 8 {
            // Write the first bytes one at a time until the pattern repeats with a period of at
            // least 8; the output from then on also repeats with that longer period.
            let period = offset * ((8 + offset - 1) / offset)
            let head = min(period, length)
            for _ in 0..<head {
                base.storeBytes(
                    of: base.load(fromByteOffset: target - offset, as: UInt8.self), toByteOffset: target, as: UInt8.self
                )
                target += 1
            }
            distance = period
        }
        // Whole words, each reading bytes at least 8 before it, so already written; the last word
        // may run past `targetEnd` when there is room before `end`.
        let wordEnd = end - targetEnd >= 8 ? targetEnd : targetEnd - 7
        while target < wordEnd {
            let word = base.loadUnaligned(fromByteOffset: target - distance, as: UInt64.self)
            base.storeBytes(of: word, toByteOffset: target, as: UInt64.self)
            target += 8
        }
        while target < targetEnd {
            base.storeBytes(
                of: base.load(fromByteOffset: target - distance, as: UInt8.self), toByteOffset: target, as: UInt8.self)
            target += 1
        }
    }
}
