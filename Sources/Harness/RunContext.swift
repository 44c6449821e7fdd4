import Foundation
import LMCore

/// What a target's `run` sees: which run it is, its configuration, a working directory for
/// checkpoints, its dependencies' working directories, a progress reporter, and a recorder.
///
/// Recorded numbers are appended to `records.tsv` in the working directory as they come, so
/// a resumed run keeps what it logged before the interruption; logging the same (name, step)
/// or measurement again replaces the value.
public final class RunContext: @unchecked Sendable {
    public let paper: String
    public let arm: String
    public let tier: Tier
    public let seed: Int
    public let configJSON: String
    public let fingerprint: String
    /// Stable per fingerprint: checkpoint here, resume from here.
    public let workDirectory: URL
    /// Arm → working directory of that dependency (same seed), finished before this run.
    public let dependencies: [String: URL]
    public let progress: ProgressReporter
    /// The BLAS thread count fixed for this run.
    public let threads: Int

    private(set) var series: [String: [Int: Double]] = [:]
    private(set) var measurements: [String: Double] = [:]
    let recordFile: FileHandle
    private let recordURL: URL
    /// The first failed write to `records.tsv` (e.g. a full disk); the runner fails the run with it.
    public private(set) var recordError: FileError?

    static let recordsName = "records.tsv"

    init(run: PlannedRun, workDirectory: URL, dependencies: [String: URL], progress: ProgressReporter, threads: Int) throws {
        paper = run.paper; arm = run.arm; tier = run.tier; seed = run.seed
        configJSON = run.configJSON; fingerprint = run.fingerprint
        self.workDirectory = workDirectory; self.dependencies = dependencies
        self.progress = progress; self.threads = threads
        let url = workDirectory.appendingPathComponent(Self.recordsName)
        recordURL = url
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if f.count == 4, f[0] == "s", let step = Int(f[2]), let v = Double(f[3]) { series[f[1], default: [:]][step] = v }
                if f.count == 3, f[0] == "m", let v = Double(f[2]) { measurements[f[1]] = v }
            }
        } else if !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw FileError(path: url.path, errno: errno, doing: "cannot create")
        }
        do {
            recordFile = try FileHandle(forWritingTo: url)
            try recordFile.seekToEnd()
        } catch {
            throw FileError(error) ?? FileError(path: url.path, problem: ioProblem(error), remedy: "check the path and its permissions")
        }
    }

    deinit { try? recordFile.close() }

    /// Decode the arm's configuration (the same value the target put in its `ArmSpec`).
    public func config<C: Decodable>(_ type: C.Type) throws -> C {
        try JSONDecoder().decode(type, from: Data(configJSON.utf8))
    }

    /// A named random stream of this run's seed ("init", "data", "eval", …).
    public func random(_ stream: String) -> RandomStream { RandomStream(seed: UInt64(seed), stream: stream) }

    /// A point of a series (loss, accuracy, LR, …) at a step.
    public func log(_ name: String, step: Int, value: Double) {
        precondition(!name.contains("\t") && !name.contains("\n"), "series names cannot contain tabs or newlines")
        series[name, default: [:]][step] = value
        append("s\t\(name)\t\(step)\t\(value)\n")
    }

    /// A scalar result of the run (final loss, an evaluation score, …).
    public func measure(_ name: String, _ value: Double) {
        precondition(!name.contains("\t") && !name.contains("\n"), "measurement names cannot contain tabs or newlines")
        measurements[name] = value
        append("m\t\(name)\t\(value)\n")
    }

    /// Append a record line; after a failed write, keep the values in memory only (the run
    /// then fails with `recordError` instead of crashing mid-training).
    private func append(_ line: String) {
        guard recordError == nil else { return }
        do { try recordFile.write(contentsOf: Data(line.utf8)) } catch {
            recordError = FileError(path: recordURL.path, problem: "cannot write (\(ioProblem(error)))",
                                    remedy: FileError.remedy(FileError.posixCode(error) ?? EIO))
        }
    }

    var seriesPoints: [String: [SeriesPoint]] {
        series.mapValues { $0.sorted { $0.key < $1.key }.map { SeriesPoint(step: $0.key, value: $0.value) } }
    }
}

extension RunContext {
    /// LMCore's progress callback, drawn as this run's progress line (step, loss, tokens/s, ETA).
    var trainingProgress: (ProgressInfo) -> Void {
        let killAt = Self.killAfterStep
        return { [progress] p in
            progress.update(step: p.step, total: p.totalSteps, loss: Double(p.loss), tokensPerSecond: p.tokensPerSecond)
            if p.step == killAt { kill(getpid(), SIGKILL) }
        }
    }

    /// For the kill-and-resume test: `REPLICATE_KILL_AFTER_STEP=N` makes the process SIGKILL
    /// itself once a trainer has finished step N (after that step's checkpoint, if any), so
    /// the interruption lands at a chosen step, the same every time.
    static let killAfterStep = ProcessInfo.processInfo.environment["REPLICATE_KILL_AFTER_STEP"].flatMap { Int($0) }
}
