import Foundation
import Harness

/// The report's figures: the paper's Figure 2 (left and middle) re-drawn for the miniature,
/// Δ against training step per M (Figure 4 analogue), and per-position error curves.
enum TaskDiversityFigures {
    static func all(_ r: TierResults, grid: [Int?]) -> [Figure] {
        let finite = grid.compactMap { $0 }
        let infinite = TaskDiversityTarget.armName(nil)
        /// Mean ± CI over seeds of one measurement across the finite grid (x = M).
        func across(_ name: String, batch: Int = 64) -> [FigurePoint] {
            finite.compactMap { m in
                let vs = r.seeds.compactMap { $0.runs[TaskDiversityTarget.armName(m, batch: batch)]?.measurements[name] }
                guard !vs.isEmpty else { return nil }
                let s = SampleSummary(vs)
                return FigurePoint(x: Double(m), y: s.mean, error: s.n > 1 ? s.halfWidth : nil)
            }
        }
        func infValue(_ name: String) -> Double? {
            let vs = r.seeds.compactMap { $0.runs[infinite]?.measurements[name] }
            return vs.isEmpty ? nil : vs.reduce(0, +) / Double(vs.count)
        }
        var figures: [Figure] = []
        var trueRefs: [ReferenceLine] = []
        if let v = infValue("pt_true") { trueRefs.append(ReferenceLine(y: v, label: "PT, M = ∞")) }
        figures.append(Figure(
            name: "error-vs-tasks-true", title: "Error on new tasks (T_True) against the number of pretraining tasks",
            xLabel: "number of pretraining tasks M", yLabel: "MSE / D vs noiseless target", logX: true,
            series: [FigureSeries(label: "Transformer (PT)", points: across("pt_true")),
                     FigureSeries(label: "dMMSE (Bayes for the pool)", points: across("dmmse_true")),
                     FigureSeries(label: "Ridge (Bayes for N(0, I))", points: across("ridge_true"))],
            referenceLines: trueRefs,
            caption: "Paper Fig. 2 (left, T_True): the PT follows dMMSE for tiny M, then leaves it for ridge as M grows."))
        figures.append(Figure(
            name: "error-vs-tasks-pretrain", title: "Error on the pretraining tasks (T_Pretrain) against M",
            xLabel: "number of pretraining tasks M", yLabel: "MSE / D vs noiseless target", logX: true,
            series: [FigureSeries(label: "Transformer (PT)", points: across("pt_pre")),
                     FigureSeries(label: "dMMSE (Bayes for the pool)", points: across("dmmse_pre")),
                     FigureSeries(label: "Ridge (Bayes for N(0, I))", points: across("ridge_pre"))],
            caption: "Paper Fig. 2 (left, T_Pretrain): past the transition the PT pays on its own tasks for what it gains on new ones."))
        var deltaRefs: [ReferenceLine] = []
        if let v = infValue("delta_true_pt_ridge") { deltaRefs.append(ReferenceLine(y: v, label: "Δ True(PT, Ridge) at M = ∞")) }
        figures.append(Figure(
            name: "distance-vs-tasks", title: "Distance of the PT to the two Bayes predictors",
            xLabel: "number of pretraining tasks M", yLabel: "Δ (mean squared difference / D)", logX: true, logY: true,
            series: [FigureSeries(label: "Δ True(PT, Ridge)", points: across("delta_true_pt_ridge")),
                     FigureSeries(label: "Δ Pretrain(PT, dMMSE)", points: across("delta_pre_pt_dmmse"))],
            referenceLines: deltaRefs,
            caption: "Paper Fig. 2 (middle): distance to ridge falls with M and saturates at the M = ∞ value (check R3)."))
        if r.tier == .extended {
            figures.append(Figure(
                name: "r-vs-tasks", title: "Position r between dMMSE (0) and ridge (1), batch 64 vs 128",
                xLabel: "number of pretraining tasks M", yLabel: "r", logX: true,
                series: [FigureSeries(label: "B = 64", points: across("r")), FigureSeries(label: "B = 128", points: across("r", batch: 128))],
                caption: "Paper Fig. 2 (right): more sequences per task move r down below the threshold and up above it (check R5)."))
        }
        figures.append(Figure(
            name: "distance-vs-step", title: "Δ True(PT, Ridge) during training, per M",
            xLabel: "training step", yLabel: "Δ True(PT, Ridge)", logY: true,
            series: grid.map { m in
                FigureSeries(label: m.map { "M = \($0)" } ?? "M = ∞",
                             points: r.meanSeries("delta_true_pt_ridge", arm: TaskDiversityTarget.armName(m)))
            },
            caption: "Paper Fig. 4 analogue: small pools approach ridge early and then turn toward dMMSE; large pools keep approaching ridge."))
        let shown = grid.filter { $0 == 2 || $0 == 32 || $0 == nil }
        var positional: [FigureSeries] = []
        for m in shown {
            let arm = TaskDiversityTarget.armName(m)
            positional.append(FigureSeries(label: "PT, \(m.map { "M = \($0)" } ?? "M = ∞")", points: r.meanSeries("position_error_true_pt", arm: arm)))
            if let m { positional.append(FigureSeries(label: "dMMSE, M = \(m)", points: r.meanSeries("position_error_true_dmmse", arm: arm))) }
        }
        positional.append(FigureSeries(label: "Ridge", points: r.meanSeries("position_error_true_ridge", arm: infinite)))
        figures.append(Figure(
            name: "error-vs-position", title: "Error on new tasks by position in the context",
            xLabel: "number of in-context examples seen + 1 (position k)", yLabel: "MSE / D", logY: true,
            series: positional,
            caption: "Per-position error on T_True at the end of training: ridge improves with every example; a small-pool PT stalls like dMMSE."))
        return figures
    }
}
