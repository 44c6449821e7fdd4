// Harness: targets, claims, runner, results store, verdicts, reports.
// The harness knows no paper: the CLI hands it a list of `ReplicationTarget`s.
import Foundation

/// A scale of the same experiment (steps, sizes, grid points), never a different code path.
public enum Tier: String, CaseIterable, Sendable, Codable, Comparable {
    case smoke, `default`, extended

    public static func < (a: Tier, b: Tier) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One paper replicated in miniature. Implement this, add an instance to the registry
/// (`Sources/Papers/Papers.swift`), and the harness runs, stores, verifies and reports it.
public protocol ReplicationTarget: Sendable {
    /// Command-line key and report folder name, e.g. "task-diversity".
    var key: String { get }
    /// Authors, title, year, arXiv id: one line.
    var citation: String { get }
    /// Markdown, about two lines: the paper's finding, then what the miniature keeps and changes.
    var summary: String { get }
    /// Tiers this target implements (usually all three).
    var tiers: [Tier] { get }
    /// The declarative claims file (YAML), usually `Bundle.module.url(forResource: "claims", withExtension: "yaml")!`.
    var claimsURL: URL { get }
    /// Every metric name a claim may read; `metrics(for:tier:)` computes them.
    var metricNames: [String] { get }
    /// The run matrix of a tier: one spec per arm. The harness crosses it with the seeds.
    func arms(for tier: Tier) -> [ArmSpec]
    /// Train/evaluate one (arm, seed). Record numbers through `context`; throw
    /// `DivergenceError` when the loss blows up. Checkpoint into `context.workDirectory`
    /// and resume from it when a checkpoint is there.
    func run(_ context: RunContext) throws
    /// The per-seed scalars the claims read, computed from the stored runs of one seed
    /// (arms of a seed are paired). Omit a metric whose arms are missing.
    func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double]
    /// Figures for the report; pure function of the results.
    func figures(for results: TierResults) -> [Figure]
    /// Bump when a change alters this target's results (data, model, training or measurement):
    /// it enters every run's fingerprint, so runs of an older version stop counting (default 1).
    var version: Int { get }
    /// The paper's title for the report heading (default: read from `citation`).
    var title: String { get }
    /// Deliberate departures from the paper's setup, one Markdown line each, listed first under
    /// the report's "Deviations from the paper" (default: none; the claims file's own
    /// does-not-transfer, report-only and expected-not-PASS claims are listed there anyway).
    var deviations: [String] { get }
}

extension ReplicationTarget {
    public var tiers: [Tier] { Tier.allCases }
    public var version: Int { 1 }
    public func figures(for results: TierResults) -> [Figure] { [] }
    public var title: String { paperTitle(fromCitation: citation) }
    public var deviations: [String] { [] }
}

/// The title in a citation written "A. Author, B. Author. The title. Venue": the sentence after
/// the author list, which ends at the first full stop that does not follow an initial. A title
/// may end with "?" or "!". The whole citation when it has no such shape.
public func paperTitle(fromCitation citation: String) -> String {
    let chars = Array(citation)
    /// Index of the first sentence end at or after `from` that does not close an initial ("T.").
    func sentenceEnd(from: Int, marks: Set<Character>) -> Int? {
        var i = from
        while i < chars.count {
            if marks.contains(chars[i]), i + 1 == chars.count || chars[i + 1] == " " {
                var j = i - 1
                while j >= 0, chars[j].isLetter { j -= 1 }
                if i - j - 1 > 1 || chars[i] != "." { return i }
            }
            i += 1
        }
        return nil
    }
    guard let authorsEnd = sentenceEnd(from: 0, marks: ["."]), authorsEnd + 2 < chars.count,
          let titleEnd = sentenceEnd(from: authorsEnd + 2, marks: [".", "?", "!"]) else { return citation }
    let title = String(chars[(authorsEnd + 2)...(chars[titleEnd] == "." ? titleEnd - 1 : titleEnd)])
    return title.isEmpty ? citation : title
}

/// One arm of the run matrix: a name, its configuration and the arms of the same seed it needs.
public struct ArmSpec: Sendable, Equatable {
    public let arm: String
    /// Canonical JSON (sorted keys): part of the fingerprint, stored with the run.
    public let configJSON: String
    /// Arms of the same seed that must finish first; their working directories are handed
    /// to this run (e.g. continual arms load the upstream run's final checkpoint).
    public let dependencies: [String]

    public init<Config: Encodable>(_ arm: String, config: Config, dependencies: [String] = []) {
        self.arm = arm
        self.configJSON = canonicalJSON(config)
        self.dependencies = dependencies
    }
}

/// Canonical JSON of a configuration: sorted keys, no escaped slashes, so equal configs hash equally.
public func canonicalJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { preconditionFailure("configuration is not JSON-encodable") }
    return String(decoding: data, as: UTF8.self)
}

/// Thrown by a target when training diverges (NaN or exploding loss). The run is not stored.
public struct DivergenceError: Error, CustomStringConvertible, Sendable {
    public let step: Int
    public let detail: String
    public init(step: Int, detail: String) { self.step = step; self.detail = detail }
    public var description: String { "diverged at step \(step): \(detail)" }
}
