/// A growable buffer of plain values for the analyzer's per-token scratch data: appending and
/// clearing cost a compare and a store, with none of `Array`'s uniqueness checks, exclusivity
/// checks or generic `removeAll(keepingCapacity:)` machinery in the hot loops.
///
/// The pointer lives in the struct (so reads need no class access); a small owner object frees
/// the memory when the last copy goes away. Copies share storage: the analyzer never copies one.
/// Indexes are checked by `assert` only: the buffer is internal to the analyzer, whose loops stay
/// below `count` by construction.
struct ScratchBuffer<Element: BitwiseCopyable> {
    private final class Owner {
        var pointer: UnsafeMutablePointer<Element>
        init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
        deinit { pointer.deallocate() }
    }

    private var pointer: UnsafeMutablePointer<Element>
    private var capacity: Int
    private let owner: Owner
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        owner = Owner(pointer)
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        pointer[count] = element
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = larger
        capacity *= 2
        owner.pointer = larger
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < count, "scratch index out of range")
            return pointer[index]
        }
        nonmutating set {
            assert(index >= 0 && index < count, "scratch index out of range")
            pointer[index] = newValue
        }
    }

    /// The elements, valid until the next append or until the buffer goes away.
    @inline(__always)
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }
}
