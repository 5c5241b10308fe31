#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads a file's lines through one buffer that grows to the longest line: memory stays bounded by the
/// longest line (at most twice, while growing) plus the buffer, however large the file.
final class IngestLineReader {
    /// What `next()` found.
    enum Next {
        /// A line without its line feed, valid until the next call.
        case line(UnsafeRawBufferPointer)
        case end
        /// A read error, as the system describes it.
        case failure(String)
    }

    private let descriptor: Int32
    private let initialCapacity: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unread bytes are `start..<end`; no line feed in `start..<scanned`.
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var atEndOfFile = false
    /// Bytes of the file consumed by the lines returned so far (line feeds included).
    private(set) var consumed = 0

    /// Opens `path`, or returns why it cannot.
    static func open(_ path: String, bufferSize: Int) -> Result<IngestLineReader, IngestSystemError> {
        let descriptor = systemOpen(path)
        guard descriptor >= 0 else { return .failure(IngestSystemError.current()) }
        return .success(IngestLineReader(descriptor: descriptor, bufferSize: bufferSize))
    }

    private init(descriptor: Int32, bufferSize: Int) {
        self.descriptor = descriptor
        initialCapacity = max(bufferSize, 16)
        capacity = initialCapacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        _ = close(descriptor)
    }

    /// The next line.
    func next() -> Next {
        while true {
            if scanned < end, let found = memchr(buffer + scanned, Int32(IngestByte.lineFeed), end - scanned) {
                let lineEnd = UnsafeMutableRawPointer(buffer).distance(to: found)
                let line = UnsafeRawBufferPointer(start: buffer + start, count: lineEnd - start)
                consumed += lineEnd + 1 - start
                start = lineEnd + 1
                scanned = start
                return .line(line)
            }
            scanned = end
            if atEndOfFile {
                guard start < end else { return .end }
                let line = UnsafeRawBufferPointer(start: buffer + start, count: end - start)
                consumed += end - start
                start = end
                return .line(line)
            }
            if let error = fill() { return .failure(error.description) }
        }
    }

    /// Makes room (moving the partial line to the front, growing for a long line) and reads once.
    private func fill() -> IngestSystemError? {
        let pending = end - start
        if start > 0 || (capacity > initialCapacity && pending < initialCapacity / 2) {
            let newCapacity = pending < initialCapacity / 2 ? initialCapacity : capacity
            if newCapacity != capacity {
                let smaller = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                smaller.update(from: buffer + start, count: pending)
                buffer.deallocate()
                buffer = smaller
                capacity = newCapacity
            } else if pending > 0 {
                buffer.update(from: buffer + start, count: pending)
            }
            scanned -= start
            start = 0
            end = pending
        }
        if end == capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count > 0 {
                end += count
                return nil
            }
            if count == 0 {
                atEndOfFile = true
                return nil
            }
            if errno != EINTR { return IngestSystemError.current() }
        }
    }
}

/// An `errno` with the system's description of it.
struct IngestSystemError: Error, CustomStringConvertible {
    var code: Int32
    var description: String

    static func current() -> IngestSystemError {
        let code = errno
        return IngestSystemError(code: code, description: String(cString: strerror(code)))
    }
}

/// The whole content of a (small) file.
func ingestReadWholeFile(_ path: String) -> Result<[UInt8], IngestSystemError> {
    let descriptor = systemOpen(path)
    guard descriptor >= 0 else { return .failure(IngestSystemError.current()) }
    defer { _ = close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = 1 << 16
    while true {
        let before = bytes.count
        var failure: IngestSystemError?
        bytes.append(contentsOf: repeatElement(0, count: chunk))
        let count = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
            while true {
                let count = read(descriptor, buffer.baseAddress.map { $0 + before }, chunk)
                if count >= 0 || errno != EINTR {
                    if count < 0 { failure = IngestSystemError.current() }
                    return count
                }
            }
        }
        bytes.removeLast(chunk - max(count, 0))
        if let failure { return .failure(failure) }
        if count == 0 { return .success(bytes) }
        chunk = min(chunk * 2, 1 << 26)
    }
}

/// What a path is, from `stat` (symbolic links followed).
enum IngestPathKind: Equatable {
    case file(size: Int)
    case folder(device: UInt64, inode: UInt64)
    case missing
    case failure(IngestSystemError)

    static func == (lhs: IngestPathKind, rhs: IngestPathKind) -> Bool {
        switch (lhs, rhs) {
        case (.file(let a), .file(let b)): a == b
        case (.folder(let a, let b), .folder(let c, let d)): a == c && b == d
        case (.missing, .missing): true
        case (.failure(let a), .failure(let b)): a.code == b.code
        default: false
        }
    }

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = IngestSystemError.current()
            self = error.code == ENOENT || error.code == ENOTDIR ? .missing : .failure(error)
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            self = .folder(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        } else {
            self = .file(size: Int(info.st_size))
        }
    }
}

private func systemOpen(_ path: String) -> Int32 {
    while true {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 || errno != EINTR { return descriptor }
    }
}
