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
        /// The field so far. Until ``finish()``, its ``AnalyzedField/termBytes`` may end in zeros
        /// past its last term (room for the next ones), which its terms' offsets never reach.
        package private(set) var field: AnalyzedField
        /// Slots hold term index + 1; 0 is empty.
        private var slots: [UInt32]
        private var mask: Int
        /// The previous token, when its term is indexed: its position and the probe hash of its
        /// accented key (for the pair it makes with the next token, ``PairKey/tokenKey(leftHash:rightHash:)``).
        private var previous: (position: Int, probe: UInt64)? = nil
        /// The bytes of ``AnalyzedField/termBytes`` that hold terms: it grows ahead of them, in
        /// zeros, and is cut to them when the field is finished (``finish()``).
        private var termBytesUsed = 0

        package init(field: IndexedField, tokens: Int = 0) {
            self.field = AnalyzedField(field: field, termBytes: [], terms: [], tokens: [], length: 0, pairKeys: [])
            self.field.tokens.reserveCapacity(tokens)
            self.field.pairKeys.reserveCapacity(tokens)
            slots = [UInt32](repeating: 0, count: 64)
            mask = 63
        }

        /// The field, its postings coded (``AnalyzedField/encodePostings()``).
        package mutating func finish() -> AnalyzedField {
            field.termBytes.removeLast(field.termBytes.count - termBytesUsed)
            field.encodePostings()
            return field
        }

        /// Reserves room for `count` tokens in all (not more: a repeated call does not grow).
        package mutating func reserveTokens(_ count: Int) {
            if count > field.tokens.capacity { field.tokens.reserveCapacity(count) }
            if count > field.pairKeys.capacity { field.pairKeys.reserveCapacity(count) }
            // A slot per token, up to 2^16 (256 KB): a field has fewer distinct terms than half its
            // tokens, so its table is then made once instead of doubled (every term rehashed) from
            // 64 slots on; past that, the table grows as terms come.
            let wanted = min(max(count, 64), 1 << 16)
            if wanted > slots.count { resize(to: 1 << (Int.bitWidth - (wanted - 1).leadingZeroBitCount)) }
        }

        /// Adds the token at `position` with its accented and folded keys, given as raw bytes.
        /// Positions must increase strictly from token to token (they are token ordinals: the
        /// index codes each as its distance from the previous one, less 1).
        ///
        /// - Complexity: O(key length) expected.
        @inline(__always)
        package mutating func append(position: Int, accented: UnsafeRawBufferPointer, folded: UnsafeRawBufferPointer) {
            let (term, pair) = intern(position: position, accented: accented, folded: folded)
            field.tokens.append(Token(position: UInt32(truncatingIfNeeded: position), term: term))
            if let pair { field.pairKeys.append(pair) }
        }

        /// Adds `count` tokens, `token(i)` giving the `i`-th one's position and keys: what `count`
        /// calls of ``append(position:accented:folded:)`` add, with the token and pair arrays grown
        /// once and filled through pointers (an append per token checked each array's uniqueness
        /// and room every time).
        @inline(__always)
        package mutating func append(
            count: Int,
            _ token: (Int) -> (position: Int, accented: UnsafeRawBufferPointer, folded: UnsafeRawBufferPointer)
        ) {
            guard count > 0 else { return }
            // Taken out while they are filled, so that interning (which reads and writes the rest of
            // the field) does not overlap the accesses to them.
            var tokens = field.tokens
            var pairKeys = field.pairKeys
            field.tokens = []
            field.pairKeys = []
            let tokenStart = tokens.count
            var pairEnd = pairKeys.count
            tokens.append(contentsOf: repeatElement(Token(position: 0, term: 0), count: count))
            pairKeys.append(contentsOf: repeatElement(0, count: count))
            tokens.withUnsafeMutableBufferPointer { tokens in
                pairKeys.withUnsafeMutableBufferPointer { pairKeys in
                    for i in 0..<count {
                        let (position, accented, folded) = token(i)
                        let (term, pair) = intern(position: position, accented: accented, folded: folded)
                        tokens[tokenStart + i] = Token(position: UInt32(truncatingIfNeeded: position), term: term)
                        if let pair {
                            pairKeys[pairEnd] = pair
                            pairEnd += 1
                        }
                    }
                }
            }
            pairKeys.removeLast(pairKeys.count - pairEnd)
            field.tokens = tokens
            field.pairKeys = pairKeys
        }

        /// The term of a token (added to the field's terms when new), counted in the field's
        /// length, and the pair key it makes with the previous token when both are indexed and
        /// next to each other.
        @inline(__always)
        private mutating func intern(
            position: Int, accented: UnsafeRawBufferPointer, folded: UnsafeRawBufferPointer
        ) -> (term: UInt32, pair: UInt32?) {
            // A term met before (most tokens) is found from the keys where they are; only a new
            // one is laid out in termBytes.
            let fieldByte = field.field.rawValue
            // The table's own hash is of the accented key alone (cheaper than the term's, and only
            // for its probes: equal keys are found by comparing both); the term's
            // ``Term/hash``, which the segment's table takes, is computed once per new term.
            let probe = Self.probeHash(accented)
            let term: UInt32
            if let found = find(folded: folded, accented: accented, hash: probe) {
                term = found
            } else {
                let hash = TermTable.hash(field: fieldByte, folded: folded, accented: accented)
                let start = termBytesUsed
                let length = folded.count + accented.count + 2
                // Written in place into zeros appended ahead, many terms' worth at a time: an
                // append per term (of the bytes laid out on the stack) cost about 115 instructions.
                if field.termBytes.count - start < length {
                    field.termBytes.append(
                        contentsOf: repeatElement(0, count: max(length, field.termBytes.count, 256)))
                }
                field.termBytes.withUnsafeMutableBytes { bytes in
                    guard let target = bytes.baseAddress.map({ $0 + start }) else { return }
                    target.storeBytes(of: fieldByte, as: UInt8.self)
                    if let source = folded.baseAddress {
                        (target + 1).copyMemory(from: source, byteCount: folded.count)
                    }
                    (target + folded.count + 1).storeBytes(of: 0, as: UInt8.self)
                    if let source = accented.baseAddress {
                        (target + folded.count + 2).copyMemory(from: source, byteCount: accented.count)
                    }
                }
                termBytesUsed += length
                term = UInt32(field.terms.count)
                field.terms.append(
                    Term(
                        start: UInt32(truncatingIfNeeded: start),
                        foldedEnd: UInt32(truncatingIfNeeded: start + folded.count + 1),
                        end: UInt32(truncatingIfNeeded: start + length), hash: hash))
                insert(term, hash: probe)
            }
            field.length += 1
            // The pair with the previous token, when both are indexed and next to each other.
            let current = field.terms[Int(term)]
            guard current.isIndexed else {
                previous = nil
                return (term, nil)
            }
            var pair: UInt32? = nil
            if let previous, previous.position &+ 1 == position {
                // Keyed by the two tokens' probe hashes (format version 7): no second hash.
                pair = UInt32(truncatingIfNeeded: PairKey.tokenKey(leftHash: previous.probe, rightHash: probe))
            }
            previous = (position, probe)
            return (term, pair)
        }

        /// Adds the token at `position` with its accented and folded keys.
        package mutating func append(position: Int, accented: ArraySlice<UInt8>, folded: ArraySlice<UInt8>) {
            accented.withUnsafeBytes { accented in
                folded.withUnsafeBytes { folded in append(position: position, accented: accented, folded: folded) }
            }
        }

        /// The term with these keys, if one was added before.
        @inline(__always)
        private func find(folded: UnsafeRawBufferPointer, accented: UnsafeRawBufferPointer, hash: UInt64) -> UInt32? {
            field.termBytes.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return nil }
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    let term = field.terms[Int(entry - 1)]
                    if Int(term.foldedEnd - term.start) == folded.count + 1
                        && Int(term.end - term.foldedEnd) == accented.count + 1
                        && Self.equal(base + Int(term.start) + 1, folded)
                        && Self.equal(base + Int(term.foldedEnd) + 1, accented)
                    {
                        return entry - 1
                    }
                    slot = (slot + 1) & mask
                }
            }
        }

        /// Whether the `key.count` bytes at `bytes` are those of `key`.
        @inline(__always)
        private static func equal(_ bytes: UnsafeRawPointer, _ key: UnsafeRawBufferPointer) -> Bool {
            guard let source = key.baseAddress else { return true }
            return ShortBytes.equal(bytes, source, count: key.count)
        }

        private mutating func insert(_ term: UInt32, hash: UInt64) {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = term + 1
            if field.terms.count * 2 > slots.count { resize(to: slots.count * 2) }
        }

        /// Makes the table `size` slots (a power of two) and puts every term in it again.
        private mutating func resize(to size: Int) {
            slots = [UInt32](repeating: 0, count: size)
            mask = slots.count - 1
            field.termBytes.withUnsafeBytes { bytes in
                for (index, term) in field.terms.enumerated() {
                    let accented = UnsafeRawBufferPointer(rebasing: bytes[Int(term.foldedEnd) + 1..<Int(term.end)])
                    var slot = Int(truncatingIfNeeded: Self.probeHash(accented)) & mask
                    while slots[slot] != 0 { slot = (slot + 1) & mask }
                    slots[slot] = UInt32(index + 1)
                }
            }
        }

        /// The hash the table probes with: of a term's accented key alone.
        @inline(__always)
        private static func probeHash(_ accented: UnsafeRawBufferPointer) -> UInt64 { TermTable.hash(accented) }
    }
}
