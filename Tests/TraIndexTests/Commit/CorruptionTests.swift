import Foundation
import Testing
import TraIndex

/// Damaged files are detected with a typed error naming the file; nothing traps.
@Suite("Corruption detection")
struct CorruptionTests {
    private func makeIndex() throws -> String {
        let directory = IndexTestSupport.temporaryDirectory()
        let writer = try IndexWriter(directory: directory, analyzer: IndexTestSupport.analyzer, mode: .create)
        for doc in 0..<300 {
            try writer.add(
                IndexTestSupport.document("d\(doc)", title: "t\(doc % 5)", body: ["việt", "nam", "w\(doc % 13)"]))
        }
        try writer.delete(id: "d7")
        try writer.commit()
        return directory
    }

    private func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "lock" }.sorted()
    }

    @Test func flippedBytesAreDetectedByVerify() throws {
        let directory = try makeIndex()
        defer { IndexTestSupport.remove(directory) }
        var generator = SeededGenerator(seed: 42)
        var trials = 0
        var detected = 0
        for name in try files(directory) {
            let path = directory + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            for _ in 0..<40 {
                var damaged = original
                let offset = Int.random(in: 0..<damaged.count, using: &generator)
                damaged[offset] ^= UInt8.random(in: 1...255, using: &generator)
                try damaged.write(to: URL(fileURLWithPath: path))
                trials += 1
                do {
                    _ = try IndexVerifier.verify(directory: directory)
                } catch {
                    detected += 1
                    #expect(error.description.contains(name), "the error names the file: \(error)")
                }
            }
            try original.write(to: URL(fileURLWithPath: path))
        }
        #expect(detected == trials, "\(detected) of \(trials) single-byte corruptions detected")
        _ = try IndexVerifier.verify(directory: directory)
    }

    @Test func truncatedFilesAreDetected() throws {
        let directory = try makeIndex()
        defer { IndexTestSupport.remove(directory) }
        var generator = SeededGenerator(seed: 7)
        for name in try files(directory) {
            let path = directory + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            for _ in 0..<20 {
                let length = Int.random(in: 0..<original.count, using: &generator)
                try original.prefix(length).write(to: URL(fileURLWithPath: path))
                #expect(throws: IndexError.self, "\(name) cut to \(length) bytes") {
                    _ = try IndexVerifier.verify(directory: directory)
                }
            }
            try original.write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func versionTooNewAndTooOld() throws {
        let directory = try makeIndex()
        defer { IndexTestSupport.remove(directory) }
        let manifest = directory + "/manifest"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        // Rewrite the manifest with another version and a correct checksum.
        for (version, code) in [(999, IndexError.Code.tooNew), (0, .tooOld)] {
            var lines = text.split(separator: "\n").dropLast().map(String.init)
            lines[0] = "tra-manifest \(version)"
            let body = Array((lines.joined(separator: "\n") + "\n").utf8)
            let crc = body.withUnsafeBytes { CRC32C.checksum($0) }
            try Data(body + Array("crc32c \(String(crc, radix: 16))\n".utf8)).write(to: URL(fileURLWithPath: manifest))
            let error = #expect(throws: IndexError.self) { _ = try IndexSnapshot(directory: directory, analyzer: nil) }
            #expect(error?.code == code)
        }
    }
}
