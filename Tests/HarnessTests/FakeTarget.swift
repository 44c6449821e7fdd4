import Foundation
import LMCore
@testable import Harness

/// A tiny target whose "training" is a few arithmetic steps with RandomStream noise:
/// arm `base` trains from scratch and checkpoints; `tuned` continues from base's checkpoint
/// (a dependency, like rewarm's continual arms); `solo` is independent; `boom` (optional) diverges.
struct FakeTarget: ReplicationTarget {
    struct Config: Codable { var steps: Int; var rate: Double }

    var key = "fake"
    var citation = "A. Author. A fake paper. 2024."
    var summary = "Loss falls when you train.\nThe miniature keeps the arithmetic and drops the model."
    var claimsURL: URL
    var withDivergingArm = false
    /// Throw (like a kill) after this step of `base`, once a checkpoint is written.
    var crashBaseAfter: Int? = nil
    /// Before this step of `solo`, point the `records.tsv` handle at /dev/full: a full disk.
    var breakRecordsAt: Int? = nil
    var metricNames = ["gap", "solo_final", "tuned_final"]
    var figureCaption = "Every arm's loss falls."
    var figureClaims: [String] = []
    /// Make `metrics` fail: throw for `gap`, or return a name `metricNames` does not declare.
    enum MetricsFault { case throwing, undeclared }
    var metricsFault: MetricsFault? = nil

    func arms(for tier: Tier) -> [ArmSpec] {
        let steps = tier == .smoke ? 4 : 8
        var arms = [ArmSpec("base", config: Config(steps: steps, rate: 0.5)),
                    ArmSpec("tuned", config: Config(steps: steps, rate: 0.25), dependencies: ["base"]),
                    ArmSpec("solo", config: Config(steps: steps, rate: 0.1))]
        if withDivergingArm { arms.append(ArmSpec("boom", config: Config(steps: steps, rate: 99))) }
        return arms
    }

    struct Crash: Error {}

    func run(_ ctx: RunContext) throws {
        let c = try ctx.config(Config.self)
        let ckpt = ctx.workDirectory.appendingPathComponent("ckpt.txt")
        var loss = 1.0, first = 0
        if ctx.arm == "tuned", let base = ctx.dependencies["base"],
           let text = try? String(contentsOf: base.appendingPathComponent("ckpt.txt"), encoding: .utf8) {
            loss = Double(text.split(separator: " ")[1])!
        }
        if let text = try? String(contentsOf: ckpt, encoding: .utf8) {   // resume
            let f = text.split(separator: " ")
            first = Int(f[0])! + 1; loss = Double(f[1])!
        }
        for step in first..<c.steps {
            if c.rate > 10 && step == 2 { throw DivergenceError(step: step, detail: "loss is NaN") }
            if ctx.arm == "solo", step == breakRecordsAt {
                let full = open("/dev/full", O_WRONLY)
                dup2(full, ctx.recordFile.fileDescriptor)
                close(full)
            }
            var noise = ctx.random("data").child(ctx.arm).child(step)   // per step: resumes exactly
            loss *= (1 - c.rate * 0.5) + 0.01 * Double(noise.normal())
            ctx.log("loss", step: step, value: loss)
            ctx.progress.update(step: step + 1, total: c.steps, loss: loss)
            try "\(step) \(loss)".write(to: ckpt, atomically: true, encoding: .utf8)
            if ctx.arm == "base", let k = crashBaseAfter, step == k { throw Crash() }
        }
        ctx.measure("final", loss)
    }

    func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var m: [String: Double] = [:]
        if seed.has("base"), seed.has("tuned") {
            m["gap"] = try seed.measurement("final", arm: "base") - seed.measurement("final", arm: "tuned")
            m["tuned_final"] = try seed.measurement("final", arm: "tuned")
        }
        if seed.has("solo") { m["solo_final"] = try seed.measurement("final", arm: "solo") }
        switch metricsFault {
        case .throwing?: throw MetricError("gap", "tuned's final loss is zero")
        case .undeclared?: m["gpa"] = 1
        case nil: break
        }
        return m
    }

    func figures(for r: TierResults) -> [Figure] {
        [Figure(name: "loss", title: "Loss against step", xLabel: "step", yLabel: "loss", logY: true,
                series: ["base", "tuned", "solo"].map { FigureSeries(label: $0, points: r.meanSeries("loss", arm: $0)) },
                referenceLines: [ReferenceLine(y: 0.1, label: "target")], caption: figureCaption, claims: figureClaims)]
    }
}

let fakeClaims = """
paper: fake
seeds: {smoke: 1, default: 3, extended: "101-102"}
seed_analysis: every check passes at n = 3
claims:
  - id: F1
    claim: C1
    statement: Continuing from the base run lowers the loss further.
    paper_number: "0.2 (Fig. 1)"
    tiers: [smoke, default]
    transfer: robust
    expect: PASS
    conditions:
      - metric: gap
        min: 0.0
        direction: higher
  - id: F2
    statement: Either the solo loss is small or the tuned loss is tiny and the gap positive.
    paper_number: "n/a"
    source: Table 2
    tiers: [default]
    transfer: likely
    expect: PASS
    combine: any
    conditions:
      - metric: solo_final
        max: 0.001
      - all:
          - metric: tuned_final
            max: 0.5
          - metric: gap
            min: 0
  - id: F3
    statement: The solo loss is below 1e-9 (never true; report only).
    paper_number: "0"
    tiers: [default]
    transfer: does-not-transfer
    report_only: true
    conditions:
      - metric: solo_final
        max: 1e-9
"""

/// A fresh temporary folder per test.
func tempDir(_ name: String = #function) -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(safe)-\(UUID().uuidString.prefix(8))")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func makeTarget(in dir: URL, claims: String = fakeClaims, diverging: Bool = false) -> FakeTarget {
    let url = dir.appendingPathComponent("claims.yaml")
    try! claims.write(to: url, atomically: true, encoding: .utf8)
    return FakeTarget(claimsURL: url, withDivergingArm: diverging)
}

func quietOptions(_ tier: Tier = .default, seeds: Int = 3, force: Bool = false) -> RunOptions {
    RunOptions(tier: tier, seeds: Array(1...seeds), force: force, threads: 1, codeVersion: "test", verbose: false)
}
