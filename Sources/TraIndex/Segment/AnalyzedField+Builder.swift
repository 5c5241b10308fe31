#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AnalyzedField {
    /// Accumulates the tokens of one field, interning their terms: an open-addressing hash table
    /// over the field's distinct variant terms, whose bytes live in ``AnalyzedField/termBytes``.
    ///
    /// ```swift
    /// var builder = AnalyzedField.Builder(field: .body)
    /// builder.append(position: 0, accented: Array("hà".utf8)[...], folded: Array("ha".utf8)[...])
    /// builder.append(position: 1, accented: Array("hà".utf8)[...], folded: Array("ha".utf8)[...])
    /// // builder.field.terms.count == 1, builder.field.tokens.count == 2
    /// ```
    package struct Builder {
        package private(set) var field: AnalyzedField
        /// Slots hold term index + 1; 0 is empty.
        private var slots: [UInt32]
        private var mask: Int
        /// The previous token, when its term is indexed: its position and its term (for the
        /// pair it makes with the next token).
        private var previous: (position: Int, term: Int)? = nil
        /// The variant term of the token being added: field, folded key, 0x00, accented key.
        private var scratch: [UInt8] = []

        package init(field: IndexedField, tokens: Int = 0) {
            self.field = AnalyzedField(field: field, termBytes: [], terms: [], tokens: [], length: 0, pairKeys: [])
            self.field.tokens.reserveCapacity(tokens)
            self.field.pairKeys.reserveCapacity(tokens)
            slots = [UInt32](repeating: 0, count: 64)
            mask = 63
        }

        /// The field, its postings coded (``AnalyzedField/encodePostings()``).
        package mutating func finish() -> AnalyzedField {
            field.encodePostings()
            return field
        }

        /// Reserves room for `count` tokens in all (not more: a repeated call does not grow).
        package mutating func reserveTokens(_ count: Int) {
            if count > field.tokens.capacity { field.tokens.reserveCapacity(count) }
            if count > field.pairKeys.capacity { field.pairKeys.reserveCapacity(count) }
        }

        /// Adds the token at `position` with its accented and folded keys, given as raw bytes.
        /// Positions must increase strictly from token to token (they are token ordinals: the
        /// index codes each as its distance from the previous one, less 1).
        ///
        /// - Complexity: O(key length) expected.
        @inline(__always)
        package mutating func append(position: Int, accented: UnsafeRawBufferPointer, folded: UnsafeRawBufferPointer) {
            // The variant term is laid out in the scratch buffer: a term met before (most tokens)
            // is found from there, and only a new one is copied to termBytes.
            let length = folded.count + accented.count + 2
            if scratch.count < length { scratch = [UInt8](repeating: 0, count: max(64, 2 * length)) }
            let fieldByte = field.field.rawValue
            let hash = scratch.withUnsafeMutableBytes { scratch -> UInt64 in
                guard let target = scratch.baseAddress else { return 0 }
                target.storeBytes(of: fieldByte, as: UInt8.self)
                Self.copyKey(folded, to: target + 1)
                target.storeBytes(of: 0, toByteOffset: folded.count + 1, as: UInt8.self)
                Self.copyKey(accented, to: target + folded.count + 2)
                return TermTable.hash(UnsafeRawBufferPointer(start: target, count: length))
            }
            let term: UInt32
            if let found = find(length: length, hash: hash) {
                term = found
            } else {
                let start = field.termBytes.count
                scratch.withUnsafeBytes {
                    field.termBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[..<length]))
                }
                term = UInt32(field.terms.count)
                field.terms.append(
                    Term(
                        start: UInt32(truncatingIfNeeded: start),
                        foldedEnd: UInt32(truncatingIfNeeded: start + folded.count + 1),
                        end: UInt32(truncatingIfNeeded: start + length), hash: hash))
                insert(term, hash: hash)
            }
            field.tokens.append(Token(position: UInt32(truncatingIfNeeded: position), term: term))
            field.length += 1
            // The pair with the previous token, when both are indexed and next to each other.
            let current = field.terms[Int(term)]
            guard current.isIndexed else {
                previous = nil
                return
            }
            if let previous, previous.position &+ 1 == position {
                let left = field.terms[previous.term]
                let key = field.termBytes.withUnsafeBytes { bytes in
                    PairKey.make(
                        UnsafeRawBufferPointer(rebasing: bytes[Int(left.foldedEnd) + 1..<Int(left.end)]),
                        UnsafeRawBufferPointer(rebasing: bytes[Int(current.foldedEnd) + 1..<Int(current.end)]))
                }
                field.pairKeys.append(UInt32(truncatingIfNeeded: key))
            }
            previous = (position, Int(term))
        }

        /// Copies `key` to `target`: a key is a few bytes, for which a call of memcpy cost more than
        /// two overlapping word copies.
        @inline(__always)
        private static func copyKey(_ key: UnsafeRawBufferPointer, to target: UnsafeMutableRawPointer) {
            guard let source = key.baseAddress else { return }
            let count = key.count
            if count >= 8 && count <= 16 {
                target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8,
                    as: UInt64.self)
            } else if count >= 4 && count < 8 {
                target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4,
                    as: UInt32.self)
            } else if count > 0 && count < 4 {
                // The first, middle and last bytes are all of them.
                let middle = count >> 1
                target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
                target.storeBytes(
                    of: source.load(fromByteOffset: middle, as: UInt8.self), toByteOffset: middle, as: UInt8.self)
                target.storeBytes(
                    of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1, as: UInt8.self)
            } else {
                target.copyMemory(from: source, byteCount: count)
            }
        }

        /// Adds the token at `position` with its accented and folded keys.
        package mutating func append(position: Int, accented: ArraySlice<UInt8>, folded: ArraySlice<UInt8>) {
            accented.withUnsafeBytes { accented in
                folded.withUnsafeBytes { folded in append(position: position, accented: accented, folded: folded) }
            }
        }

        /// The term whose bytes equal the first `length` bytes of the scratch buffer, if one was
        /// added before.
        @inline(__always)
        private func find(length: Int, hash: UInt64) -> UInt32? {
            field.termBytes.withUnsafeBytes { bytes in
                scratch.withUnsafeBytes { scratch in
                    guard let base = bytes.baseAddress, let key = scratch.baseAddress else { return nil }
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return nil }
                        let term = field.terms[Int(entry - 1)]
                        if term.hash == hash && Int(term.end - term.start) == length
                            && memcmp(base + Int(term.start), key, length) == 0
                        {
                            return entry - 1
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }

        private mutating func insert(_ term: UInt32, hash: UInt64) {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = term + 1
            if field.terms.count * 2 > slots.count { grow() }
        }

        private mutating func grow() {
            slots = [UInt32](repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for (index, term) in field.terms.enumerated() {
                var slot = Int(truncatingIfNeeded: term.hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = UInt32(index + 1)
            }
        }
    }
}
