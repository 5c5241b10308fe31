import CICU

/// UTF-16 transforms of ICU (normalization, case mapping), for the rare text the tables do not cover.
///
/// These are called per token, never on a whole document.
package enum ICUText {
    /// Unicode Normalization Form C.
    package static func nfc(_ units: [UInt16]) throws(ICUError) -> [UInt16] {
        try transform(units, "unorm2_normalize(NFC)") { tra_nfc($0, $1, $2, $3, $4) }
    }

    /// Unicode Normalization Form D.
    package static func nfd(_ units: [UInt16]) throws(ICUError) -> [UInt16] {
        try transform(units, "unorm2_normalize(NFD)") { tra_nfd($0, $1, $2, $3, $4) }
    }

    /// Full lower-case mapping in the root locale.
    package static func lowercased(_ units: [UInt16]) throws(ICUError) -> [UInt16] {
        try transform(units, "u_strToLower") { tra_to_lower($0, $1, $2, $3, $4) }
    }

    /// The general category of the scalar (ICU `UCharCategory`: 1-5 letters, 6 Mn, 9 Nd, ...).
    package static func category(_ scalar: UInt32) -> Int32 {
        tra_char_type(Int32(bitPattern: scalar))
    }

    /// Whether the scalar has the Unicode White_Space property.
    package static func isWhiteSpace(_ scalar: UInt32) -> Bool {
        tra_is_white_space(Int32(bitPattern: scalar)) != 0
    }

    private typealias Function = (
        UnsafePointer<UInt16>, Int32, UnsafeMutablePointer<UInt16>?, Int32, UnsafeMutablePointer<Int32>
    ) -> Int32

    private static func transform(_ units: [UInt16], _ name: String, _ function: Function) throws(ICUError)
        -> [UInt16]
    {
        if units.isEmpty { return [] }
        var capacity = units.count * 2 + 8
        while true {
            var output = [UInt16](repeating: 0, count: capacity)
            var status: Int32 = 0
            let needed = units.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target -> Int32 in
                    // Both buffers are non-empty here, so their base addresses exist.
                    guard let sourceBase = source.baseAddress else { return 0 }
                    return function(sourceBase, Int32(source.count), target.baseAddress, Int32(capacity), &status)
                }
            }
            // U_BUFFER_OVERFLOW_ERROR (15): grow to the size ICU asked for and run again.
            if status == 15 && Int(needed) > capacity {
                capacity = Int(needed)
                continue
            }
            try ICUError.check(status, name)
            output.removeSubrange(Int(needed)...)
            return output
        }
    }
}
