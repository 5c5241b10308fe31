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
    package static func writeDurably(pieces: [[UInt8]], to path: String) throws(IndexError) {
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
