/// Counts adjacent positions through a bit set: the positions of the following list are set as
/// bits, then each position of the first list tests one bit, so that no step waits for the
/// comparison before it. The merges of ``SegmentSearch/adjacentCount(_:_:)`` and
/// ``SegmentSearch/inARowCount(_:_:_:)`` move an index by each comparison's outcome, one position
/// at a time, each step waiting for the last; measured on viwiki (`tra bench`, "việt nam", whose
/// proximity reads hundreds of positions per document), the bits take about half their time.
///
/// The same counts as the merges, for ascending lists, a position repeated in the first list
/// counting again. Positions are token ordinals within a field, below its length: a list whose
/// last position is above ``largestPosition`` goes to the merge instead, so that the bits stay
/// within 1 MiB. Owned by one ``SegmentSearch``, not thread-safe.
final class PositionBits {
    /// The largest position the bits take: two lists' bits, 2^22 each, fit in 1 MiB.
    static let largestPosition: UInt32 = 1 << 22

    /// Every word zero between two counts: a count clears what it set.
    private var words: UnsafeMutablePointer<UInt64>
    private var capacity: Int

    init() {
        capacity = 256
        words = .allocate(capacity: capacity)
        words.initialize(repeating: 0, count: capacity)
    }

    deinit { words.deallocate() }

    /// How many positions p of `first` have p + 1 in `second` (both ascending).
    func adjacentCount(_ first: [UInt32], _ second: [UInt32]) -> Int {
        guard let last = second.last, !first.isEmpty else { return 0 }
        guard last <= Self.largestPosition else { return SegmentSearch.adjacentCount(first, second) }
        let words = room(Int(last >> 6) + 1)
        return first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                Self.set(second, in: words)
                var count = 0
                for p in first {
                    // p + 1 beyond the last of `second`: so is every later one.
                    guard p < last else { break }
                    count &+= Self.bit(p &+ 1, of: words)
                }
                Self.clear(second, in: words)
                return count
            }
        }
    }

    /// How many positions p of `first` have p + 1 in `second` and p + 2 in `third` (all three
    /// ascending).
    func inARowCount(_ first: [UInt32], _ second: [UInt32], _ third: [UInt32]) -> Int {
        guard let lastSecond = second.last, let lastThird = third.last, lastThird > 0, !first.isEmpty else { return 0 }
        guard lastSecond <= Self.largestPosition, lastThird <= Self.largestPosition else {
            return SegmentSearch.inARowCount(first, second, third)
        }
        let secondWords = Int(lastSecond >> 6) + 1
        let words = room(secondWords + Int(lastThird >> 6) + 1)
        let thirdWords = words + secondWords
        // p + 1 must be at most the last of `second`, p + 2 at most the last of `third`.
        let end = min(lastSecond, lastThird - 1)
        return first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                third.withUnsafeBufferPointer { third in
                    Self.set(second, in: words)
                    Self.set(third, in: thirdWords)
                    var count = 0
                    for p in first {
                        guard p < end else { break }
                        count &+= Self.bit(p &+ 1, of: words) & Self.bit(p &+ 2, of: thirdWords)
                    }
                    Self.clear(second, in: words)
                    Self.clear(third, in: thirdWords)
                    return count
                }
            }
        }
    }

    /// The first `count` words, zero, growing the storage when it is shorter.
    private func room(_ count: Int) -> UnsafeMutablePointer<UInt64> {
        if count > capacity {
            words.deallocate()
            capacity = max(count, capacity * 2)
            words = .allocate(capacity: capacity)
            words.initialize(repeating: 0, count: capacity)
        }
        return words
    }

    /// Sets the bit of each of `positions` (ascending). Each word is built in a register and stored
    /// whole at every position: the words are zero, and those of one word come together.
    @inline(__always)
    private static func set(_ positions: UnsafeBufferPointer<UInt32>, in words: UnsafeMutablePointer<UInt64>) {
        var previous = -1
        var word: UInt64 = 0
        for position in positions {
            let w = Int(position &>> 6)
            word = (w == previous ? word : 0) | 1 &<< UInt64(position & 63)
            words[w] = word
            previous = w
        }
    }

    @inline(__always)
    private static func clear(_ positions: UnsafeBufferPointer<UInt32>, in words: UnsafeMutablePointer<UInt64>) {
        for position in positions { words[Int(position &>> 6)] = 0 }
    }

    @inline(__always)
    private static func bit(_ position: UInt32, of words: UnsafeMutablePointer<UInt64>) -> Int {
        Int(truncatingIfNeeded: words[Int(position &>> 6)] &>> UInt64(position & 63) & 1)
    }
}
