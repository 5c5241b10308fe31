import Testing
import TraIndex
import TraTestSupport

/// ``ShortBytes/equal(_:_:count:)`` against element-wise comparison: every length up to 40 (the
/// word loop, its overlapping last word, the 4-byte and the 1-byte cases) and a difference at
/// every position, at every offset of an 8-byte alignment.
@Suite("ShortBytes")
struct ShortBytesTests {
    @Test func equalAgreesWithElementwiseComparison() {
        // Seeded, so that a failure repeats.
        var generator = SeededRandom(seed: 7)
        for count in 0...40 {
            for shift in 0..<8 {
                let bytes = (0..<(count + shift)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let same = Array(bytes[shift...])
                bytes.withUnsafeBytes { a in
                    same.withUnsafeBytes { b in
                        let start = a.baseAddress! + shift
                        #expect(ShortBytes.equal(start, b.baseAddress ?? start, count: count), "\(count) \(shift)")
                    }
                }
                for position in 0..<count {
                    var other = same
                    other[position] ^= UInt8(1) << UInt8(position % 8)
                    bytes.withUnsafeBytes { a in
                        other.withUnsafeBytes { b in
                            #expect(
                                !ShortBytes.equal(a.baseAddress! + shift, b.baseAddress!, count: count),
                                "length \(count), difference at \(position), shift \(shift)")
                        }
                    }
                }
            }
        }
    }
}
