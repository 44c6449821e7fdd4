import Foundation

/// Runs a plan `jobs` at a time, each run in a child process of its own.
///
/// A child owns its BLAS workers, scratch memory and random streams, so every number it stores
/// is the one a plain sequential run computes at the same thread count; only the order in which
/// runs finish changes. A run starts once every dependency of its seed has finished; a failed
/// run's dependants are not started. Children's lines are passed on whole, never interleaved
/// mid-line; each already names its run.
final class ConcurrentRuns: @unchecked Sendable {
    let plan: [PlannedRun]
    let toExecute: Set<String>
    let jobs: Int
    let command: @Sendable (PlannedRun) -> ChildCommand
    let verbose: Bool
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var exits: [(PlannedRun, Int32)] = []

    init(plan: [PlannedRun], toExecute: Set<String>, jobs: Int, command: @escaping @Sendable (PlannedRun) -> ChildCommand,
         verbose: Bool) {
        self.plan = plan; self.toExecute = toExecute; self.jobs = jobs; self.command = command; self.verbose = verbose
    }

    func say(_ s: String) {
        guard verbose else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    func run() throws -> RunSummary {
        var summary = RunSummary()
        var pending: [PlannedRun] = []
        for r in plan {
            if toExecute.contains(r.fingerprint) { pending.append(r) } else {
                summary.skipped.append(r.fingerprint)
                say("skip \(r.label) (complete, \(r.fingerprint))")
            }
        }
        let total = pending.count
        var running: [String: Process] = [:]          // fingerprint → child
        var succeeded = Set<String>(), failed = Set<String>()   // "seed/arm"
        let started = Date()
        func key(_ r: PlannedRun, _ arm: String? = nil) -> String { "\(r.seed)/\(arm ?? r.arm)" }
        func waiting(_ r: PlannedRun, on dep: String) -> Bool {
            // A dependency still to execute in this plan, not yet succeeded.
            plan.contains { $0.seed == r.seed && $0.arm == dep && toExecute.contains($0.fingerprint) }
                && !succeeded.contains(key(r, dep))
        }
        while !pending.isEmpty || !running.isEmpty {
            var i = 0
            while i < pending.count {
                let r = pending[i]
                if let d = r.dependencies.first(where: { failed.contains(key(r, $0)) }) {
                    pending.remove(at: i)
                    failed.insert(key(r))
                    summary.failed.append("run \(r.label) not started: its dependency '\(d)' failed")
                    say("error: " + summary.failed.last!)
                    continue
                }
                if running.count < jobs, !r.dependencies.contains(where: { waiting(r, on: $0) }) {
                    pending.remove(at: i)
                    running[r.fingerprint] = try launch(r)
                    continue
                }
                i += 1
            }
            guard !running.isEmpty else { continue }
            finished.wait()
            lock.lock(); let done = exits; exits.removeAll(); lock.unlock()
            for (r, status) in done {
                running[r.fingerprint] = nil
                if status == 0 {
                    succeeded.insert(key(r)); summary.ran.append(r.fingerprint)
                } else {
                    failed.insert(key(r))
                    summary.failed.append(HarnessError.runFailed(run: r.label, problem: "its process exited with status \(status)").description)
                    say("error: " + summary.failed.last!)
                }
                let n = summary.ran.count + summary.failed.count
                let elapsed = Date().timeIntervalSince(started)
                let eta = elapsed / Double(max(n, 1)) * Double(total - n)
                say("[\(n)/\(total) runs] \(status == 0 ? "done" : "failed") \(r.label); elapsed \(ProgressReporter.duration(elapsed))"
                    + (n < total ? ", ETA \(ProgressReporter.duration(eta))" : ""))
            }
        }
        return summary
    }

    private func launch(_ r: PlannedRun) throws -> Process {
        let c = command(r)
        let p = Process()
        p.executableURL = c.executable
        p.arguments = c.arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        ChildProcesses.add(p)
        do { try p.run() } catch {
            throw HarnessError.runFailed(run: r.label, problem: "cannot start \(c.executable.path): \(error.localizedDescription)")
        }
        // One reader per child: whole lines on, until the child closes its end; then its status.
        DispatchQueue.global().async { [self] in
            let reader = out.fileHandleForReading
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                buffer.append(chunk)
                if let cut = chunk.isEmpty ? buffer.indices.last : buffer.lastIndex(of: 0x0A) {
                    var lines = Data(buffer[...cut])
                    if lines.last != 0x0A { lines.append(0x0A) }
                    buffer.removeSubrange(...cut)
                    if verbose { lock.lock(); FileHandle.standardError.write(lines); lock.unlock() }
                }
                if chunk.isEmpty { break }
            }
            p.waitUntilExit()
            ChildProcesses.remove(p)
            lock.lock(); exits.append((r, p.terminationStatus)); lock.unlock()
            finished.signal()
        }
        return p
    }
}

/// The children of `--jobs` still running, so that an interrupted parent can stop them (a
/// terminal's Ctrl-C reaches them anyway; a scheduler's SIGTERM may reach the parent alone).
public enum ChildProcesses {
    nonisolated(unsafe) private static var live: [ObjectIdentifier: Process] = [:]
    private static let lock = NSLock()

    static func add(_ p: Process) { lock.lock(); live[ObjectIdentifier(p)] = p; lock.unlock() }
    static func remove(_ p: Process) { lock.lock(); live[ObjectIdentifier(p)] = nil; lock.unlock() }

    /// SIGTERM to every child still running; each then stops as an interrupted run does.
    public static func terminateAll() {
        lock.lock(); let all = Array(live.values); lock.unlock()
        for p in all where p.isRunning { p.terminate() }
    }
}
