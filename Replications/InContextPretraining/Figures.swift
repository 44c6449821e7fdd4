import Foundation
import Harness

/// The report's figures: training loss per ordering (paper Fig. 4), probe accuracy per ordering
/// (Tables 2–4), recall against the number of prior documents (Fig. 6), the relevance and dedup
/// ablations (Fig. 5), held-out loss per arm (Fig. 3) and the adjacent-cosine histogram.
enum ICPFigures {
    static let orderings = ["RANDOM", "ICP", "KNN", "CLUSTER"]

    static func all(_ r: TierResults) -> [Figure] {
        let arms = Set(r.seeds.flatMap { $0.runs.keys })
        let present = orderings.filter(arms.contains)
        let tokensPerStep = Double(InContextPretrainingTarget.batch * 256)
        /// Mean ± CI over seeds of a measurement of one arm.
        func value(_ arm: String, _ name: String) -> (Double, Double?)? {
            let vs = r.seeds.compactMap { $0.runs[arm]?.measurements[name] }
            guard !vs.isEmpty else { return nil }
            let s = SampleSummary(vs)
            return (s.mean, s.n > 1 ? s.halfWidth : nil)
        }
        /// One series per arm over a list of (x, measurement) points.
        func profile(_ arms: [String], _ names: [String], scale: Double = 100) -> [FigureSeries] {
            arms.map { arm in
                FigureSeries(label: arm, points: names.enumerated().compactMap { i, n in
                    value(arm, n).map { FigurePoint(x: Double(i + 1), y: $0.0 * scale, error: $0.1.map { $0 * scale }) }
                })
            }
        }
        var figures: [Figure] = []
        figures.append(Figure(
            name: "training-loss", title: "Training loss per ordering",
            xLabel: "training tokens", yLabel: "training loss (nats/token)",
            series: present.map { arm in
                FigureSeries(label: arm, points: r.meanSeries("train_loss", arm: arm).map {
                    FigurePoint(x: $0.x * tokensPerStep, y: $0.y, error: $0.error)
                })
            },
            caption: "Paper Fig. 4 analogue (check I-1): contexts of related documents make the training stream more predictable."))
        figures.append(Figure(
            name: "probe-accuracy", title: "Probe accuracy per ordering (1 = open-book easy, 2 = open-book hard, 3 = closed-book, 4 = faithfulness)",
            xLabel: "probe (1 RC easy, 2 RC hard, 3 closed-book, 4 p(context value) > p(memorised))", yLabel: "accuracy / rate (%)",
            series: profile(present, ["rc_easy", "rc_hard", "cb", "faith"]),
            referenceLines: [ReferenceLine(y: 5, label: "chance (1 in 20 values)")],
            caption: "Tables 2–4 analogue (checks I-2, I-3, I-4): open-book recall and faithfulness gain from ICP; closed-book recall should not drop."))
        figures.append(Figure(
            name: "recall-vs-prior-documents", title: "In-context recall against the number of prior documents",
            xLabel: "documents before the query (k)", yLabel: "accuracy (%)", logX: true,
            series: present.map { arm in
                FigureSeries(label: arm, points: r.meanSeries("icl_accuracy", arm: arm).map {
                    FigurePoint(x: $0.x, y: $0.y * 100, error: $0.error.map { $0 * 100 })
                })
            },
            referenceLines: [ReferenceLine(y: 5, label: "chance")],
            caption: "Fig. 6 analogue (check I-9): recall of a fact from one of k earlier documents about different entities."))
        let ablation = ["RANDOM", "CLUSTER", "ICP", "ICP-dedup", "ICP-nodedup"].filter(arms.contains)
        figures.append(Figure(
            name: "ablations", title: "Relevance and dedup ablations (1 = held-out loss, random concat; 2 = isolated; 3 = ICP-ordered)",
            xLabel: "evaluation (1 random concat, 2 isolated documents, 3 ICP-ordered held-out)", yLabel: "held-out loss (nats/token)",
            series: profile(ablation, ["lm_random_concat", "lm_isolated", "lm_icp_order"], scale: 1),
            caption: "Fig. 3 and Fig. 5 analogue (checks I-6, I-7, I-8): RANDOM / CLUSTER / ICP on EC and ICP with and without dedup on EC-dup."))
        figures.append(Figure(
            name: "dedup-ablation", title: "Dedup ablation on EC-dup (1 = training loss, last 20%; 2 = held-out loss, random concat)",
            xLabel: "1 training loss (last 20% of steps), 2 held-out loss (random concat)", yLabel: "loss (nats/token)",
            series: ["ICP-dedup", "ICP-nodedup"].filter(arms.contains).map { arm in
                let late = r.seeds.compactMap { $0.runs[arm].flatMap(InContextPretrainingTarget.lateLoss) }
                var pts: [FigurePoint] = []
                if !late.isEmpty { let s = SampleSummary(late); pts.append(FigurePoint(x: 1, y: s.mean, error: s.n > 1 ? s.halfWidth : nil)) }
                if let v = value(arm, "lm_random_concat") { pts.append(FigurePoint(x: 2, y: v.0, error: v.1)) }
                return FigureSeries(label: arm, points: pts)
            },
            caption: "Fig. 5 (dedup) analogue (check I-8): without dedup near-copies share contexts; lower training loss by copying is the signature."))
        figures.append(Figure(
            name: "adjacent-cosine", title: "Cosine of adjacent documents: random order vs ICP order (EC)",
            xLabel: "adjacent-pair cosine (bin of width 0.05)", yLabel: "fraction of adjacent pairs",
            series: [("random", "cosine_histogram_random"), ("ICP", "cosine_histogram_icp")].map { label, name in
                FigureSeries(label: label, points: r.meanSeries(name, arm: "pipeline").map {
                    FigurePoint(x: ($0.x + 0.5) / 20, y: $0.y, error: $0.error)
                })
            },
            caption: "Check I-D2: the traversal puts related documents next to each other."))
        figures.append(Figure(
            name: "traversal-cost", title: "Traversal time against corpus size",
            xLabel: "documents in the graph", yLabel: "traversal time (s, best of repeats)",
            series: [FigureSeries(label: "Algorithm 1", points: r.meanSeries("traversal_seconds", arm: "pipeline"))],
            caption: "Check I-D6: the greedy traversal is O(N + E); doubling N about doubles the time."))
        // A tier without some arms draws only what it has.
        return figures.compactMap { f in
            var f = f
            f.series = f.series.filter { !$0.points.isEmpty }
            return f.series.isEmpty ? nil : f
        }
    }
}
