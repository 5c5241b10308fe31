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

    /// Appends `element`, unless the buffer is full and holds `limit` elements or more: returns
    /// whether it did. What ``append(_:)`` costs, but for the test when the buffer is full.
    @inline(__always)
    mutating func append(_ element: Element, unlessFullFrom limit: Int) -> Bool {
        if count == capacity {
            if count >= limit { return false }
            grow()
        }
        pointer[count] = element
        count += 1
        return true
    }

    /// Makes the storage hold no more than `maximum` elements when it holds more and the
    /// elements fit.
    mutating func shrink(to maximum: Int) {
        guard capacity > maximum, count <= maximum else { return }
        move(toCapacity: maximum)
    }

    /// Appends the elements of `source`.
    @inline(__always)
    mutating func append(contentsOf source: UnsafeBufferPointer<Element>) {
        reserve(source.count)
        if let base = source.baseAddress { (pointer + count).update(from: base, count: source.count) }
        count += source.count
    }

    /// Appends the first `length` of the `block` elements at `source`, copying all `block` of
    /// them as 8-byte words (`block` elements must fill whole words): with a constant `block`, a
    /// few loads and stores instead of a copy call that dispatches on the length. The elements
    /// past `length` land beyond ``count``, where the next appends overwrite them.
    @inline(__always)
    mutating func append(_ length: Int, of source: UnsafePointer<Element>, copying block: Int) {
        assert(length <= block, "a prefix longer than the block copied")
        assert(block * MemoryLayout<Element>.stride % 8 == 0, "a block of whole words")
        reserve(block)
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(pointer + count)
        for offset in stride(from: 0, to: block * MemoryLayout<Element>.stride, by: 8) {
            to.storeBytes(
                of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
        }
        count += length
    }

    /// Makes room for `extra` more elements, so that appending them does not grow the storage.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(toHold: count + extra) }
    }

    @inline(never)
    private mutating func grow(toHold minimum: Int = 0) {
        var larger = capacity * 2
        while larger < minimum { larger *= 2 }
        move(toCapacity: larger)
    }

    /// Moves the elements to new storage of `newCapacity` (at least ``count``) elements.
    private mutating func move(toCapacity newCapacity: Int) {
        let storage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        storage.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = storage
        capacity = newCapacity
        owner.pointer = storage
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// Drops the elements from `newCount` on.
    @inline(__always)
    mutating func removeLast(downTo newCount: Int) {
        assert(newCount >= 0 && newCount <= count, "scratch truncation out of range")
        count = newCount
    }

    /// Drops the first `k` elements, moving the others to the front.
    mutating func removeFirst(_ k: Int) {
        assert(k >= 0 && k <= count, "scratch removal out of range")
        // (The regions overlap: a raw copy is a memmove.)
        UnsafeMutableRawPointer(pointer).copyMemory(
            from: pointer + k, byteCount: (count - k) * MemoryLayout<Element>.stride)
        count -= k
    }

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
