/// A document id as the index compares ids: by its UTF-8 bytes.
///
/// Swift's `String` equality is canonical equivalence: "é" (U+00E9) and "e" + U+0301 are equal
/// strings with different bytes. The IDS section and lookups by id compare bytes, so a buffer
/// keyed by `String` took two such ids for one document (the second replaced the first) while
/// two segments kept both, and deleting one of them could remove the other. Keyed by this, an id
/// means the same document wherever it is.
package struct DocumentKey: Hashable, Sendable {
    package let id: String

    package init(_ id: String) {
        var id = id
        // Native UTF-8, so that hashing reads the bytes where they are (and always the same way).
        id.makeContiguousUTF8()
        self.id = id
    }

    package static func == (a: DocumentKey, b: DocumentKey) -> Bool {
        a.id.utf8.count == b.id.utf8.count && a.id.utf8.elementsEqual(b.id.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        _ = id.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
