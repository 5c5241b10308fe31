#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The input of `tra index`: the files behind its INPUT paths, read as a stream of documents.
///
/// An INPUT is a file (`.txt` is read as a text document, anything else as JSONL) or a folder, walked
/// recursively for `.jsonl` and `.txt` files (hidden files and folders skipped), in the byte order of
/// their paths relative to the folder. JSONL files are streamed line by line through one buffer, so
/// memory stays bounded by the longest line plus the buffer; a text file is one document: its first
/// line is the title, the rest the body, and its id the file's path relative to the INPUT folder.
package struct IngestSource: Sendable {
    /// One input file.
    package struct File: Sendable, Hashable {
        package enum Format: Sendable, Hashable {
            case jsonl
            case text
        }

        /// The path to open and to show: the INPUT as given, or joined to the INPUT folder as given.
        package var path: String
        /// The path relative to the INPUT folder, with "/" separators (the file name for an INPUT file):
        /// the id of a text document.
        package var relativePath: String
        package var format: Format
        /// The size in bytes when the input was listed.
        package var size: Int

        package init(path: String, relativePath: String, format: Format, size: Int) {
            self.path = path
            self.relativePath = relativePath
            self.format = format
            self.size = size
        }
    }

    /// The files, in reading order.
    package let files: [File]
    /// The size of the read buffer (it grows for longer lines).
    package let bufferSize: Int
    /// When set, a .txt file that is not UTF-8 is read as Windows-1252 and kept when it converts
    /// from TCVN3 or VNI-Windows bytes (else it is the usual invalid UTF-8 error).
    package var legacy: LegacyDocumentConverter? = nil

    /// The sum of the file sizes: the end of `bytesRead` for a progress display.
    package var totalBytes: Int { files.reduce(0) { $0 + $1.size } }

    /// Lists the files of `inputs`, or throws for a path that does not exist, a folder with no input
    /// files, or a folder that cannot be read.
    package init(inputs: [String], bufferSize: Int = 1 << 20) throws(IngestError) {
        var files: [File] = []
        for input in inputs { files += try Self.expand(input) }
        self.init(files: files, bufferSize: bufferSize)
    }

    package init(files: [File], bufferSize: Int = 1 << 20) {
        self.files = files
        self.bufferSize = max(bufferSize, 16)
    }

    /// Calls `body` with each document or error, in input order, and the bytes of input read so far.
    ///
    /// Errors do not stop the reading: a bad line is reported and the next line read; a bad file (unreadable,
    /// empty, starting with a BOM) is reported once and skipped. Blank lines are skipped. An error thrown by
    /// `body` stops the reading.
    package func forEach(_ body: (Result<IngestDocument, IngestError>, _ bytesRead: Int) throws -> Void) rethrows {
        var parser = JSONLineParser()
        var base = 0
        for file in files {
            switch file.format {
            case .jsonl: try readLines(file, base: base, parser: &parser, body)
            case .text: try body(Self.textDocument(file, legacy: legacy), base + file.size)
            }
            base += file.size
        }
    }

    // MARK: - Reading

    private func readLines(
        _ file: File, base: Int, parser: inout JSONLineParser,
        _ body: (Result<IngestDocument, IngestError>, _ bytesRead: Int) throws -> Void
    ) rethrows {
        let done = base + file.size
        let reader: IngestLineReader
        switch IngestLineReader.open(file.path, bufferSize: min(bufferSize, max(file.size + 1, 4096))) {
        case .success(let opened): reader = opened
        case .failure(let error):
            try body(.failure(IngestError(file: file.path, message: "cannot read: \(error)")), done)
            return
        }
        var lineNumber = 0
        var sawContent = false
        while true {
            switch reader.next() {
            case .end:
                if !sawContent { try body(.failure(IngestError(file: file.path, message: "empty file")), done) }
                return
            case .failure(let error):
                try body(.failure(IngestError(file: file.path, message: "cannot read: \(error)")), done)
                return
            case .line(var line):
                lineNumber += 1
                if lineNumber == 1 && Self.startsWithBOM(line) {
                    try body(.failure(Self.bomError(file)), done)
                    return
                }
                if line.last == IngestByte.carriageReturn { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                if Self.isBlank(line) { continue }
                sawContent = true
                let result = parser.parseDocument(line, source: SourceLocation(file: file.path, line: lineNumber))
                try body(result, base + min(reader.consumed, file.size))
            }
        }
    }

    /// The document of a text file: the first line (without its line ending) is the title, the rest the body.
    private static func textDocument(_ file: File, legacy: LegacyDocumentConverter?) -> Result<
        IngestDocument, IngestError
    > {
        let bytes: [UInt8]
        switch ingestReadWholeFile(file.path) {
        case .success(let read): bytes = read
        case .failure(let error): return .failure(IngestError(file: file.path, message: "cannot read: \(error)"))
        }
        return bytes.withUnsafeBytes { raw -> Result<IngestDocument, IngestError> in
            if startsWithBOM(raw) { return .failure(bomError(file)) }
            if isBlank(raw) { return .failure(IngestError(file: file.path, message: "empty file")) }
            let newline = raw.firstIndex(of: IngestByte.lineFeed)
            var titleEnd = newline ?? raw.count
            if titleEnd > 0 && raw[titleEnd - 1] == IngestByte.carriageReturn { titleEnd -= 1 }
            let bodyStart = newline.map { $0 + 1 } ?? raw.count
            let bound = raw.bindMemory(to: UInt8.self)
            let source = SourceLocation(file: file.path, line: 1)
            guard let title = UTF8Validation.string(UnsafeBufferPointer(rebasing: bound[..<titleEnd])),
                let body = UTF8Validation.string(UnsafeBufferPointer(rebasing: bound[bodyStart...]))
            else {
                // Not UTF-8: legacy bytes (TCVN3, VNI-Windows) when they convert, else an error.
                let fields = [
                    (name: "title", value: Windows1252.decode(bound[..<titleEnd])),
                    (name: "body", value: Windows1252.decode(bound[bodyStart...])),
                ]
                var document = IngestDocument(id: file.relativePath, fields: fields, source: source)
                if let legacy, legacy.convert(&document) { return .success(document) }
                return .failure(utf8Error(raw, file))
            }
            let fields = [(name: "title", value: title), (name: "body", value: body)]
            return .success(IngestDocument(id: file.relativePath, fields: fields, source: source))
        }
    }

    /// The first UTF-8 error of a text file, with its line and column.
    private static func utf8Error(_ raw: UnsafeRawBufferPointer, _ file: File) -> IngestError {
        guard let failure = UTF8Validation.firstError(in: raw) else {
            return IngestError(file: file.path, message: "invalid UTF-8")
        }
        var line = 1
        var lineStart = 0
        for i in 0..<failure.offset where raw[i] == IngestByte.lineFeed {
            line += 1
            lineStart = i + 1
        }
        let column = failure.offset - lineStart + 1
        return IngestError(
            file: file.path, line: line, column: column, message: "invalid UTF-8 at column \(column): \(failure.reason)"
        )
    }

    private static func startsWithBOM(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    private static func bomError(_ file: File) -> IngestError {
        IngestError(file: file.path, line: 1, message: "file starts with a UTF-8 byte order mark (BOM); remove it")
    }

    /// Whether a line holds only spaces, tabs, carriage returns and line feeds.
    private static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes {
            switch byte {
            case IngestByte.space, IngestByte.tab, IngestByte.carriageReturn, IngestByte.lineFeed: continue
            default: return false
            }
        }
        return true
    }

    // MARK: - Listing

    private static func expand(_ input: String) throws(IngestError) -> [File] {
        switch IngestPathKind(path: input) {
        case .missing:
            throw IngestError(file: input, message: "no such file or folder")
        case .failure(let error):
            throw IngestError(file: input, message: "cannot read: \(error)")
        case .file(let size):
            let name = input.split(separator: "/").last.map(String.init) ?? input
            return [File(path: input, relativePath: name, format: isText(name) ? .text : .jsonl, size: size)]
        case .folder(let device, let inode):
            var found: [File] = []
            var visited: Set<[UInt64]> = [[device, inode]]
            try walk(input, relative: "", into: &found, visited: &visited)
            guard !found.isEmpty else {
                throw IngestError(file: input, message: "no .jsonl or .txt files in this folder")
            }
            found.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
            return found
        }
    }

    /// Adds the input files under `folder` (whose path relative to the INPUT is `relative`) to `found`.
    private static func walk(
        _ folder: String, relative: String, into found: inout [File], visited: inout Set<[UInt64]>
    ) throws(IngestError) {
        let names: [String]
        switch listFolder(folder) {
        case .success(let listed): names = listed
        case .failure(let error): throw IngestError(file: folder, message: "cannot read folder: \(error)")
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let relativePath = relative + name
            switch IngestPathKind(path: path) {
            case .folder(let device, let inode):
                // A symbolic link back up the tree would loop forever.
                guard visited.insert([device, inode]).inserted else { continue }
                try walk(path, relative: relativePath + "/", into: &found, visited: &visited)
            case .file(let size):
                if isText(name) {
                    found.append(File(path: path, relativePath: relativePath, format: .text, size: size))
                } else if name.lowercased().hasSuffix(".jsonl") {
                    found.append(File(path: path, relativePath: relativePath, format: .jsonl, size: size))
                }
            case .missing, .failure:
                continue  // a dangling link, or a file that vanished while listing
            }
        }
    }

    private static func isText(_ name: String) -> Bool { name.lowercased().hasSuffix(".txt") }

    /// The names in a folder, "." and ".." excluded.
    private static func listFolder(_ path: String) -> Result<[String], IngestSystemError> {
        guard let folder = opendir(path) else { return .failure(IngestSystemError.current()) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[..<end], as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }
}
