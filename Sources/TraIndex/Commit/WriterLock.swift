#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single-writer lock of an index folder: an exclusive `flock` on the file `lock`, which the
/// holder fills with its process id and start time for the message a second writer sees.
///
/// The kernel releases a `flock` when its process dies, so a lock left by a crashed writer is
/// recovered by the next writer without any clean-up.
package final class WriterLock {
    package static let fileName = "lock"
    private let descriptor: Int32

    /// Takes the lock or throws `.locked` at once, naming the holder.
    package init(directory: String) throws(IndexError) {
        let path = directory + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIO.error("cannot open lock file", path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.readHolder(fd)
            close(fd)
            throw IndexError(
                .locked,
                "index \(directory) is locked by another writer (\(holder)); wait for it to finish, "
                    + "or stop that process")
        }
        descriptor = fd
        let text = "pid \(getpid()) since \(time(nil))\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readHolder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 127, 0) }
        guard count > 0 else { return "holder unknown" }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingSuffixNewlines()
        guard text.hasPrefix("pid "), let pidText = text.split(separator: " ").dropFirst().first,
            let pid = Int32(pidText)
        else { return "holder unknown" }
        // The file names the last tra writer; if that process is gone, another program holds the lock.
        if kill(pid, 0) != 0 && errno == ESRCH {
            return "not by a tra writer: the last one, process \(pid), has exited"
        }
        return "process \(pid)"
            + (text.contains(" since ") ? ", started at unix time \(text.split(separator: " ").last ?? "")" : "")
    }
}

extension String {
    fileprivate func trimmingSuffixNewlines() -> String {
        var result = self
        while result.last == "\n" { result.removeLast() }
        return result
    }
}
