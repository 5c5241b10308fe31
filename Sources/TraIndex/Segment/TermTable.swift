/// Interns terms (byte strings) while a segment is built: an open-addressing hash table whose keys
/// live in one byte arena, so indexing never allocates per term or per token.
///
/// Term ids are dense (0, 1, 2, ... in first-seen order).
package struct TermTable {
    /// All term bytes, back to back.
    package private(set) var arena: [UInt8] = []
    /// `arena[starts[id]..<starts[id + 1]]` are the bytes of term `id`.
    package private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Slots hold term id + 1; 0 is empty.
    private var slots: [UInt32]
    private var mask: Int

    package init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    package var count: Int { starts.count - 1 }

    /// Bytes of memory the table holds (for the indexing RAM budget), its growing arrays counted
    /// by ``ArrayRoom`` (the same from run to run).
    package var memoryFootprint: Int {
        ArrayRoom.of(arena.count) + ArrayRoom.of(starts.count) * 8 + ArrayRoom.of(hashes.count) * 8 + slots.count * 4
    }

    /// The bytes of term `id`.
    package func term(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    /// The id of `key`, adding it if new.
    ///
    /// - Complexity: O(key length) expected.
    @inline(__always)
    package mutating func intern(_ key: UnsafeRawBufferPointer) -> UInt32 {
        intern(key, hash: Self.hash(key))
    }

    /// The id of `key`, whose ``hash(_:)`` the caller computed, adding it if new.
    @inline(__always)
    package mutating func intern(_ key: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash && equals(id, key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
        let id = UInt32(count)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        hashes.append(hash)
        slots[slot] = id + 1
        if count * 2 > slots.count { grow() }
        return id
    }

    /// What ``intern(_:hash:)`` of a key with `hash` reads first, read ahead of it: the key's first
    /// probe slot (`level` 0), or the stored hash and the start offset of the term found there
    /// (`level` 1, once the slot is cached). For a term not met lately each is a cache miss,
    /// and a probe waits for one before it can start the next; reading a whole batch of keys at
    /// one level, then at the next, has the misses of the batch overlap. Returns a value made of
    /// what it read, for the caller to keep (so that the reads are not optimized away).
    @inline(__always)
    package func warm(_ hash: UInt64, level: Int) -> UInt64 {
        slots.withUnsafeBufferPointer { slots in
            let entry = slots[Int(truncatingIfNeeded: hash) & mask]
            guard level > 0, entry != 0 else { return UInt64(entry) }
            let id = Int(entry - 1)
            return hashes.withUnsafeBufferPointer { hashes in
                starts.withUnsafeBufferPointer { starts in hashes[id] &+ UInt64(bitPattern: Int64(starts[id])) }
            }
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id]
        let length = starts[id + 1] - start
        guard length == key.count else { return false }
        return arena.withUnsafeBytes { arena in
            guard let base = arena.baseAddress, let other = key.baseAddress else { return length == 0 }
            return ShortBytes.equal(base + start, other, count: length)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(id + 1)
        }
    }

    /// The hash of a key, for the open-addressing probes of the tables that intern terms while a
    /// segment is built: ``TokenHash/hash(_:)``, which format version 7 also keys the pairs of
    /// consecutive tokens with (``PairKey/tokenKey(_:_:)``), so a token's probe hash serves both.
    @inline(__always)
    package static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 { TokenHash.hash(key) }

    /// The hash of the variant term `field`, `folded`, 0x00, `accented` (see ``AnalyzedField``),
    /// read from its parts where they are: laying the term out in a buffer to hash it stalled
    /// every load of a word that spans several of the stores just made. It is not
    /// ``hash(_:)`` of the term's bytes, so a table must intern every variant term with this one;
    /// a variant term never equals a folded term (field, folded key), as folded keys hold no 0x00.
    @inline(__always)
    package static func hash(field: UInt8, folded: UnsafeRawBufferPointer, accented: UnsafeRawBufferPointer) -> UInt64 {
        let seed =
            UInt64(field) | UInt64(truncatingIfNeeded: folded.count) &<< 8
            | UInt64(truncatingIfNeeded: accented.count) &<< 32
        return TokenHash.finish(
            TokenHash.absorb(TokenHash.absorb(0x9E37_79B9_7F4A_7C15 &* (seed &+ 1), folded), accented))
    }
}
