import CICU

/// An error reported by the system ICU library.
///
/// ICU reports failures as a `UErrorCode`; this type keeps the code and its symbolic name and says
/// which operation failed. The remedy is almost always the installation: tra needs the system ICU
/// (Debian/Ubuntu: `apt-get install libicu-dev`).
public struct ICUError: Error, CustomStringConvertible, Sendable {
    /// The raw `UErrorCode` (positive values are errors).
    public let code: Int32
    /// The ICU operation that failed, such as "ubrk_open".
    public let operation: String

    package init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// ICU's own name for the code, such as "U_MISSING_RESOURCE_ERROR".
    public var name: String { String(cString: tra_error_name(code)) }

    public var description: String {
        "ICU \(operation) failed with \(name) (\(code)); check that the system ICU data is installed (libicu-dev)"
    }

    /// Throws when `status` is an ICU error; ICU warnings (negative values) pass.
    @inline(__always)
    package static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(ICUError) {
        if status > 0 { throw ICUError(code: status, operation: operation()) }
    }
}

/// Facts about the ICU library tra runs on.
public enum ICU {
    /// The ICU version in use, such as "72.1".
    public static var version: String {
        var buffer = [CChar](repeating: 0, count: 32)
        tra_icu_version(&buffer, Int32(buffer.count))
        // Up to the terminating NUL (the buffer is zeroed, so there is one).
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
