import Foundation

/// Gathers the stores of a sharded plan (`run --shard i/N`, one store per shard) into one, and
/// checks each shard against its part of the plan, so that a failed or cancelled shard is named
/// with the runs it lacks instead of silently thinning the merged results.
public enum ShardMerge {
    /// A shard whose store lacks runs of its part of the plan.
    public struct Gap: Sendable, Equatable {
        public let shard: Int
        public let count: Int
        public let store: String
        /// Why the store could not be read at all (nil: it was read; `missing` are not in it).
        public let problem: String?
        public let missing: [PlannedRun]
        public let planned: Int
    }

    /// Merge `stores[i-1]` (the store of shard i of `stores.count`) into `output`; every run a
    /// store holds is copied, complete shard or not. Returns the shards that lack planned runs.
    public static func merge(plan: [PlannedRun], stores: [String], into output: ResultsStore,
                             log: (String) -> Void = { _ in }) throws -> [Gap] {
        var gaps: [Gap] = []
        for (offset, path) in stores.enumerated() {
            let part = RunPlan.shard(plan, index: offset + 1, count: stores.count)
            func gap(_ problem: String?, _ missing: [PlannedRun]) -> Gap {
                Gap(shard: offset + 1, count: stores.count, store: path, problem: problem, missing: missing, planned: part.count)
            }
            guard FileManager.default.fileExists(atPath: path) else {
                if !part.isEmpty { gaps.append(gap("no store: the task never ran", part)) }
                continue
            }
            let store: ResultsStore
            do { store = try ResultsStore(path: path, readOnly: true) } catch let e as HarnessError {
                gaps.append(gap(e.description, part))
                continue
            }
            let r = try output.merge(from: store)
            log("\(path): \(r.copied) runs copied, \(r.skipped) already present")
            let missing = try part.filter { try !store.isComplete($0.fingerprint) }
            if !missing.isEmpty { gaps.append(gap(nil, missing)) }
            try store.close()
        }
        return gaps
    }
}

extension ShardMerge.Gap: CustomStringConvertible {
    /// One line: which shard, how many runs it lacks, and which.
    public var description: String {
        let runs = missing.map { "\($0.arm) seed \($0.seed)" }.joined(separator: ", ")
        return "shard \(shard)/\(count) (\(store)) lacks \(missing.count) of its \(planned) runs"
            + (problem.map { " (\($0))" } ?? "") + ": \(runs)"
    }
}
