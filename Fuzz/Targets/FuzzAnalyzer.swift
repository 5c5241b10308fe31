// libFuzzer target: the Vietnamese analyzer on arbitrary (valid) text. Differential: the
// table-driven fast path must give exactly the tokens of the ICU reference path, and every
// token's byte range must lie inside the text, in order.
@_spi(Reference) import TraTokenizer

private let analyzer: Analyzer = {
    do { return try Analyzer() } catch { fatalError("cannot create the analyzer: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnalyzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    var fast = TokenBuffer()
    var reference = TokenBuffer()
    text.withUTF8 { bytes in
        do {
            try analyzer.analyze(bytes, into: &fast)
            try analyzer.analyzeWithICU(bytes, into: &reference)
        } catch {
            fatalError("ICU failed: \(error)")
        }
    }
    precondition(
        fast.spans == reference.spans && fast.keyBytes == reference.keyBytes,
        "fast path and ICU disagree on \(text.debugDescription)")
    var end = 0
    for span in fast.spans {
        precondition(span.start >= end && span.start < span.end && span.end <= text.utf8.count, "bad range \(span)")
        end = span.end
    }
    return 0
}
