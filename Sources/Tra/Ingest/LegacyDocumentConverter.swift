import TraTokenizer

/// One field of a document converted from a legacy encoding.
package struct LegacyFieldConversion: Sendable, Hashable {
    package var field: String
    package var encoding: LegacyEncoding

    package init(field: String, encoding: LegacyEncoding) {
        self.field = field
        self.encoding = encoding
    }
}

/// Converts the fields of an input document written in a legacy Vietnamese encoding (TCVN3,
/// VNI-Windows, VIQR) to Unicode before analysis, keeping the original text.
///
/// Each field is judged on its own evidence (``LegacyDetector``); when one field of the document
/// converts, the others are tried again with its encoding on weaker evidence (a title of two words
/// follows its body). A converted field `F` keeps its name and gets the converted text, which is
/// what is indexed and shown; two stored fields are appended: `F.original`, the text as it came,
/// and `F.encoding`, the encoding's name ("TCVN3", "VNI-Windows", "VIQR"). Fields whose names end
/// in `.original` or `.encoding` are never converted.
package struct LegacyDocumentConverter: Sendable {
    /// The suffix of the stored field that keeps a converted field's original text.
    package static let originalSuffix = ".original"
    /// The suffix of the stored field that names a converted field's encoding.
    package static let encodingSuffix = ".encoding"

    private let detector: LegacyDetector

    package init() throws(TraError) {
        do { detector = try LegacyDetector() } catch { throw TraError(error) }
    }

    /// Converts the fields of `document` that are in a legacy encoding, recording them in its
    /// `legacyConversions`; returns whether any was. A document that already records conversions
    /// (a text file converted when it was read) is left as it is.
    @discardableResult
    package func convert(_ document: inout IngestDocument) -> Bool {
        guard document.legacyConversions.isEmpty else { return true }
        var results: [LegacyDetector.Conversion?] = document.fields.map { field in
            Self.isCompanion(field.name) ? nil : detector.convert(field.value)
        }
        let strongest = results.compactMap { $0 }.max { $0.evidence.gained < $1.evidence.gained }
        guard let found = strongest?.encoding else { return false }
        for (i, field) in document.fields.enumerated() where results[i] == nil && !Self.isCompanion(field.name) {
            results[i] = detector.convert(field.value, assuming: found)
        }
        var companions: [(name: String, value: String)] = []
        for (i, result) in results.enumerated() {
            guard let result else { continue }
            let name = document.fields[i].name
            companions.append((name + Self.originalSuffix, document.fields[i].value))
            companions.append((name + Self.encodingSuffix, result.encoding.name))
            document.fields[i].value = result.text
            document.legacyConversions.append(LegacyFieldConversion(field: name, encoding: result.encoding))
        }
        document.fields += companions
        return true
    }

    /// The encodings of a document's conversions, one bit each (bit `encoding.rawValue`).
    package static func mask(_ conversions: [LegacyFieldConversion]) -> UInt8 {
        conversions.reduce(0) { $0 | 1 << $1.encoding.rawValue }
    }

    private static func isCompanion(_ name: String) -> Bool {
        name.hasSuffix(originalSuffix) || name.hasSuffix(encodingSuffix)
    }
}
