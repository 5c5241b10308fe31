/// A shift-based DFA for UTF-8 validation (Unicode Table 3-7): one table load, shift and mask per byte.
///
/// Each state is a bit offset (a multiple of 6) into the table's 64-bit rows, and `row[byte] >> state & 63`
/// is the next state. The error state is 0, so once reached it stays.
enum UTF8DFA {
    static let error: UInt64 = 0
    static let accept: UInt64 = 6
    static let tail1: UInt64 = 12
    static let tail2: UInt64 = 18
    static let tail3: UInt64 = 24
    static let afterE0: UInt64 = 30
    static let afterED: UInt64 = 36
    static let afterF0: UInt64 = 42
    static let afterF4: UInt64 = 48

    /// The 256 rows; built once, never freed, never written after.
    nonisolated(unsafe) static let table: UnsafePointer<UInt64> = {
        let rows = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        rows.initialize(repeating: 0, count: 256)
        func set(_ bytes: ClosedRange<UInt8>, from state: UInt64, to next: UInt64) {
            for byte in bytes { rows[Int(byte)] |= next << state }
        }
        set(0x00...0x7F, from: accept, to: accept)
        set(0xC2...0xDF, from: accept, to: tail1)
        set(0xE0...0xE0, from: accept, to: afterE0)
        set(0xE1...0xEC, from: accept, to: tail2)
        set(0xED...0xED, from: accept, to: afterED)
        set(0xEE...0xEF, from: accept, to: tail2)
        set(0xF0...0xF0, from: accept, to: afterF0)
        set(0xF1...0xF3, from: accept, to: tail3)
        set(0xF4...0xF4, from: accept, to: afterF4)
        set(0x80...0xBF, from: tail1, to: accept)
        set(0x80...0xBF, from: tail2, to: tail1)
        set(0x80...0xBF, from: tail3, to: tail2)
        set(0xA0...0xBF, from: afterE0, to: tail1)
        set(0x80...0x9F, from: afterED, to: tail1)
        set(0x90...0xBF, from: afterF0, to: tail2)
        set(0x80...0x8F, from: afterF4, to: tail2)
        return UnsafePointer(rows)
    }()

    @inline(__always)
    static func step(_ table: UnsafePointer<UInt64>, _ state: UInt64, _ byte: UInt8) -> UInt64 {
        table[Int(byte)] &>> state & 63
    }
}
