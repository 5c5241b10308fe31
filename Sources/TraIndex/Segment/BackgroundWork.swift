import Dispatch

/// A value computed on another thread while the caller goes on: what the serializer and the
/// merger hand off (the STORED and PAIRS sections, the later part of the terms).
///
/// ```swift
/// let pairs = BackgroundWork { PairCountsSerializer.serialize(entries) }
/// // ... other work on this thread ...
/// let bytes = pairs.wait()
/// ```
package final class BackgroundWork<Value>: @unchecked Sendable {
    private let group = DispatchGroup()
    /// Written by the other thread before it leaves `group`; read after `group.wait()`.
    private var value: Value? = nil

    package init(_ body: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async(group: group) { self.value = body() }
    }

    /// Waits for the value (at once when it is done; any number of times).
    package func wait() -> Value {
        group.wait()
        guard let value else { preconditionFailure("background work left no value") }
        return value
    }
}
