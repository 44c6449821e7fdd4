import Foundation
import Harness

/// The report's figures: Guo's Figs. 2, 3b and 4 re-drawn for the miniature, plus the upstream
/// run and the end-of-run bar chart in Table 1's order. Curves are means over seeds (± 95% CI),
/// against tokens seen in the continual phase (1,024 tokens per step).
enum StabilityGapFigures {
    static let tokensPerStep = Double(Design.batchSize * Design.model.contextLength)

    static func all(_ r: TierResults, scale s: Design.Scale) -> [Figure] {
        let arms = Set(r.seeds.flatMap { $0.runs.keys })
        func tokens(_ pts: [FigurePoint]) -> [FigurePoint] {
            pts.map { FigurePoint(x: $0.x * tokensPerStep / 1000, y: $0.y, error: $0.error) }
        }
        func curves(_ name: String, _ list: [String]) -> [FigureSeries] {
            list.filter(arms.contains).map { FigureSeries(label: $0, points: tokens(r.meanSeries(name, arm: $0))) }
        }
        /// Epoch starts of the repeated-subset arms, drawn as points on the arm's curve (first seed's boundaries).
        func epochMarks(_ name: String, _ list: [String]) -> [FigureSeries] {
            list.filter(arms.contains).compactMap { a in
                guard let starts = r.seeds.first?.runs[a]?.series["epoch"]?.filter({ $0.step > 0 }).map(\.step), !starts.isEmpty else { return nil }
                let curve = r.meanSeries(name, arm: a)
                let pts = starts.compactMap { st -> FigurePoint? in
                    guard let hi = curve.firstIndex(where: { $0.x >= Double(st) }), hi > 0 else { return nil }
                    let p = curve[hi - 1], q = curve[hi]
                    let y = p.y + (q.y - p.y) * (Double(st) - p.x) / (q.x - p.x)
                    return FigurePoint(x: Double(st) * tokensPerStep / 1000, y: y)
                }
                return FigureSeries(label: "\(a) epoch starts", points: pts, style: .points)
            }
        }
        let xLabel = "tokens seen in the continual phase (thousands)"
        let main = ["G0", "G0lo", "G0s", "G4", "G0mix"]
        let strategies = ["G0", "G1", "G2", "G3", "G5"]
        var figures: [Figure] = []
        figures.append(Figure(
            name: "upstream-run", title: "Upstream pre-training on U 75% + quiz 10% + F 15%",
            xLabel: "upstream step", yLabel: "loss (nats/byte)",
            series: [("U_val", "U-val"), ("M_val", "M-val"), ("medQ_val", "medQ"), ("genQ_val", "genQ")].map { n, l in
                FigureSeries(label: l, points: r.meanSeries(n, arm: "upstream"))
            },
            caption: "The shared upstream run: its final checkpoint is step 0 of every continual arm. medQ and genQ fall as the quiz format is learned."))
        var start: [ReferenceLine] = []
        if let q0 = r.meanSeries("medQ_val", arm: "G0").first?.y { start.append(ReferenceLine(y: q0, label: "medQ at the start")) }
        figures.append(Figure(
            name: "domain-task", title: "Domain task: medQ (quiz-answer loss, held-out medical headwords)",
            xLabel: xLabel, yLabel: "medQ (nats/byte)", series: curves("medQ_val", main), referenceLines: start,
            caption: "Guo Fig. 2a analogue: at the re-warm LR (G0) the domain-task loss first rises, then recovers (B1); at 0.1× LR (G0lo) it does not rise (B3). G0s is the 40%-compute control, G4 adds 10% replay of U, G0mix re-warms on the upstream mix itself (the same-mix control)."))
        figures.append(Figure(
            name: "domain-lm", title: "Domain LM loss: M-val (GCIDE-M validation)",
            xLabel: xLabel, yLabel: "M-val (nats/byte)", series: curves("M_val", main + ["G1", "G2", "G3", "G5"]),
            caption: "Guo Fig. 2b analogue (\"medical PPL\"): at 0.1× LR the domain LM loss falls monotonically while the task metric is flat (B2); at the re-warm LR it is itself V-shaped."))
        var genRef: [ReferenceLine] = []
        if let g0 = r.meanSeries("genQ_val", arm: "G0").first?.y { genRef.append(ReferenceLine(y: g0, label: "genQ at the start")) }
        figures.append(Figure(
            name: "general-task", title: "General task: genQ (quiz-answer loss, held-out general headwords)",
            xLabel: xLabel, yLabel: "genQ (nats/byte)", series: curves("genQ_val", main + ["G3"]), referenceLines: genRef,
            caption: "Guo Figs. 2c/3a analogue: the general task also dips and partly recovers; Strategy III (G3), which keeps quiz lines in its mixture, ends below its start (B7)."))
        figures.append(Figure(
            name: "general-lm", title: "General LM loss: U-val (GCIDE-U validation)",
            xLabel: xLabel, yLabel: "U-val (nats/byte)", series: curves("U_val", main + ["G1", "G2", "G3", "G5"]),
            caption: "Forgetting of the upstream data: the re-warm raises U-val, the decay recovers most of it (B4); 10% replay forgets less (B9); repeating a small subset forgets more."))
        figures.append(Figure(
            name: "strategies", title: "Strategies: medQ per data strategy (epoch starts marked)",
            xLabel: xLabel, yLabel: "medQ (nats/byte)",
            series: curves("medQ_val", strategies) + epochMarks("medQ_val", ["G1", "G2", "G3"]), referenceLines: start,
            caption: "Guo Fig. 4 analogue: full pass (G0), random subset × ~5 (G1, Strategy I), trigram-selected subset × ~5 (G2, II), HQ + quiz + F mixture (G3, III), HQ + 10% replay (G5). Points mark where a subset pass starts."))
        figures.append(Figure(
            name: "update-ratio", title: "Relative weight update, bottom half / top half of the layers",
            xLabel: xLabel, yLabel: "mean |W_t − W_0| / |W_0|, layers 1–2 over 3–4",
            series: curves("update_ratio", ["G0", "G0lo", "G2", "G3"]),
            referenceLines: [ReferenceLine(y: 1.35, label: "Guo: > 1.35 early")],
            caption: "Guo Fig. 3b analogue (B10): with 4 layers the top half moves more (ratio < 1), the opposite of the paper's > 1.35."))
        // Table 1 analogue: end-of-run medQ per arm, one point per arm in Table 1's order.
        let order = ["G0", "G0lo", "G0s", "G4", "G1", "G2", "G5", "G3", "G6"].filter(arms.contains)
        let bars: [FigureSeries] = order.enumerated().compactMap { i, a in
            let vs = r.seeds.compactMap { Metrics.Curves($0, a)?.end("medQ_val") }
            guard !vs.isEmpty else { return nil }
            let sm = SampleSummary(vs)
            return FigureSeries(label: a, points: [FigurePoint(x: Double(i + 1), y: sm.mean, error: sm.n > 1 ? sm.halfWidth : nil)],
                                style: .points)
        }
        figures.append(Figure(
            name: "end-of-run", title: "End-of-run medQ per arm (Table 1 order: full, low LR, 40% control, replay, I, II, replay+II, III)",
            xLabel: "arm", yLabel: "medQ at the end (nats/byte)", xRange: 0...Double(order.count + 1), series: bars,
            referenceLines: start,
            caption: "Table 1 analogue: lower is better; the checks B6–B8 compare these bars (G3 < G5 < G0, G4 ≈ G0)."))
        return figures.compactMap { fig in
            var f = fig
            f.series = f.series.filter { !$0.points.isEmpty }
            return f.series.isEmpty ? nil : f
        }
    }
}
