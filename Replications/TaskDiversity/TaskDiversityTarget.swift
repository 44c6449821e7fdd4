import Foundation
import Harness
import LMCore

/// Raventós et al. 2023 in miniature: a small Transformer trained on in-context linear regression
/// with a pool of M tasks behaves like dMMSE (Bayes for the pool) when M is small and like ridge
/// (Bayes for the Gaussian prior) when M is large. See README.md in this folder.
public struct TaskDiversityTarget: ReplicationTarget {
    public init() {}

    public let key = "task-diversity"
    public let citation = "A. Raventós, M. Paul, F. Chen, S. Ganguli. Pretraining task diversity and the emergence of non-Bayesian in-context learning for regression. NeurIPS 2023 (arXiv 2306.15063)."
    public let summary = """
        A Transformer pre-trained on in-context linear regression with a finite pool of M tasks behaves like the Bayes \
        estimator for that pool (dMMSE) when M is small, and like ridge regression (Bayes for the Gaussian task prior, \
        so it solves unseen tasks) once M passes a threshold. The miniature keeps the task, tokenisation, architecture, \
        Adam with the triangle schedule, both evaluation distributions and the exact closed forms; it shrinks D 8 → 4 \
        (K = 8, σ² = 0.125), the model to 2 layers × 32 wide (≈26k parameters), training to 8,000 steps at batch 64, and \
        the M grid to {2¹, 2³, …, 2¹¹, ∞}. It tests the signature of the transition, never the paper's threshold 2¹⁴.
        """
    public var claimsURL: URL { Bundle.module.url(forResource: "claims", withExtension: "yaml")! }

    // MARK: run matrix

    /// Pool sizes of a tier's grid; nil = ∞ (a fresh task per sequence).
    static func grid(_ tier: Tier) -> [Int?] {
        switch tier {
        case .smoke: return [2, nil]
        case .default, .extended: return [2, 8, 32, 128, 512, 2048, nil]
        }
    }

    static func armName(_ m: Int?, batch: Int = 64) -> String {
        let mName = m.map { "M=2^\(Int(log2(Double($0))))" } ?? "M=inf"
        return batch == 64 ? mName : "B\(batch)/\(mName)"
    }

    public func arms(for tier: Tier) -> [ArmSpec] {
        var arms = [ArmSpec("closed-form", config: ClosedFormConfig.for(tier))]
        for m in Self.grid(tier) { arms.append(ArmSpec(Self.armName(m), config: TrainConfig.for(tier, poolSize: m, batch: 64))) }
        if tier == .extended {
            for m in Self.grid(tier) { arms.append(ArmSpec(Self.armName(m, batch: 128), config: TrainConfig.for(tier, poolSize: m, batch: 128))) }
        }
        return arms
    }

    public func run(_ context: RunContext) throws {
        if context.arm == "closed-form" {
            try ClosedFormChecks.run(try context.config(ClosedFormConfig.self), context: context)
        } else {
            try PretrainedTransformer.run(try context.config(TrainConfig.self), context: context)
        }
    }

    // MARK: claim metrics

    public var metricNames: [String] { Self.vocabulary.names }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        try Self.vocabulary.values(seed, tier: tier)
    }

    /// Every metric the claims read, by check. A pretrained Transformer's arm is named by its
    /// task count M (nil = ∞) and batch.
    static let vocabulary: MetricVocabulary = {
        @Sendable func pt(_ name: String, _ m: Int?, batch: Int = 64) -> Measured { Measured(armName(m, batch: batch), name) }
        func closedForm(_ name: String) -> Metric { .value(name, Measured("closed-form", name)) }
        /// Judged here, not in the run, so that a corrected anchor needs no re-run.
        func anchorDeviation(_ tag: String, _ anchors: [Int: Double]) -> Metric {
            let name = "r0_anchor_deviation_\(tag)"
            return Metric(name) { s in
                guard let cf = s.runs["closed-form"] else { return nil }
                let devs = (cf.series["dmmse_true_\(tag)"] ?? []).compactMap { p in anchors[p.step].map { abs(p.value / $0 - 1) } }
                return devs.isEmpty ? cf.measurements[name] : devs.max()
            }
        }
        @Sendable func r(_ s: SeedResults, _ m: Int, batch: Int = 64) -> Double? { pt("r", m, batch: batch).value(s) }
        var metrics: [Metric] = [
            // R0: the closed-form estimators against the paper's numbers.
            closedForm("r0_ridge_true_d4"), closedForm("r0_ridge_true_d8"), closedForm("r0_dmmse_pre_excess"),
            closedForm("r0_dmmse_spearman_d4"), closedForm("r0_dmmse_gap_4096_d4"),
            anchorDeviation("d4", ClosedFormConfig.miniatureAnchors), anchorDeviation("d8", ClosedFormConfig.paperAnchors),
            // R1: the Bayesian phase at M = 2.
            .ratio("r1_pre_ratio", pt("delta_pre_pt_dmmse", 2), pt("delta_pre_ridge_dmmse", 2)),
            .ratio("r1_true_ratio", pt("pt_true", 2), pt("ridge_true", 2)),
        ]
        // R2: a non-Bayesian win on new tasks, paid for on the pool's own tasks.
        for m in [8, 32, 128] {
            metrics += [.ratio("r2_true_ratio_m\(m)", pt("pt_true", m), pt("dmmse_true", m)),
                        .ratio("r2_pre_ratio_m\(m)", pt("pt_pre", m), pt("dmmse_pre", m))]
        }
        metrics += [
            // R3: Δ^True(PT, Ridge) falls with M and saturates at the M = ∞ value.
            Metric("r3_spearman") { s, tier in
                let finite = grid(tier).compactMap { $0 }
                let deltas = finite.compactMap { m in pt("delta_true_pt_ridge", m).value(s).map { (log2(Double(m)), $0) } }
                guard deltas.count == finite.count, deltas.count >= 3 else { return nil }
                return Statistics.spearman(deltas.map(\.0), deltas.map(\.1))
            },
            Metric("r3_saturation") { s, tier in
                guard let largest = grid(tier).compactMap({ $0 }).last, let d = pt("delta_true_pt_ridge", largest).value(s),
                      let dInf = pt("delta_true_pt_ridge", nil).value(s) else { return nil }
                return d / dInf
            },
            // R4: at M = ∞ the Transformer is ridge-like.
            .ratio("r4_ridge_ratio", pt("pt_true", nil), pt("ridge_true", nil)),
            .ratio("r4_dmmse_ratio", pt("pt_true", nil), pt("dmmse_true", 8)),
            // R5 (extended): doubling the batch moves r toward dMMSE at M = 2, toward ridge above.
            Metric("r5_r_change_m2") { s in
                guard let a = r(s, 2), let b = r(s, 2, batch: 128) else { return nil }
                return b - a
            }.only(in: .extended),
            Metric("r5_rises_count") { s, tier in
                let large = grid(tier).compactMap { $0 }.filter { $0 >= 32 }
                let rises = large.compactMap { m -> Bool? in
                    guard let a = r(s, m), let b = r(s, m, batch: 128) else { return nil }
                    return b > a
                }
                return rises.count == large.count ? Double(rises.filter { $0 }.count) : nil
            }.only(in: .extended),
            // Smoke plumbing: the loss falls, and the M = 2 model moves toward dMMSE on its pool.
            Metric("smoke_loss_ratio") { s in
                guard let loss = s.runs[armName(2)]?.series["train_loss"], let first = loss.first?.value,
                      let last = loss.last?.value else { return nil }
                return last / first
            }.only(in: .smoke),
            Metric("smoke_pre_toward_dmmse") { s in
                guard let toward = s.runs[armName(2)]?.series["delta_pre_pt_dmmse"], let first = toward.first?.value,
                      let last = toward.last?.value else { return nil }
                return last / first
            }.only(in: .smoke),
            Metric("smoke_separation") { s in
                guard s.runs[armName(2)] != nil, let pre = pt("pt_pre", 2).value(s), let inf = pt("pt_true", nil).value(s) else { return nil }
                return pre / inf
            }.only(in: .smoke),
        ]
        return MetricVocabulary(metrics)
    }()

    // MARK: figures

    public func figures(for results: TierResults) -> [Figure] {
        TaskDiversityFigures.all(results, grid: Self.grid(results.tier))
    }
}

/// Small statistics the metrics need.
enum Statistics {
    /// Ranks with ties averaged.
    static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return r
    }

    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        let ra = ranks(a), rb = ranks(b)
        let ma = ra.reduce(0, +) / Double(ra.count), mb = rb.reduce(0, +) / Double(rb.count)
        var num = 0.0, da = 0.0, db = 0.0
        for i in ra.indices { num += (ra[i] - ma) * (rb[i] - mb); da += (ra[i] - ma) * (ra[i] - ma); db += (rb[i] - mb) * (rb[i] - mb) }
        return num / (da * db).squareRoot()
    }
}
