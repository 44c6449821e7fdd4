import Foundation
import Corpora
import Harness
import LMCore
import Testing
@testable import Rewarm

/// The design's arithmetic, and the smoke gate: the smoke tier run end to end through the
/// harness (upstream 200 steps, lr1/wu0/wu2 for 60), whose gated claims must hold.
struct RewarmDesignTests {
    @Test func warmupStepsFollowTheBrief() {
        #expect([0, 0.005, 0.01, 0.02].map { Design.warmupSteps(fraction: $0, total: 450) } == [0, 3, 5, 9])
        #expect(Design.warmupSteps(fraction: 0.01, total: 1500) == 15)
    }

    @Test func schedulesMatchTheirFormulas() {
        let s = Design.scale(.default)
        let specs = ([.const, .lr05, .lr1, .lr2, .wu0, .wu05, .wu2, .inf, .union] as [RewarmTarget.Arm]).map { RewarmTarget.continualConfig($0, s).schedule }
            + [RewarmTarget.upstreamConfig(s, infinite: false).schedule, RewarmTarget.upstreamConfig(s, infinite: true).schedule]
        for spec in specs { #expect(spec.maxRelativeError < 1e-6, "\(spec.kind) peak \(spec.peak)") }
        let lr1 = RewarmTarget.continualConfig(.lr1, s).schedule
        #expect(abs(lr1.formula(4) - 2e-3) < 1e-15 && abs(lr1.formula(450) - 2e-4) < 1e-15)
        let inf = RewarmTarget.continualConfig(.inf, s).schedule
        #expect(abs(inf.formula(359) - 1.1e-3) < 1e-15 && abs(inf.formula(360) - 1.1e-3) < 1e-15)
        #expect(abs(Double(inf.lrSchedule(449)) - 1.1e-3 * pow(2e-4 / 1.1e-3, 89.0 / 90)) < 1e-9)
        let up = RewarmTarget.upstreamConfig(s, infinite: true).schedule
        #expect(abs(up.formula(900) - 1.1e-3) < 1e-15 && abs(up.formula(1499) - 1.1e-3) < 1e-15)
    }

    @Test func smokeKeepsTheDefaultWarmupSteps() {
        // At T1 = 60, ⌈1% · 60⌉ = 1 step would make lr1 identical to wu0; the smoke tier keeps 0 / 5 / 9 steps.
        let s = Design.scale(.smoke)
        #expect(([.wu0, .wu05, .lr1, .wu2] as [RewarmTarget.Arm]).map { RewarmTarget.continualConfig($0, s).schedule.warmup } == [0, 3, 5, 9])
        #expect(([.wu0, .wu05, .lr1, .wu2] as [RewarmTarget.Arm]).map { RewarmTarget.continualConfig($0, Design.scale(.default)).schedule.warmup } == [0, 3, 5, 9])
        let lr1 = RewarmTarget.continualConfig(.lr1, s).schedule
        #expect(lr1.total == 60 && lr1.maxRelativeError < 1e-6 && abs(lr1.formula(0) - 4e-4) < 1e-15)
    }

    @Test func armsShareOneUpstreamRun() {
        let arms = RewarmTarget().arms(for: .default)
        #expect(arms.count == 16 && arms[0].arm == "upstream")
        // Every robust check has its arms in the default tier (A9: scratch; A12: ck25, ck50).
        #expect(Set(["scratch", "ck25", "ck50", "const", "lr0.5", "lr2", "same1", "rep1", "rep5", "rep25"]).isSubset(of: Set(arms.map(\.arm))))
        #expect(arms.dropFirst().allSatisfy { $0.arm == "scratch" ? $0.dependencies.isEmpty : $0.dependencies == ["upstream"] })
        let s = Design.scale(.default)
        #expect(RewarmTarget.continualConfig(.ck25, s).startStep == 375 && RewarmTarget.continualConfig(.ck50, s).startStep == 750)
        let ext = RewarmTarget().arms(for: .extended)
        #expect(Set(ext.map(\.arm)).count == ext.count)
        #expect(ext.first { $0.arm == "scratch" }?.dependencies == [])
        #expect(ext.first { $0.arm == "inf" }?.dependencies == ["upstream-inf"])
    }

    @Test func metricsOfSyntheticCurves() {
        // A1/A2/A3 read the right points: lr1 rises 10% by step 5 and recovers half of it.
        func run(_ arm: String, u: [(Int, Double)], f: [(Int, Double)], m: [String: Double] = [:]) -> RunResult {
            RunResult(fingerprint: arm, paper: "rewarm", arm: arm, tier: .smoke, seed: 1, configJSON: "{}", codeVersion: "t",
                      environment: RunEnvironment.current(), status: "complete", started: "", finished: "", wallSeconds: 0,
                      measurements: m, series: ["U_val": u.map { SeriesPoint(step: $0.0, value: $0.1) },
                                                "F_val": f.map { SeriesPoint(step: $0.0, value: $0.1) }])
        }
        let seed = SeedResults(seed: 1, runs: [
            "lr1": run("lr1", u: [(0, 2), (1, 2.1), (5, 2.2), (30, 2.15), (60, 2.1)], f: [(0, 3), (1, 2.9), (60, 2)]),
            "wu0": run("wu0", u: [(0, 2), (60, 2.1)], f: [(0, 3), (1, 3.3), (60, 2)]),
            "wu2": run("wu2", u: [(0, 2), (60, 2.1)], f: [(0, 3), (1, 3.0), (60, 2)]),
        ])
        let m = Metrics.compute(seed, scale: Design.scale(.smoke))
        #expect(abs(m["a1_u_peak_ratio"]! - 1.1) < 1e-12)
        #expect(abs(m["a2_recovery"]! - 0.05) < 1e-12)
        #expect(abs(m["a3_spike_vs_start"]! - 1.1) < 1e-12 && abs(m["a3_spike_vs_wu2"]! - 1.1) < 1e-12)
        #expect(m["a5_gap_lr05_lr1"] == nil)
        #expect(m["mech_replay_within_3sd"] == nil)
    }

    @Test func replayCheckIsPerSeed() {
        // M4 judges each seed's largest |z| over its replay arms, not a z averaged over seeds.
        func seed(_ fractions: [String: Double]) -> [String: Double] {
            var runs: [String: RunResult] = [:]
            for (arm, p) in fractions {
                runs[arm] = RunResult(fingerprint: arm, paper: "rewarm", arm: arm, tier: .default, seed: 1, configJSON: "{}", codeVersion: "t",
                                      environment: RunEnvironment.current(), status: "complete", started: "", finished: "", wallSeconds: 0,
                                      measurements: ["replay_fraction": p, "replay_sequences": 7200], series: [:])
            }
            return Metrics.compute(SeedResults(seed: 1, runs: runs), scale: Design.scale(.default))
        }
        let sd5 = (0.05 * 0.95 / 7200).squareRoot(), sd25 = (0.25 * 0.75 / 7200).squareRoot()
        let ok = seed(["rep1": 0.01, "rep5": 0.05 + 2 * sd5, "rep25": 0.25 - 1 * sd25])
        #expect(abs(ok["mech_replay_max_abs_z"]! - 2) < 1e-9 && ok["mech_replay_within_3sd"] == 1)
        let bad = seed(["rep1": 0.01, "rep5": 0.05, "rep25": 0.25 - 3.5 * sd25])
        #expect(bad["mech_replay_within_3sd"] == 0)
        // Two seeds at z = +4 and −4 average to 0 but both fail: the indicator's mean is 0.
        let claim = try! ClaimsFile.load(RewarmTarget().claimsURL, metricNames: Metrics.names).claims.first { $0.id == "M4" }!
        let r = ClaimResult.judge(claim, tier: .default, perSeed: [1: ["mech_replay_within_3sd": 0], 2: ["mech_replay_within_3sd": 0]])
        #expect(r.verdict == .fail)
        let p = ClaimResult.judge(claim, tier: .default, perSeed: [1: ["mech_replay_within_3sd": 1], 2: ["mech_replay_within_3sd": 1], 3: ["mech_replay_within_3sd": 1]])
        #expect(p.verdict == .pass)
    }
}

/// M4 without training: the rep1/rep5/rep25 training tables of the default tier (450 × 16
/// sequences, drawn exactly as the runs draw them) realise their replay fraction within ±3
/// binomial standard deviations in every seed; the replayed sequences are unseen U (the stream
/// continues after the upstream run), the rest F.
struct RewarmReplayMechanics {
    @Test func replayTablesRealiseTheirFraction() throws {
        let store = try DatasetStore.standard()
        let s = Design.scale(.default)
        for seed in 1...3 {
            let data = RandomStream(seed: UInt64(seed), stream: "data")
            var fractions: [String: Double] = [:]
            for rep in RewarmTarget.replayArms where rep.percent > 0 {
                let cfg = RewarmTarget.continualConfig(RewarmTarget.Arm(rawValue: rep.arm)!, s)
                let table = try ContinualRun.trainingTable(cfg, data: data, store: store)
                #expect(table.count == 450 * 16)
                fractions[rep.arm] = table.fraction(of: 1)
                let q = rep.percent / 100, z = abs(table.fraction(of: 1) - q) / (q * (1 - q) / Double(table.count)).squareRoot()
                #expect(z <= 3, "seed \(seed) \(rep.arm): realised \(table.fraction(of: 1)), z = \(z)")
            }
            // Every arm of a seed reads F in the same order: lr1's first sequence opens rep25's F part too.
            let lr1 = try ContinualRun.trainingTable(RewarmTarget.continualConfig(.lr1, s), data: data, store: store)
            let rep25 = try ContinualRun.trainingTable(RewarmTarget.continualConfig(.rep25, s), data: data, store: store)
            let firstF = (0..<rep25.count).first { rep25.sources[$0] == 0 }!
            #expect(Array(rep25.bytes[firstF * 65..<(firstF + 1) * 65]) == Array(lr1.bytes[0..<65]))
            #expect(lr1.fraction(of: 1) == 0)
        }
    }
}
