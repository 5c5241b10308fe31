/// Versions of the on-disk format (see IndexFormat.md beside this folder).
///
/// Bump ``current`` for any change of bytes on disk, describe it in the History section of
/// IndexFormat.md and add a golden fixture index of the new version; raise
/// ``oldestSupported`` only when the readers drop an old layout.
package enum FormatVersion {
    /// The version this build writes.
    package static let current: UInt32 = 7
    /// The oldest version this build reads.
    package static let oldestSupported: UInt32 = 1
    /// The first version whose POSTINGS, POSITIONS, STORED and PAIRS blocks carry their own
    /// CRC32C, checked by readers the first time they decode a block.
    package static let blockChecksums: UInt32 = 3
    /// The first version whose PAIRS section holds 32-bit keys in Rice and gamma codes.
    package static let bitCodedPairs: UInt32 = 4
    /// The first version whose POSITIONS chunks hold exponential-Golomb codes instead of varints.
    package static let bitCodedPositions: UInt32 = 5
    /// The first version whose terms with a full postings block carry a frontier of their own
    /// ahead of their blocks (per-term score bounds without reading every block header).
    package static let termFrontiers: UInt32 = 6
    /// The first version whose pairs of consecutive tokens are keyed by the tokens' own hashes
    /// (section TOKEN PAIRS, ``PairKey/tokenKey(leftHash:rightHash:)``); PAIRS, keyed by the hash
    /// of both keys, stays only where a merge took in the pairs of an older segment.
    package static let tokenPairKeys: UInt32 = 7

    /// Checks a version read from `file`; throws `.tooOld` or `.tooNew` with a remedy.
    package static func check(_ version: UInt32, file: String, offset: Int) throws(IndexError) {
        if version > current {
            throw IndexError(
                .tooNew,
                "format version \(version) is newer than this tra supports (\(oldestSupported)...\(current)); "
                    + "upgrade tra", file: file, offset: offset)
        }
        if version < oldestSupported {
            throw IndexError(
                .tooOld,
                "format version \(version) is older than this tra supports (\(oldestSupported)...\(current)); "
                    + "rebuild the index with 'tra index'", file: file, offset: offset)
        }
    }
}
