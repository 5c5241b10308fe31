// libFuzzer target: the LZ4 block codec. Compresses the input at every level, checks the size
// bound, decompresses and compares; then decodes the input itself as a block (a corrupt one must
// be refused, not read or written out of bounds). The input is copied to an exactly sized buffer
// first, so that AddressSanitizer flags any read past its end by a match finder.
import TraIndex

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLZ4(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
    defer { exact.deallocate() }
    exact.copyMemory(from: UnsafeRawBufferPointer(start: data, count: size))
    for level in LZ4Block.Level.allCases {
        var compressed: [UInt8] = []
        LZ4Block.compress(UnsafeRawBufferPointer(exact), level: level, into: &compressed)
        precondition(compressed.count <= LZ4Block.maxCompressedSize(size), "\(level): over the bound")
        var restored: [UInt8] = []
        let ok = compressed.withUnsafeBytes {
            LZ4Block.decompress($0, decompressedSize: size, into: &restored)
        }
        precondition(ok && restored == input, "\(level): the block does not decode to the input")
    }
    for expected in [size, 4 * size + 16] {
        var decoded: [UInt8] = []
        _ = LZ4Block.decompress(UnsafeRawBufferPointer(exact), decompressedSize: expected, into: &decoded)
    }
    return 0
}
