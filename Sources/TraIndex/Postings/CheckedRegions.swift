import Synchronization

/// The regions of one mapped segment file whose CRC32C a search has already found right, so that
/// later searches in the same process read them without computing it again.
///
/// A search reads the same blocks query after query (the long lists of common syllables), and
/// checked each block's positions and data every time (perf samples of `tra bench` on the
/// Vietnamese Wikipedia sample: CRC32C took 5 % of the time of 2-3 syllable queries and 7 % of
/// questions'; under callgrind's cache model, a fifth of the questions' first-level data misses,
/// as a block's positions are checked whole where one document's are read). A segment file
/// never changes once written and is mapped for the reader's lifetime, so a region that matched
/// its checksum once still does. Only regions of at least ``minimumLength`` bytes are remembered
/// (a block header is short and cheap to check), and only for searches: `tra verify` and merges
/// read every checksum again.
///
/// One bit per 64-byte granule of the file, at the granule where a region starts: checked regions
/// never overlap, so two of 64 bytes or more never start in the same granule (the second starts
/// at least 64 bytes after the first). The bits only ever go from 0 to 1, with relaxed atomic
/// operations: readers on any number of threads may set and test them at once.
package final class CheckedRegions: @unchecked Sendable {
    /// The shortest region remembered, in bytes.
    package static let minimumLength = 64
    fileprivate static let granuleShift = 6

    private let words: UnsafeMutablePointer<Atomic<UInt64>>
    private let wordCount: Int

    /// Room for the regions of a file of `fileSize` bytes (one bit per 64 bytes: 2 KB per MB).
    package init(fileSize: Int) {
        wordCount = max(1, (max(fileSize, 0) >> Self.granuleShift + 63) / 64)
        words = .allocate(capacity: wordCount)
        for i in 0..<wordCount { (words + i).initialize(to: Atomic(0)) }
    }

    deinit {
        words.deinitialize(count: wordCount)
        words.deallocate()
    }

    /// Whether the region starting at `offset` of the file (at least ``minimumLength`` bytes)
    /// was remembered as checked.
    package func contains(_ offset: Int) -> Bool { view.contains(offset) }

    /// Remembers the region starting at `offset` of the file (at least ``minimumLength`` bytes)
    /// as checked.
    package func insert(_ offset: Int) { view.insert(offset) }

    /// The bits without a reference to their owner, for cursors (no reference counting per
    /// cursor); valid while this object lives.
    package var view: View { View(words: words, wordCount: wordCount) }

    /// ``CheckedRegions`` seen through a pointer.
    package struct View {
        fileprivate let words: UnsafeMutablePointer<Atomic<UInt64>>
        fileprivate let wordCount: Int

        @inline(__always)
        package func contains(_ offset: Int) -> Bool {
            let granule = offset >> CheckedRegions.granuleShift
            guard offset >= 0, granule >> 6 < wordCount else { return false }
            return words[granule >> 6].load(ordering: .relaxed) & (1 << UInt64(granule & 63)) != 0
        }

        @inline(__always)
        package func insert(_ offset: Int) {
            let granule = offset >> CheckedRegions.granuleShift
            guard offset >= 0, granule >> 6 < wordCount else { return }
            words[granule >> 6].bitwiseOr(1 << UInt64(granule & 63), ordering: .relaxed)
        }
    }
}
