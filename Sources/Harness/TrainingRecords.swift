import Foundation
import LMCore

/// The glue between an LMCore training phase and the harness's records, shared by every target
/// that trains through `TrainingPhase` (rewarm, stability-gap).
extension RunContext {
    /// Working directory of a dependency arm of the same seed, or a one-line usage error.
    public func dependencyDirectory(_ arm: String) throws -> URL {
        guard let dir = dependencies[arm] else {
            throw HarnessError.usage("arm '\(self.arm)' needs the checkpoints of arm '\(arm)', which is not among its dependencies")
        }
        return dir
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

extension DivergenceError {
    /// Run `body`, turning LMCore's `TrainingError.diverged` into the harness's `DivergenceError`
    /// (the run is then not stored).
    public static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as TrainingError {
            if case .diverged(let step, let loss) = e { throw DivergenceError(step: step, detail: "loss \(loss)") }
            throw e
        }
    }
}
