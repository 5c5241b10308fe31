import TraTestSupport

/// The codec tests' deterministic generator.
typealias CodecRandom = SeededRandom

/// Calls `body` with a copy of `bytes` in a heap block of exactly `bytes.count` bytes, so that an
/// address sanitizer run flags any read past the end.
func withExactBuffer<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { buffer.deallocate() }
    buffer.copyBytes(from: bytes)
    return try body(UnsafeRawBufferPointer(buffer))
}
