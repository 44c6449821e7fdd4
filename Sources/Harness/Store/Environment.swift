import Foundation
import LMCore

/// Where a run ran: recorded with every run, shown in the report, not part of the fingerprint.
public struct RunEnvironment: Sendable, Equatable, Codable, Hashable {
    public var cpu: String
    public var blasCore: String
    public var threads: Int
    public var swift: String
    public var os: String

    public init(cpu: String, blasCore: String, threads: Int, swift: String, os: String) {
        self.cpu = cpu; self.blasCore = blasCore; self.threads = threads; self.swift = swift; self.os = os
    }

    /// The current process: CPU model from /proc/cpuinfo, OpenBLAS core, the run's thread
    /// count (the one in its fingerprint), the compiler that built this binary, and the OS
    /// from /etc/os-release.
    public static func current(threads: Int = BLAS.threads) -> RunEnvironment {
        RunEnvironment(cpu: cpuModel(), blasCore: BLAS.coreName, threads: threads,
                       swift: swiftVersion, os: osName())
    }

    public var json: String { canonicalJSON(self) }

    static var swiftVersion: String {
        #if compiler(>=6.4)
        return "6.4+"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let v = line.split(separator: ":", maxSplits: 1).last { return v.trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }

    static func osName() -> String {
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }
}

/// The code version of this checkout: `git describe --always --dirty`, or "unknown" outside git.
/// Recorded with each run but kept out of the fingerprint, so an unrelated commit does not
/// invalidate finished runs; change a config (or `--force`) to recompute.
public func currentCodeVersion(directory: String = FileManager.default.currentDirectoryPath) -> String {
    if let v = ProcessInfo.processInfo.environment["REPLICATE_CODE_VERSION"], !v.isEmpty { return v }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-C", directory, "describe", "--always", "--dirty", "--abbrev=12"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return "unknown" }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return p.terminationStatus == 0 && !s.isEmpty ? s : "unknown"
}
