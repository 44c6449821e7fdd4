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

    public var metricNames: [String] {
        var names = ["r0_ridge_true_d4", "r0_ridge_true_d8", "r0_dmmse_pre_excess", "r0_dmmse_spearman_d4",
                     "r0_dmmse_gap_4096_d4", "r0_anchor_deviation_d4", "r0_anchor_deviation_d8",
                     "r1_pre_ratio", "r1_true_ratio", "r3_spearman", "r3_saturation", "r4_ridge_ratio", "r4_dmmse_ratio",
                     "r5_r_change_m2", "r5_rises_count", "smoke_loss_ratio", "smoke_pre_toward_dmmse", "smoke_separation"]
        for m in [8, 32, 128] { names += ["r2_true_ratio_m\(m)", "r2_pre_ratio_m\(m)"] }
        return names
    }

    public func metrics(for seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var out: [String: Double] = [:]
        if let cf = seed.runs["closed-form"] {
            for name in metricNames where name.hasPrefix("r0_") { out[name] = cf.measurements[name] }
            // Judged here, not in the run, so that a corrected anchor needs no re-run.
            for (tag, anchors) in [("d4", ClosedFormConfig.miniatureAnchors), ("d8", ClosedFormConfig.paperAnchors)] {
                let devs = (cf.series["dmmse_true_\(tag)"] ?? []).compactMap { p in anchors[p.step].map { abs(p.value / $0 - 1) } }
                if !devs.isEmpty { out["r0_anchor_deviation_\(tag)"] = devs.max() }
            }
        }
        func value(_ name: String, _ m: Int?, batch: Int = 64) -> Double? {
            seed.runs[Self.armName(m, batch: batch)]?.measurements[name]
        }
        // R1: the Bayesian phase at M = 2
        if let d = value("delta_pre_pt_dmmse", 2), let dr = value("delta_pre_ridge_dmmse", 2) { out["r1_pre_ratio"] = d / dr }
        if let pt = value("pt_true", 2), let ridge = value("ridge_true", 2) { out["r1_true_ratio"] = pt / ridge }
        // R2: a non-Bayesian win on new tasks paid for on the pool's own tasks
        for m in [8, 32, 128] {
            if let pt = value("pt_true", m), let dm = value("dmmse_true", m) { out["r2_true_ratio_m\(m)"] = pt / dm }
            if let pt = value("pt_pre", m), let dm = value("dmmse_pre", m) { out["r2_pre_ratio_m\(m)"] = pt / dm }
        }
        // R3: Δ^True(PT, Ridge) falls with M and saturates at the M = ∞ value
        let finite = Self.grid(tier).compactMap { $0 }
        let deltas = finite.compactMap { m in value("delta_true_pt_ridge", m).map { (log2(Double(m)), $0) } }
        if deltas.count == finite.count, deltas.count >= 3 {
            out["r3_spearman"] = Statistics.spearman(deltas.map(\.0), deltas.map(\.1))
        }
        if let largest = finite.last, let d = value("delta_true_pt_ridge", largest), let dInf = value("delta_true_pt_ridge", nil) {
            out["r3_saturation"] = d / dInf
        }
        // R4: at M = ∞ the PT is ridge-like
        if let pt = value("pt_true", nil), let ridge = value("ridge_true", nil) { out["r4_ridge_ratio"] = pt / ridge }
        if let pt = value("pt_true", nil), let dm = value("dmmse_true", 8) { out["r4_dmmse_ratio"] = pt / dm }
        // R5 (extended): doubling the batch moves r toward dMMSE at M = 2, toward ridge above
        if tier == .extended {
            if let a = value("r", 2), let b = value("r", 2, batch: 128) { out["r5_r_change_m2"] = b - a }
            let large = finite.filter { $0 >= 32 }
            let rises = large.compactMap { m -> Bool? in
                guard let a = value("r", m), let b = value("r", m, batch: 128) else { return nil }
                return b > a
            }
            if rises.count == large.count { out["r5_rises_count"] = Double(rises.filter { $0 }.count) }
        }
        // Smoke plumbing: the loss falls, and the M = 2 model moves toward dMMSE on its pool
        if tier == .smoke, let run = seed.runs[Self.armName(2)] {
            let loss = run.series["train_loss"] ?? []
            if let first = loss.first?.value, let last = loss.last?.value { out["smoke_loss_ratio"] = last / first }
            let toward = run.series["delta_pre_pt_dmmse"] ?? []
            if let first = toward.first?.value, let last = toward.last?.value { out["smoke_pre_toward_dmmse"] = last / first }
            if let pre = value("pt_pre", 2), let inf = value("pt_true", nil) { out["smoke_separation"] = pre / inf }
        }
        return out
    }

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
