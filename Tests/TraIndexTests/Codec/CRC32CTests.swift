import Testing
import TraIndex

@Suite("CRC32C")
struct CRC32CTests {
    /// Bit-at-a-time CRC-32C, the definition the table-driven code must agree with.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test("standard check value of 123456789")
    func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("empty input is 0, and leaves a seed unchanged")
    func empty() {
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum(UnsafeRawBufferPointer(start: nil, count: 0), seed: 0x1234_5678) == 0x1234_5678)
    }

    @Test("RFC 3720 B.4 test vectors")
    func iscsiVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test("agrees with the bit-at-a-time definition for every length and alignment")
    func matchesReference() {
        var random = CodecRandom(seed: 1)
        let bytes = random.bytes(300)
        bytes.withUnsafeBytes { all in
            for start in 0..<8 {
                for length in 0...(bytes.count - start) where length < 40 || length % 17 == 0 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == Self.reference(Array(slice)))
                }
            }
        }
    }

    @Test("seeding with a prefix's checksum gives the checksum of the concatenation")
    func incremental() {
        var random = CodecRandom(seed: 2)
        for _ in 0..<200 {
            let bytes = random.bytes(Int.random(in: 0...2_000, using: &random))
            let whole = CRC32C.checksum(bytes)
            var cuts = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                Int.random(in: 0...bytes.count, using: &random)
            }
            cuts.sort()
            var crc: UInt32 = 0
            var previous = 0
            bytes.withUnsafeBytes { raw in
                for cut in cuts + [bytes.count] {
                    crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[previous..<cut]), seed: crc)
                    previous = cut
                }
            }
            #expect(crc == whole)
        }
    }

    @Test("the table version agrees with the one in use (the crc32 instruction on x86_64) at every length")
    func tableAgreesWithHardware() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.tableChecksum($0) } == 0xE306_9283)
        // Every length up to past three rounds of the x86_64 code's three interleaved chains (the
        // chains joined at every round boundary), and a few long inputs.
        let round = 3 * 128
        var lengths = Array(0...(3 * round + 9))
        lengths += [16 * round - 1, 16 * round, 16 * round + 1, 65_536 + 5]
        var random = CodecRandom(seed: 3)
        for length in lengths {
            let bytes = random.bytes(length + 7)
            let seed = UInt32.random(in: 0...UInt32.max, using: &random)
            let start = Int.random(in: 0...7, using: &random)
            bytes.withUnsafeBytes { all in
                let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                #expect(CRC32C.tableChecksum(slice, seed: seed) == CRC32C.checksum(slice, seed: seed))
                if length <= 300 { #expect(CRC32C.tableChecksum(slice) == Self.reference(Array(slice))) }
            }
        }
        // All zeros and all ones, where a wrong join of the chains would show most plainly.
        for fill in [UInt8(0), 0xFF] {
            let bytes = [UInt8](repeating: fill, count: 5 * round + 3)
            bytes.withUnsafeBytes {
                #expect(CRC32C.checksum($0) == CRC32C.tableChecksum($0))
                let seed: UInt32 = 0xDEAD_BEEF
                #expect(CRC32C.checksum($0, seed: seed) == CRC32C.tableChecksum($0, seed: seed))
            }
        }
    }
}
