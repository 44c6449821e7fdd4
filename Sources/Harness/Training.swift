import Foundation
import LMCore

/// The one way a paper trains a model: an LMCore `TrainingPhase` bound to the run (named after it,
/// resumable from its working directory, tied to its fingerprint), run with the run's progress
/// line, a divergence turned into `DivergenceError`, and the log stored with the run.
extension RunContext {
    /// The model snapshot this run keeps at `step` in its working directory, for arms that start
    /// from it.
    public func snapshotURL(step: Int) -> URL { Self.snapshotURL(in: workDirectory, step: step) }

    /// The snapshot that `arm` (a dependency of this run, same seed) kept at `step`, or a
    /// one-line usage error when `arm` is not a dependency.
    public func dependencySnapshot(_ arm: String, step: Int) throws -> URL {
        guard let dir = dependencies[arm] else {
            throw HarnessError.usage("arm '\(self.arm)' needs the checkpoints of arm '\(arm)', which is not among its dependencies")
        }
        return Self.snapshotURL(in: dir, step: step)
    }

    private static func snapshotURL(in dir: URL, step: Int) -> URL { dir.appendingPathComponent("checkpoint-\(step).ckpt") }

    /// A training phase that belongs to this run: named after it, resumable from `resume.ckpt` in
    /// its working directory, bound to its fingerprint, keeping snapshots at `snapshotSteps`.
    /// `probes` are measured at `evalSteps` beside the validation losses, under their own names.
    public func trainingPhase(steps: Int, schedule: LRSchedule, start: TrainingPhase.Start = .fresh, evalSteps: [Int] = [],
                              validation: [(name: String, batches: [Batch])] = [], snapshotSteps: [Int] = [],
                              checkpointEvery: Int = 250, logEvery: Int = 1,
                              probes: ((Int) throws -> [String: Double])? = nil) -> TrainingPhase {
        var phase = TrainingPhase(label: "\(paper)/\(arm) seed \(seed)", steps: steps, schedule: schedule, start: start,
                                  evalSteps: Set(evalSteps), validation: validation,
                                  snapshots: Dictionary(uniqueKeysWithValues: snapshotSteps.map { ($0, snapshotURL(step: $0)) }),
                                  resumeURL: workDirectory.appendingPathComponent("resume.ckpt"), checkpointEvery: checkpointEvery,
                                  configHash: fingerprint, logEvery: logEvery)
        phase.probes = probes
        return phase
    }

    /// Train through `phase` with this run's progress line; a divergence becomes `DivergenceError`
    /// (the run is then not stored). With `recordLog` the phase's log is stored as series
    /// (`record(_:)`); a paper that keys its series otherwise records `log` itself.
    @discardableResult
    public func train(_ phase: TrainingPhase, model: SequenceModel, optimizer: AdamW, recordLog: Bool = true,
                      batch: (Int) throws -> Batch) throws -> TrainedPhase {
        let progressLine = trainingProgress
        var firstStep: Int?
        let began = Date()
        let log = try DivergenceError.mapping {
            try phase.run(model: model, optimizer: optimizer, batch: batch, progress: { p in
                if firstStep == nil { firstStep = p.step }
                progressLine(p)
            })
        }
        let seconds = Date().timeIntervalSince(began)
        progress.finish()
        if recordLog { record(log) }
        return TrainedPhase(log: log, stepsTrained: firstStep.map { phase.steps - $0 + 1 } ?? 0, seconds: seconds)
    }

    /// Store a phase's log: `val/<set>` becomes the series `<set>_val`, the switch state
    /// `switch/<k>` (logged once at step 0) the measurement `switch_<k>`, every other series keeps its name.
    public func record(_ log: TrainingLog) {
        for name in log.series.keys.sorted() {
            let points = log.series[name]!
            if name.hasPrefix("switch/") {
                if let v = points.first?.value { measure("switch_" + name.dropFirst("switch/".count), v) }
                continue
            }
            let series = name.hasPrefix("val/") ? "\(name.dropFirst(4))_val" : name
            for p in points { self.log(series, step: p.step, value: p.value) }
        }
    }
}

/// What `train` did in this process: the phase's whole log (a resumed run's log includes the steps
/// before the interruption), and the steps and wall seconds of this process alone, for throughput.
public struct TrainedPhase {
    public let log: TrainingLog
    public let stepsTrained: Int
    public let seconds: Double
}

extension DivergenceError {
    /// Run `body`, turning LMCore's `TrainingError.diverged` into the harness's `DivergenceError`
    /// (the run is then not stored).
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as TrainingError {
            if case .diverged(let step, let loss) = e { throw DivergenceError(step: step, detail: "loss \(loss)") }
            throw e
        }
    }
}
