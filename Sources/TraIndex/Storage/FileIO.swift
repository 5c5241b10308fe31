#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable file operations on POSIX: write-and-fsync, atomic rename, directory fsync.
package enum FileIO {
    /// An `.io` error naming the path and the system's reason.
    package static func error(_ what: String, _ path: String, errno code: Int32 = errno) -> IndexError {
        IndexError(.io, "\(what) \(path): \(String(cString: strerror(code)))")
    }

    /// Creates (or truncates) `path`, writes `bytes` and fsyncs the file before returning.
    package static func writeDurably(_ bytes: [UInt8], to path: String) throws(IndexError) {
        try writeDurably(pieces: [bytes], to: path)
    }

    /// Writes `pieces` one after the other to a new file at `path`, then fsyncs it.
    ///
    /// A file of ``directMinimum`` bytes or more (a segment) is written past the page cache where
    /// the system allows it (Linux `O_DIRECT`, ``writeDirect(_:total:to:)``), else through it.
    package static func writeDurably(pieces: [[UInt8]], to path: String) throws(IndexError) {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
            let total = pieces.reduce(0) { $0 + $1.count }
            if total >= directMinimum, try writeDirect(pieces, total: total, to: path) { return }
        #endif
        try writeBuffered(pieces, to: path)
    }

    /// The smallest file ``writeDurably(pieces:to:)`` writes past the page cache.
    package static let directMinimum = 1 << 20

    /// ``writeDurably(pieces:to:)`` through the page cache: `write` per piece, then `fsync`.
    package static func writeBuffered(_ pieces: [[UInt8]], to path: String) throws(IndexError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw error("cannot create", path) }
        var failure: IndexError? = nil
        for bytes in pieces where failure == nil {
            bytes.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let result = write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                    if result < 0 {
                        if errno == EINTR { continue }
                        failure = error("cannot write", path)
                        return
                    }
                    written += result
                }
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = error("cannot fsync", path) }
        close(fd)
        if let failure {
            unlink(path)
            throw failure
        }
    }

    #if os(Linux) && (arch(x86_64) || arch(arm64))
        /// Linux's `O_DIRECT`, which Swift's Glibc module leaves out (the C headers define it only
        /// with `_GNU_SOURCE`); its value differs between architectures.
        #if arch(x86_64)
            static let directFlag: Int32 = 0o40000
        #else
            static let directFlag: Int32 = 0o200000
        #endif

        /// The alignment of the buffer, the offsets and the lengths of ``writeDirect(_:total:to:)``'s
        /// writes: a multiple of every logical block size in use (512 or 4,096 bytes).
        static let directAlignment = 4_096
        /// The bytes ``writeDirect(_:total:to:)`` gathers from the pieces before each write.
        static let directChunk = 1 << 22

        /// ``writeDurably(pieces:to:)`` with `O_DIRECT`: the pieces gathered into an aligned buffer,
        /// written a chunk at a time straight to the device (the last chunk padded with zeros, then
        /// the file cut to `total` bytes), then `fsync`. Returns false, having removed the file,
        /// when the file system refuses direct I/O (`EINVAL` at the open or at a write: tmpfs before
        /// Linux 6.6, some overlay and network file systems), so that the caller writes it through
        /// the page cache instead.
        ///
        /// Each page the page cache takes for a new file has a cost, high in a virtual machine whose
        /// free memory goes back to its host: on the team's machine the writes of viwiki's 74 MB
        /// segment took 0.15 s and its `fsync` 0.04 s (`strace -T` of `tra index`), and `dd` of
        /// 74 MB with `conv=fsync` 0.20 to 0.30 s, against 0.05 s with `oflag=direct`. Readers
        /// map the file and read it from the device on first touch.
        package static func writeDirect(_ pieces: [[UInt8]], total: Int, to path: String) throws(IndexError) -> Bool {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | directFlag, 0o644)
            guard fd >= 0 else {
                if errno == EINVAL { return false }
                throw error("cannot create", path)
            }
            var memory: UnsafeMutableRawPointer? = nil
            guard posix_memalign(&memory, directAlignment, directChunk) == 0, let staging = memory else {
                close(fd)
                unlink(path)
                return false
            }
            defer { free(staging) }
            var failure: IndexError? = nil
            var refused = false
            // Writes the first `count` bytes of the staging buffer (a multiple of the alignment).
            func put(_ count: Int) {
                var done = 0
                while done < count {
                    let result = write(fd, staging + done, count - done)
                    if result < 0 {
                        if errno == EINTR { continue }
                        if errno == EINVAL {
                            refused = true
                        } else {
                            failure = error("cannot write", path)
                        }
                        return
                    }
                    guard result > 0 else {
                        failure = error("cannot write", path, errno: EIO)
                        return
                    }
                    // A short write leaves the next one unaligned: the kernel refuses it (EINVAL),
                    // and the file is written through the page cache.
                    done += result
                }
            }
            var filled = 0
            for bytes in pieces where failure == nil && !refused {
                bytes.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress else { return }
                    var offset = 0
                    while offset < buffer.count && failure == nil && !refused {
                        let count = min(directChunk - filled, buffer.count - offset)
                        (staging + filled).copyMemory(from: base + offset, byteCount: count)
                        filled += count
                        offset += count
                        if filled == directChunk {
                            put(directChunk)
                            filled = 0
                        }
                    }
                }
            }
            if failure == nil && !refused && filled > 0 {
                let padded = (filled + directAlignment - 1) / directAlignment * directAlignment
                (staging + filled).initializeMemory(as: UInt8.self, repeating: 0, count: padded - filled)
                put(padded)
                if failure == nil && !refused && ftruncate(fd, off_t(total)) != 0 {
                    failure = error("cannot write", path)
                }
            }
            if failure == nil && !refused && fsync(fd) != 0 { failure = error("cannot fsync", path) }
            close(fd)
            if refused || failure != nil { unlink(path) }
            if let failure { throw failure }
            return !refused
        }
    #endif

    /// Renames `from` to `to` atomically (replacing `to`).
    package static func rename(_ from: String, to: String) throws(IndexError) {
        #if canImport(Glibc)
            let result = Glibc.rename(from, to)
        #else
            let result = Darwin.rename(from, to)
        #endif
        guard result == 0 else { throw error("cannot rename \(from) to", to) }
    }

    /// Fsyncs a directory, so that renames and new files in it survive a crash.
    package static func syncDirectory(_ path: String) throws(IndexError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw error("cannot open folder", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw error("cannot fsync folder", path) }
    }

    /// Creates a directory and its parents; succeeds if it exists.
    package static func createDirectory(_ path: String) throws(IndexError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw error("cannot create folder", current) }
        }
    }

    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The names in a directory (without "." and "..").
    package static func list(_ path: String) throws(IndexError) -> [String] {
        guard let dir = opendir(path) else { throw error("cannot list", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; a missing file is not an error.
    package static func remove(_ path: String) {
        unlink(path)
    }

    /// The size of a file in bytes, nil if it does not exist.
    package static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
