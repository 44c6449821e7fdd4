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

/// One paper replicated in miniature. Implement this, add an instance to
/// `Sources/replicate/Registry.swift`, and the harness runs, stores, verifies and reports it.
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
}

extension ReplicationTarget {
    public var tiers: [Tier] { Tier.allCases }
    public func figures(for results: TierResults) -> [Figure] { [] }
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
