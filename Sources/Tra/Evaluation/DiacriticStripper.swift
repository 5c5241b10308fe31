import TraTokenizer

/// Removes every Vietnamese diacritic from text, the way a user who types without them would have
/// written it: tones and letter modifiers go ("Hồ Chí Minh" → "Ho Chi Minh"), đ/Đ become d/D (and
/// their look-alikes ð/Ð, which the analyzer reads as đ/Đ), case is kept.
///
/// It works scalar by scalar on the analyzer's character table (the one that builds the folded
/// keys), so precomposed letters (NFC), decomposed ones (NFD) and mixed forms all give the same
/// result: a Latin letter made of an ASCII base with a Vietnamese modifier and/or tone gives its
/// base; other Latin letters with marks (ü, ñ, ç) give their letter without marks; every combining
/// mark of U+0300-U+036F is dropped. Everything else (digits, punctuation, spacing, other scripts) is
/// kept as written.
public struct DiacriticStripper: Sendable {
    private let table: CharTable

    /// Loads the analyzer's character table (built from ICU once per process).
    public init() throws(TraError) {
        do {
            table = try CharTable.shared()
        } catch {
            throw TraError(error)
        }
    }

    /// `text` without diacritics.
    public func strip(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                output.append(scalar)
                continue
            }
            let info = table.info(scalar.value)
            switch info.charClass {
            case .letter:
                let base = scalar.properties.isUppercase ? info.base - 32 : info.base
                output.append(Unicode.Scalar(base))
            case .mark:
                continue
            case .foreignLetter:
                if let letter = table.foreignLetter(scalar.value), letter.folded != letter.key {
                    let folded = String(decoding: letter.folded, as: UTF8.self)
                    output.append(
                        contentsOf: (scalar.properties.isUppercase ? folded.uppercased() : folded).unicodeScalars)
                } else {
                    output.append(scalar)
                }
            default:
                if (0x300...0x36F).contains(scalar.value) { continue }
                output.append(scalar)
            }
        }
        return String(output)
    }
}

/// `text` without Vietnamese diacritics (see ``DiacriticStripper``): "Đường Hồ Chí Minh" gives
/// "Duong Ho Chi Minh". Throws only when the analyzer's character table cannot be built (ICU).
public func stripDiacritics(_ text: String) throws(TraError) -> String {
    try DiacriticStripper().strip(text)
}
