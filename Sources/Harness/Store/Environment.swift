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

/// The code version of this checkout: the commit (`git describe --always --abbrev=12`), with
/// `-dirty` when a tracked file outside `Reports/` differs from it, or "unknown" outside git.
/// Reports are what runs write, so a report written by an earlier run does not make the code dirty.
/// Recorded with each run but kept out of the fingerprint (the target's `version` is in it), so an
/// unrelated commit does not invalidate finished runs.
public func currentCodeVersion(directory: String = FileManager.default.currentDirectoryPath) -> String {
    if let v = ProcessInfo.processInfo.environment["REPLICATE_CODE_VERSION"], !v.isEmpty { return v }
    guard let commit = git(["describe", "--always", "--abbrev=12"], in: directory), !commit.isEmpty else { return "unknown" }
    let changes = git(["status", "--porcelain", "--untracked-files=no", "--", ":/", ":(top,exclude)Reports"], in: directory)
    return changes.map { $0.isEmpty ? commit : commit + "-dirty" } ?? commit + "-dirty"
}

/// The trimmed standard output of `git -C directory <arguments>`, or nil when git fails.
private func git(_ arguments: [String], in directory: String) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-C", directory] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
}
