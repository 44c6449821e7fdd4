import Foundation
import Harness
import LMCore
import Testing
@testable import MeCo

/// The real-text (DEB) arm's plumbing at a toy size: Debian corpora load, conditioned byte
/// documents pack at document boundaries, and the three conditional losses come out finite.
/// Needs the Debian text packages (the corpora are prepared into .cache/datasets on first use).
struct DebPlumbingProbe: ReplicationTarget {
    let key = "meco"
    let citation = "probe"
    let summary = "probe"
    var claimsURL: URL { MeCoTarget().claimsURL }
    var metricNames: [String] { MeCoTarget().metricNames }
    func arms(for tier: Tier) -> [ArmSpec] {
        var c = MeCoTarget.deb(conditioned: true, stage1: 0.9)
        c.model = GPTConfig(vocabSize: 258, contextLength: 512, dModel: 32, nLayers: 1, nHeads: 2, mlpHidden: 64)
        c.steps = 20; c.evalDocuments = 32; c.checkpointEvery = 0
        return [ArmSpec("DEB-MECO", config: c)]
    }
    func run(_ context: RunContext) throws { try MeCoTarget().run(context) }
    func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] { try MeCoTarget().metrics(for: seed, tier: tier) }
}

@Test func debArmRunsEndToEndAtToySize() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("meco-deb-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try ResultsStore(path: dir.appendingPathComponent("results.sqlite").path)
    let summary = try Runner(target: DebPlumbingProbe(), store: store, options: RunOptions(tier: .extended, seeds: [1], verbose: false)).run()
    #expect(summary.failed.isEmpty)
    let ev = try Evaluation.evaluate(DebPlumbingProbe(), tier: .extended, store: store)
    let m = try #require(ev.results.seeds.first?.runs["DEB-MECO"]?.measurements)
    #expect(m["bos_start_fraction"] == 1)
    for name in ["lu", "lc", "lw", "pre_lu", "pre_lc"] { #expect(m[name].map { $0.isFinite && $0 > 0 } == true, "\(name)") }
    #expect(ev.results.metrics[1]?["m5_deb_delta_c"] != nil)
}
