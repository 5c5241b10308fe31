/// Scratch storage for text handed to ICU: the cleaned scalars with their byte ranges in the
/// original text, their UTF-16 encoding and the map from UTF-16 units back to scalars.
struct ICUChunk {
    var scalars: [UInt32] = []
    var starts: [Int] = []
    var ends: [Int] = []
    var units: [UInt16] = []
    /// `unitToScalar[u]` is the index in `scalars` of the scalar that UTF-16 unit `u` belongs to;
    /// one extra entry maps the end of the text.
    var unitToScalar: [Int] = []

    mutating func removeAll() {
        scalars.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        units.removeAll(keepingCapacity: true)
        unitToScalar.removeAll(keepingCapacity: true)
    }

    mutating func append(_ scalar: UInt32, start: Int, end: Int) {
        let index = scalars.count
        scalars.append(scalar)
        starts.append(start)
        ends.append(end)
        if scalar < 0x10000 {
            units.append(UInt16(scalar))
            unitToScalar.append(index)
        } else {
            let value = scalar - 0x10000
            units.append(UInt16(0xD800 + (value >> 10)))
            units.append(UInt16(0xDC00 + (value & 0x3FF)))
            unitToScalar.append(index)
            unitToScalar.append(index)
        }
    }
}

extension AnalyzerCore {
    /// Segments `text[range]` with ICU's word break iterator, after the same clean-up as the fast
    /// path (zero-width characters removed, white space read as U+0020), and appends its tokens.
    ///
    /// When the range is a chunk cut out of a longer text, the space on each side of it is given to
    /// ICU too, so the rules see the same context as they would in the whole text.
    mutating func segmentWithICU(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(ICUError) {
        guard let base = text.baseAddress, !range.isEmpty else { return }
        chunk.removeAll()
        if range.lowerBound > 0 { chunk.append(0x20, start: range.lowerBound, end: range.lowerBound) }
        var i = range.lowerBound
        while i < range.upperBound {
            let (scalar, length) = UTF8Decoder.decode(base, i, range.upperBound)
            switch table.info(scalar).charClass {
            case .ignorable: break
            case .space: chunk.append(0x20, start: i, end: i + length)
            default: chunk.append(scalar, start: i, end: i + length)
            }
            i += length
        }
        if range.upperBound < text.count { chunk.append(0x20, start: range.upperBound, end: range.upperBound) }
        chunk.unitToScalar.append(chunk.scalars.count)
        let units = chunk.units
        try units.withUnsafeBufferPointer { (units) throws(ICUError) in
            try breaker.forEachWord(in: units) { unitStart, unitEnd in
                let first = chunk.unitToScalar[unitStart]
                let last = chunk.unitToScalar[unitEnd]
                for index in first..<last {
                    appendToSegment(chunk.scalars[index], start: chunk.starts[index], end: chunk.ends[index])
                }
                emitSegment()
            }
        }
    }
}
