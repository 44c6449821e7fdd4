import Foundation
import Harness

/// The report's figures: the paper's Figure 1 (accuracy and TVD per architecture against the
/// in-context 2-gram and 3-gram reference lines), learning curves, and one n-gram head.
enum ICLLFigures {
    static let architectures: [Architecture] = [.transformer, .lstm, .lstmNGram]

    static func all(_ r: TierResults) -> [Figure] {
        let arms = architectures.filter { a in r.seeds.contains { $0.has(ICLLTarget.armName(a)) } }
        func mean(_ arm: String, _ name: String) -> Double? {
            let vs = r.seeds.compactMap { $0.runs[arm]?.measurements[name] }
            return vs.isEmpty ? nil : vs.reduce(0, +) / Double(vs.count)
        }
        func point(_ arm: String, _ name: String, x: Double) -> [FigurePoint] {
            let vs = r.seeds.compactMap { $0.runs[arm]?.measurements[name] }
            guard !vs.isEmpty else { return [] }
            let s = SampleSummary(vs)
            return [FigurePoint(x: x, y: s.mean, error: s.n > 1 ? s.halfWidth : nil)]
        }
        func references(_ metric: String) -> [ReferenceLine] {
            [(3, "in-context 3-gram (backoff)"), (2, "in-context 2-gram (backoff)")].compactMap { n, label in
                mean(ICLLTarget.baselinesArm, "\(metric)_\(n)gram").map { ReferenceLine(y: $0, label: label) }
            }
        }
        let order = arms.enumerated().map { "\($0.offset + 1) = \($0.element.rawValue)" }.joined(separator: ", ")
        var figures: [Figure] = []
        for (metric, measurement, title, axis, caption) in [
            ("acc", "accuracy", "Greedy next-symbol validity accuracy per architecture (Figure 1, left)", "accuracy (higher is better)",
             "Paper Fig. 1 (left): the Transformer above the LSTM (I1) and at or above the 2-gram line (I2); the n-gram layers lift the LSTM to the 3-gram line (I3)."),
            ("tvd", "tvd", "Total variation distance to the true next-symbol law (Figure 1, right)", "TVD (lower is better)",
             "Paper Fig. 1 (right): the Transformer reaches the 3-gram line's TVD (I2); the LSTM stays above it (I1)."),
        ] {
            figures.append(Figure(
                name: "figure1-\(measurement)", title: title, xLabel: "architecture (\(order))", yLabel: axis,
                xRange: 0.5...(Double(arms.count) + 0.5),
                series: arms.enumerated().map { i, a in
                    FigureSeries(label: a.rawValue, points: point(ICLLTarget.armName(a), measurement, x: Double(i + 1)))
                },
                referenceLines: references(metric), caption: caption))
        }
        figures.append(Figure(
            name: "accuracy-vs-epoch", title: "Test accuracy during training", xLabel: "epoch", yLabel: "accuracy",
            series: arms.map { FigureSeries(label: $0.rawValue, points: r.meanSeries("test_accuracy", arm: ICLLTarget.armName($0))) },
            referenceLines: references("acc"),
            caption: "Test accuracy every few epochs (mean over seeds): the LSTM plateaus below the 2-gram line; the Transformer climbs toward the 3-gram line."))
        figures.append(Figure(
            name: "tvd-vs-epoch", title: "Test TVD during training", xLabel: "epoch", yLabel: "TVD",
            series: arms.map { FigureSeries(label: $0.rawValue, points: r.meanSeries("test_tvd", arm: ICLLTarget.armName($0))) },
            referenceLines: references("tvd"),
            caption: "Test TVD to the true next-symbol law every few epochs (mean over seeds)."))
        figures.append(Figure(
            name: "train-loss", title: "Training loss per epoch", xLabel: "epoch", yLabel: "cross-entropy (nats, letter targets)",
            series: arms.map { FigureSeries(label: $0.rawValue, points: r.meanSeries("train_loss", arm: ICLLTarget.armName($0))) },
            caption: "Loss of the last batch of each epoch (mean over seeds)."))
        // The n-gram head of the first seed's Transformer.
        let tf = ICLLTarget.armName(.transformer)
        if let run = r.seeds.first(where: { $0.has(tf) })?.runs[tf], let row = run.series["example_attention"] {
            let mm = run.measurements
            let layer = Int(mm["example_layer"] ?? 0), head = Int(mm["example_head"] ?? 0), query = Int(mm["example_query"] ?? 0)
            func pts(_ s: [SeriesPoint]?) -> [FigurePoint] { (s ?? []).map { FigurePoint(x: Double($0.step), y: $0.value) } }
            figures.append(Figure(
                name: "ngram-head",
                title: "Attention of layer \(layer), head \(head) from query \(query) of test instance \(Int(mm["example_instance"] ?? 0)) (seed \(run.seed))",
                xLabel: "key position j", yLabel: "attention weight",
                series: [FigureSeries(label: "attention weight", points: pts(row), style: .impulses),
                         FigureSeries(label: "followers of the current token, S_i(1)", points: pts(run.series["example_S1"]), style: .points),
                         FigureSeries(label: "followers of the current bigram, S_i(2)", points: pts(run.series["example_S2"]), style: .points)],
                caption: String(format: "The most n-gram-like head (largest mean mass on S_i(1) or S_i(2)); on this query it puts %.2f of its mass on S_i(1) and %.2f on S_i(2). Check I5 averages this over test queries i ≥ 30.",
                                mm["example_mass_S1"] ?? 0, mm["example_mass_S2"] ?? 0)))
        }
        return figures
    }
}
