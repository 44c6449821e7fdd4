import Foundation
import LMCore

/// One (paper, arm, tier, seed) of a run matrix, with its fingerprint.
public struct PlannedRun: Sendable, Equatable, Hashable {
    public let paper: String
    public let arm: String
    public let tier: Tier
    public let seed: Int
    public let configJSON: String
    public let dependencies: [String]
    public let fingerprint: String

    public var label: String { "\(paper)/\(arm) tier=\(tier.rawValue) seed=\(seed)" }
}

/// The run list of a tier and its deterministic shards.
///
/// Sharding unit: a *dependency group* of one seed, i.e. arms linked by `dependencies`
/// (rewarm: the upstream run with all its continual arms; task-diversity: every grid point
/// alone). Groups are listed seed by seed in arm order and dealt round-robin, so a shard
/// never needs a run it does not own, and the union of shards 1…N is the whole list.
public enum RunPlan {
    /// All runs of `tier` × `seeds` at `threads` workers, seed by seed, arms in dependency order.
    public static func runs(_ target: any ReplicationTarget, tier: Tier, seeds: [Int], threads: Int) throws -> [PlannedRun] {
        let arms = try ordered(target.arms(for: tier), paper: target.key)
        return seeds.flatMap { seed in
            arms.map { a in
                PlannedRun(paper: target.key, arm: a.arm, tier: tier, seed: seed, configJSON: a.configJSON,
                           dependencies: a.dependencies,
                           fingerprint: runFingerprint(paper: target.key, arm: a.arm, tier: tier, seed: seed, configJSON: a.configJSON,
                                                        threads: threads, version: target.version))
            }
        }
    }

    /// Shard `index` (1-based) of `count`.
    public static func shard(_ runs: [PlannedRun], index: Int, count: Int) -> [PlannedRun] {
        precondition(count >= 1 && (1...count).contains(index))
        // Union-find over arms: the group of an arm is the root of its dependency tree.
        var parent: [String: String] = [:]
        func root(_ a: String) -> String {
            var a = a
            while let p = parent[a], p != a { a = p }
            return a
        }
        for r in runs where parent[r.arm] == nil { parent[r.arm] = r.arm }
        for r in runs { for d in r.dependencies { parent[root(d)] = root(r.arm) } }
        var units: [String] = []   // "seed/root" in first-appearance order
        var unitOf: [PlannedRun: Int] = [:]
        for r in runs {
            let u = "\(r.seed)/\(root(r.arm))"
            if let i = units.firstIndex(of: u) { unitOf[r] = i } else { units.append(u); unitOf[r] = units.count - 1 }
        }
        return runs.filter { unitOf[$0]! % count == index - 1 }
    }

    /// Parse "i/N".
    public static func parseShard(_ s: String) throws -> (index: Int, count: Int) {
        let p = s.split(separator: "/")
        guard p.count == 2, let i = Int(p[0]), let n = Int(p[1]), n >= 1, (1...n).contains(i) else {
            throw HarnessError.usage("bad shard '\(s)': expected i/N with 1 ≤ i ≤ N")
        }
        return (i, n)
    }

    /// Parse "--seeds": "3" means seeds 1…3; "4,7,9" lists them. Seeds are ≥ 1.
    public static func parseSeeds(_ s: String) throws -> [Int] {
        if let n = Int(s) {
            guard n >= 1 else { throw HarnessError.usage("--seeds \(s): give a seed count of at least 1 (e.g. 3) or a list of seeds ≥ 1 (e.g. 1,2,5)") }
            return Array(1...n)
        }
        let list = s.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.count == s.split(separator: ",").count else {
            throw HarnessError.usage("bad seeds '\(s)': expected a count (3) or a list (1,2,5)")
        }
        if let bad = list.first(where: { $0 < 1 }) {
            throw HarnessError.usage("--seeds \(s): seed \(bad) is not allowed; seeds are numbered from 1 (e.g. 1,2,5)")
        }
        return Array(Set(list)).sorted()
    }

    /// The most workers `--threads` accepts: four per core, beyond which runs only slow down.
    public static var maxThreads: Int { ProcessInfo.processInfo.activeProcessorCount * 4 }

    /// Check "--threads": 1…`maxThreads`.
    public static func checkThreads(_ n: Int) throws -> Int {
        guard (1...maxThreads).contains(n) else {
            throw HarnessError.usage("--threads \(n): give 1…\(maxThreads) (up to 4 per core on this machine)")
        }
        return n
    }

    /// Arms in an order where every dependency comes first; rejects duplicates, unknown
    /// dependencies and cycles.
    static func ordered(_ arms: [ArmSpec], paper: String) throws -> [ArmSpec] {
        let names = arms.map(\.arm)
        if Set(names).count != names.count { throw HarnessError.usage("\(paper): duplicate arm names in the run matrix") }
        for a in arms { for d in a.dependencies where !names.contains(d) {
            throw HarnessError.usage("\(paper): arm '\(a.arm)' depends on unknown arm '\(d)'")
        } }
        var done: [String] = [], out: [ArmSpec] = []
        while out.count < arms.count {
            guard let next = arms.first(where: { a in !done.contains(a.arm) && a.dependencies.allSatisfy(done.contains) }) else {
                throw HarnessError.usage("\(paper): the arms' dependencies form a cycle")
            }
            done.append(next.arm); out.append(next)
        }
        return out
    }
}

public struct RunOptions: Sendable {
    public var tier: Tier
    public var seeds: [Int]
    public var shard: (index: Int, count: Int)?
    public var force: Bool
    public var threads: Int
    public var codeVersion: String
    /// Progress and status lines on stderr (off in tests).
    public var verbose: Bool
    /// Runs executed side by side, each in a child process started by `childCommand`.
    public var jobs: Int
    /// The command that executes exactly one planned run (its dependencies already complete)
    /// into the same store; needed when `jobs > 1`.
    public var childCommand: (@Sendable (PlannedRun) -> ChildCommand)?
    /// Execute only the run with this fingerprint (what a child of `jobs > 1` is asked to do).
    public var only: String?

    public init(tier: Tier, seeds: [Int], shard: (index: Int, count: Int)? = nil, force: Bool = false,
                threads: Int = 2, codeVersion: String = "unknown", verbose: Bool = true,
                jobs: Int = 1, childCommand: (@Sendable (PlannedRun) -> ChildCommand)? = nil, only: String? = nil) {
        self.tier = tier; self.seeds = seeds; self.shard = shard; self.force = force
        self.threads = threads; self.codeVersion = codeVersion; self.verbose = verbose
        self.jobs = jobs; self.childCommand = childCommand; self.only = only
    }
}

/// An executable and its arguments.
public struct ChildCommand: Sendable {
    public var executable: URL
    public var arguments: [String]
    public init(executable: URL, arguments: [String]) { self.executable = executable; self.arguments = arguments }
}

public struct RunSummary: Sendable, Equatable {
    public var ran: [String] = []       // fingerprints executed and stored
    public var skipped: [String] = []   // already complete
    public var failed: [String] = []    // one line per failed or blocked run
    public var warnings: [String] = []  // e.g. an empty shard
}

/// Runs a target's planned runs: skips finished ones, resumes interrupted ones through the
/// stable working directory, stores each finished run in one transaction.
public final class Runner {
    let target: any ReplicationTarget
    let store: ResultsStore
    let options: RunOptions
    /// `<store>.work`: one directory per run, keyed by fingerprint. It belongs to the store
    /// file, so two stores in one folder never share checkpoints.
    public let workRoot: URL

    public init(target: any ReplicationTarget, store: ResultsStore, options: RunOptions) {
        self.target = target; self.store = store; self.options = options
        workRoot = Self.workRoot(store: store.path)
    }

    public static func workRoot(store path: String) -> URL { URL(fileURLWithPath: path + ".work") }

    public func workDirectory(_ r: PlannedRun) -> URL {
        workRoot.appendingPathComponent(r.paper).appendingPathComponent(r.tier.rawValue)
            .appendingPathComponent("seed-\(r.seed)").appendingPathComponent("\(r.arm)-\(r.fingerprint)")
    }

    static let completeMarker = "COMPLETE"

    func hasMarker(_ r: PlannedRun) -> Bool {
        FileManager.default.fileExists(atPath: workDirectory(r).appendingPathComponent(Self.completeMarker).path)
    }

    func say(_ s: String) { if options.verbose { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    /// Execute the plan; failed runs are reported in the summary (and on stderr), never stored.
    public func run() throws -> RunSummary {
        var plan = try RunPlan.runs(target, tier: options.tier, seeds: options.seeds, threads: options.threads)
        var summary = RunSummary()
        if let s = options.shard {
            let all = plan.count
            plan = RunPlan.shard(plan, index: s.index, count: s.count)
            if plan.isEmpty {
                summary.warnings.append("warning: shard \(s.index)/\(s.count) of \(target.key) \(options.tier.rawValue) is empty "
                                        + "(\(all) runs in fewer than \(s.index) dependency groups); use fewer shards")
                say(summary.warnings[0])
            }
        }
        if let only = options.only {
            guard let r = plan.first(where: { $0.fingerprint == only }) else {
                throw HarnessError.usage("no planned run has fingerprint \(only)")
            }
            plan = plan.filter { $0.seed == r.seed && ($0 == r || r.dependencies.contains($0.arm)) }
        }
        // What must execute: unfinished (or forced) runs, plus dependencies of those whose
        // working directory (checkpoint) is not here, e.g. finished on another machine.
        var toExecute = Set<String>()
        for r in plan {
            let forced = options.force && (options.only == nil || r.fingerprint == options.only)
            if try forced || !store.isComplete(r.fingerprint) { toExecute.insert(r.fingerprint) }
        }
        for r in plan.reversed() where toExecute.contains(r.fingerprint) {
            for d in r.dependencies {
                if let dep = plan.first(where: { $0.seed == r.seed && $0.arm == d }), !hasMarker(dep) { toExecute.insert(dep.fingerprint) }
            }
        }
        if options.jobs > 1, let command = options.childCommand, options.only == nil {
            var concurrent = try ConcurrentRuns(plan: plan, toExecute: toExecute, jobs: options.jobs, command: command,
                                                verbose: options.verbose).run()
            concurrent.warnings = summary.warnings
            return concurrent
        }
        var failedArms = Set<String>()   // "seed/arm"
        for r in plan {
            guard toExecute.contains(r.fingerprint) else {
                summary.skipped.append(r.fingerprint)
                say("skip \(r.label) (complete, \(r.fingerprint))")
                continue
            }
            if let d = r.dependencies.first(where: { failedArms.contains("\(r.seed)/\($0)") }) {
                failedArms.insert("\(r.seed)/\(r.arm)")
                summary.failed.append("run \(r.label) not started: its dependency '\(d)' failed")
                say("error: " + summary.failed.last!)
                continue
            }
            do {
                try execute(r, plan: plan)
                summary.ran.append(r.fingerprint)
            } catch {
                failedArms.insert("\(r.seed)/\(r.arm)")
                let problem = userMessage(error)
                summary.failed.append(HarnessError.runFailed(run: r.label, problem: problem).description)
                say("error: " + summary.failed.last!)
            }
        }
        return summary
    }

    func execute(_ r: PlannedRun, plan: [PlannedRun]) throws {
        let fm = FileManager.default
        let dir = workDirectory(r)
        if options.force { try? fm.removeItem(at: dir) }
        try? fm.removeItem(at: dir.appendingPathComponent(Self.completeMarker))
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        var deps: [String: URL] = [:]
        for d in r.dependencies {
            if let dep = plan.first(where: { $0.seed == r.seed && $0.arm == d }) { deps[d] = workDirectory(dep) }
        }
        let progress = ProgressReporter(label: "\(r.paper)/\(r.arm) seed \(r.seed)", silent: !options.verbose)
        let context = try RunContext(run: r, workDirectory: dir, dependencies: deps, progress: progress, threads: options.threads)
        BLAS.configure(threads: options.threads)
        say("run  \(r.label) (\(r.fingerprint))")
        let started = Date()
        defer { progress.finish() }
        try target.run(context)
        if let e = context.recordError { throw e }
        let finished = Date()
        let iso = ISO8601DateFormatter()
        let result = RunResult(fingerprint: r.fingerprint, paper: r.paper, arm: r.arm, tier: r.tier, seed: r.seed,
                               configJSON: r.configJSON, codeVersion: options.codeVersion,
                               environment: RunEnvironment.current(threads: options.threads), status: "complete",
                               started: iso.string(from: started), finished: iso.string(from: finished),
                               wallSeconds: (finished.timeIntervalSince(started) * 1000).rounded() / 1000,
                               measurements: context.measurements, series: context.seriesPoints)
        try store.save(result)
        _ = fm.createFile(atPath: dir.appendingPathComponent(Self.completeMarker).path, contents: Data())
    }
}
