import Foundation
import Harness
import Papers
import PaperTemplate
import Testing

/// Every registered paper's smoke gate: the smoke tier run end to end through the harness on its
/// registered seeds; every gated verdict equals its expectation and every mechanics claim passes
/// (what `replicate verify --tier smoke` checks).
@Test(arguments: registry.keys)
func smokeTierGivesTheExpectedVerdicts(paper: String) throws {
    try expectSmokeGatePasses(try registry.target(paper))
}

/// The template a new paper starts from compiles, loads its claims and passes its own smoke gate.
@Test func paperTemplateRunsItsSmokeTier() throws {
    try expectSmokeGatePasses(TemplatePaperTarget())
}

/// The registry is the CLI's list: each key once, each target's claims file loads and names it.
@Test func registeredTargetsLoadTheirClaims() throws {
    #expect(Set(registry.keys).count == registry.keys.count)
    for t in registry.targets { #expect(try t.loadClaims().paper == t.key) }
}

func expectSmokeGatePasses(_ target: any ReplicationTarget) throws {
    let (failedRuns, evaluation) = try Evaluation.freshRun(target)
    #expect(failedRuns.isEmpty, "\(target.key): \(failedRuns)")
    #expect(evaluation.onRegisteredSeeds, "\(target.key)")
    #expect(evaluation.claims.contains { $0.gated }, "\(target.key)")
    #expect(evaluation.differences.isEmpty, "\(target.key): \(evaluation.differences)\n\(evaluation.table)")
}
