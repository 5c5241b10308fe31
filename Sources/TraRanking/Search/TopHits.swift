/// A ranked document: segment (by its position in the snapshot), document number, score.
package struct RankedDocument: Sendable, Equatable {
    package var segment: Int
    package var doc: UInt32
    package var score: Double

    /// Higher score first; equal scores in index order (earlier segment, then earlier document).
    @inline(__always)
    func ranksAbove(_ other: RankedDocument) -> Bool {
        if score != other.score { return score > other.score }
        if segment != other.segment { return segment < other.segment }
        return doc < other.doc
    }
}

/// The best `k` documents seen so far: a binary heap with the weakest on top.
struct TopHits {
    let k: Int
    private(set) var heap: [RankedDocument] = []

    init(k: Int) {
        self.k = max(k, 0)
        heap.reserveCapacity(self.k)
    }

    var isFull: Bool { heap.count >= k }

    /// The score a document must beat to enter (−∞ until the heap is full).
    var threshold: Double { isFull ? (heap.first?.score ?? .infinity) : -.infinity }

    mutating func insert(_ document: RankedDocument) {
        guard k > 0 else { return }
        if heap.count < k {
            heap.append(document)
            siftUp(heap.count - 1)
        } else if let weakest = heap.first, document.ranksAbove(weakest) {
            heap[0] = document
            siftDown(0)
        }
    }

    /// The documents, best first.
    func sorted() -> [RankedDocument] { heap.sorted { $0.ranksAbove($1) } }

    // Both through the heap's buffer: its indices stay in range by the loops' own tests, and a
    // swap in the array checked its uniqueness and bounds at every level.
    private mutating func siftUp(_ index: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            var child = index
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[parent].ranksAbove(heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
    }

    private mutating func siftDown(_ index: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            var parent = index
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var weakest = parent
                if left < heap.count && heap[weakest].ranksAbove(heap[left]) { weakest = left }
                if right < heap.count && heap[weakest].ranksAbove(heap[right]) { weakest = right }
                if weakest == parent { return }
                heap.swapAt(parent, weakest)
                parent = weakest
            }
        }
    }
}
