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

    /// Bytes of memory the table holds (for the indexing RAM budget).
    package var memoryFootprint: Int { arena.capacity + starts.capacity * 8 + hashes.capacity * 8 + slots.count * 4 }

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

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id]
        let length = starts[id + 1] - start
        guard length == key.count else { return false }
        return arena.withUnsafeBytes { arena in
            guard let base = arena.baseAddress, let other = key.baseAddress else { return length == 0 }
            return memcmp(base + start, other, length) == 0
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

    /// 64-bit FNV-1a over 8-byte words, then a final avalanche (fast enough for short keys,
    /// well distributed for the open-addressing probe).
    @inline(__always)
    package static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let count = key.count
        while i + 8 <= count {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < count {
            h = (h ^ UInt64(key[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
