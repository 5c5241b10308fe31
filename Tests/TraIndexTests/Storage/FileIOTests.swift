import Foundation
import Testing

@testable import TraIndex

/// FileIO writes the bytes of its pieces, in order and nothing else, whichever way it takes: past
/// the page cache for a file of a megabyte or more (where the file system allows it), through it
/// otherwise.
@Suite("FileIO: durable writes")
struct FileIOTests {
    /// Pieces of awkward sizes (empty, one byte, across the direct writer's 4 MB chunks and 4 KB
    /// alignment), filled with a pattern that shows any byte moved or dropped.
    static func pieces(_ sizes: [Int]) -> [[UInt8]] {
        var seed: UInt32 = 7
        return sizes.map { size in
            (0..<size).map { _ in
                seed = seed &* 1_103_515_245 &+ 12_345
                return UInt8(truncatingIfNeeded: seed >> 16)
            }
        }
    }

    static func contents(_ path: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: path)))
    }

    /// Runs `body` with the path of a file in a new folder, removed after.
    static func withFilePath(_ body: (String) throws -> Void) throws {
        let directory = IndexTestSupport.temporaryDirectory()
        try FileIO.createDirectory(directory)
        defer { IndexTestSupport.remove(directory) }
        try body(directory + "/file")
    }

    @Test(arguments: [
        [0, 1, FileIO.directMinimum],  // the smallest file written past the page cache
        [4 << 20],  // one whole chunk
        [1, (4 << 20) - 1, 4_096, 4_095, 0, (8 << 20) + 3],  // chunks and alignment crossed
        [FileIO.directMinimum - 1],  // through the page cache
    ])
    func theFileHoldsThePiecesInOrder(sizes: [Int]) throws {
        try Self.withFilePath { path in
            let pieces = Self.pieces(sizes)
            try FileIO.writeDurably(pieces: pieces, to: path)
            #expect(try Self.contents(path) == pieces.flatMap { $0 })
            // Written again over it, shorter: nothing of the first file is left.
            let shorter = Self.pieces([sizes.reduce(0, +) / 3])
            try FileIO.writeDurably(pieces: shorter, to: path)
            #expect(try Self.contents(path) == shorter[0])
        }
    }

    #if os(Linux) && (arch(x86_64) || arch(arm64))
        /// The direct writer alone: the file it leaves is the pieces exactly (its zero padding cut
        /// off), or, where the file system refuses direct I/O, no file at all.
        @Test(arguments: [[1], [4_096], [3, 5_000, (4 << 20) + 1]])
        func theDirectWriterLeavesThePiecesOrNothing(sizes: [Int]) throws {
            try Self.withFilePath { path in
                let pieces = Self.pieces(sizes)
                if try FileIO.writeDirect(pieces, total: sizes.reduce(0, +), to: path) {
                    #expect(try Self.contents(path) == pieces.flatMap { $0 })
                } else {
                    #expect(!FileIO.exists(path))
                }
            }
        }
    #endif

    @Test func aFileInAMissingFolderIsAnIOErrorNamingIt() throws {
        let path = IndexTestSupport.temporaryDirectory() + "/missing/file"
        for size in [10, FileIO.directMinimum] {
            let error = #expect(throws: IndexError.self) {
                try FileIO.writeDurably(pieces: Self.pieces([size]), to: path)
            }
            #expect(error?.code == .io)
            #expect(error?.message.contains(path) == true)
        }
    }
}
