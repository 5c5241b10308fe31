import Foundation
import TraTestSupport

/// What one run of the `tra` executable produced.
struct TraResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    /// Standard output, decoded as UTF-8. Compare with `expectBytes`: `==` on `String` is canonical
    /// equivalence, which would hide an NFC/NFD difference.
    let stdout: String
    let stderr: String
    /// The bytes written to standard output, exactly.
    let stdoutData: Data
    let status: Int32
    /// Whether the process exited normally (not killed by a signal).
    let exitedNormally: Bool

    var description: String {
        "tra \(arguments.map(\.debugDescription).joined(separator: " ")) → status \(status)"
            + (exitedNormally ? "" : " (uncaught signal)")
            + "\nstdout: \(stdout.debugDescription)\nstderr: \(stderr.debugDescription)"
    }
}

/// Errors of the harness itself (not of the program under test).
struct TraProcessError: Error, CustomStringConvertible {
    let description: String
}

/// Runs the built `tra` executable as a child process, the way a user would.
enum TraProcess {
    /// The environment variable that, when set, names the `tra` executable to test.
    static let overrideVariable = "TRA_EXECUTABLE"

    /// The folders where the build may have put `tra`, best first.
    static func candidateDirectories() -> [URL] {
        var directories: [URL] = []
        // Linux: `swift test` runs `.build/<triple>/<config>/<package>PackageTests.xctest`, an
        // executable that is Bundle.main and sits beside `tra`.
        directories.append(Bundle.main.bundleURL)
        // macOS: the tests are a loadable `.xctest` bundle in the products folder.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let argument0 = CommandLine.arguments.first, !argument0.isEmpty {
            let runner = URL(fileURLWithPath: argument0).resolvingSymlinksInPath()
            directories.append(runner.deletingLastPathComponent())
        }
        let build = TestData.repositoryRoot.appendingPathComponent(".build")
        directories.append(build.appendingPathComponent("debug"))
        directories.append(build.appendingPathComponent("release"))
        var seen = Set<String>()
        return directories.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// The `tra` executable under test.
    static let executable: Result<URL, TraProcessError> = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment[overrideVariable], !path.isEmpty {
            return fileManager.isExecutableFile(atPath: path)
                ? .success(URL(fileURLWithPath: path))
                : .failure(TraProcessError(description: "\(overrideVariable)=\(path) is not an executable file"))
        }
        let directories = candidateDirectories()
        for directory in directories {
            let candidate = directory.appendingPathComponent("tra")
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate.path)
            {
                return .success(candidate)
            }
        }
        let searched = directories.map { "  " + $0.path }.joined(separator: "\n")
        return .failure(
            TraProcessError(
                description: """
                    Could not find the built `tra` executable. Build it with `swift build --product tra` \
                    (or run the tests with `swift test`), or set \(overrideVariable). Searched:
                    \(searched)
                    """))
    }()

    /// Runs `tra arguments…` with standard input closed, waits for it and returns what it wrote.
    /// Throws (failing the calling test with the search details) when the executable is missing.
    static func run(_ arguments: String...) throws -> TraResult {
        try run(arguments)
    }

    /// Runs `tra arguments…`, in `directory` and with `environment` when given (else the test's own).
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> TraResult {
        let executable = try self.executable.get()

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()

        // Drain stderr on another thread while draining stdout here, so that neither pipe can fill
        // up and block the child.
        let stderrData = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrData.set(stderrPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let stdoutData = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()

        return TraResult(
            arguments: arguments,
            stdout: try decode(stdoutData, stream: "stdout"),
            stderr: try decode(stderrData.get(), stream: "stderr"),
            stdoutData: stdoutData,
            status: process.terminationStatus,
            exitedNormally: process.terminationReason == .exit)
    }

    private static func decode(_ data: Data, stream: String) throws -> String {
        guard let string = String(data: data, encoding: .utf8) else {
            throw TraProcessError(description: "tra wrote invalid UTF-8 to \(stream): \(Array(data))")
        }
        return string
    }
}

/// Data handed from the reader thread back to the test.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ newValue: Data) { lock.withLock { data = newValue } }
    func get() -> Data { lock.withLock { data } }
}
