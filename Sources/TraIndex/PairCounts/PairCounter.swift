/// Counts pairs of consecutive tokens while a segment is built, by term id: an open-addressing
/// hash table from `left << 32 | right` (two variant term ids) to a count. One probe per token,
/// no allocation but the table's growth.
package struct PairCounter {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var counts: [UInt32]
    private var mask: Int
    package private(set) var count = 0

    package init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        counts = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Bytes held (for the indexing RAM budget).
    package var memoryFootprint: Int { keys.count * 12 }

    /// Counts one occurrence of the pair (`left`, `right`).
    @inline(__always)
    package mutating func add(_ left: UInt32, _ right: UInt32) {
        let key = UInt64(left) << 32 | UInt64(right)
        var slot = Self.slot(key) & mask
        while true {
            let found = keys[slot]
            if found == key {
                counts[slot] &+= 1
                return
            }
            if found == Self.empty { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        counts[slot] = 1
        count += 1
        if count * 2 > keys.count { grow() }
    }

    /// Every pair counted, in no particular order.
    package func forEach(_ body: (_ left: UInt32, _ right: UInt32, _ count: UInt32) -> Void) {
        for slot in keys.indices where keys[slot] != Self.empty {
            body(UInt32(truncatingIfNeeded: keys[slot] >> 32), UInt32(truncatingIfNeeded: keys[slot]), counts[slot])
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldCounts = counts
        keys = [UInt64](repeating: Self.empty, count: oldKeys.count * 2)
        counts = [UInt32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for index in oldKeys.indices where oldKeys[index] != Self.empty {
            var slot = Self.slot(oldKeys[index]) & mask
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            counts[slot] = oldCounts[index]
        }
    }
}
