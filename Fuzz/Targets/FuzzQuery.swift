// libFuzzer target: the query language. Parses the input (lossily decoded, as the CLI does with
// its argument) and analyzes every clause's text; must never crash or hang.
import TraRanking
import TraTokenizer

private let analyzer: Analyzer = {
    do { return try Analyzer() } catch { fatalError("cannot create the analyzer: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    for requireAll in [false, true] {
        guard let query = try? QueryParser.parse(text, requireAll: requireAll, maxClauses: 64) else { continue }
        precondition(!query.clauses.isEmpty, "a parsed query without clauses: \(text.debugDescription)")
        _ = try? analyzer.tokens(text)
    }
    return 0
}
