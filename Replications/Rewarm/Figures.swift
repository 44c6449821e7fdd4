import Foundation
import Harness

/// The report's figures: Gupta's Figures 1–6 re-drawn for the miniature, the schedules, and
/// Ibrahim's forgetting against replay fraction. Curves are means over seeds (± 95% CI).
enum RewarmFigures {
    static func all(_ r: TierResults, scale s: Design.Scale) -> [Figure] {
        let arms = Set(r.seeds.flatMap { $0.runs.keys })
        func curves(_ name: String, _ list: [String], upTo: Int? = nil) -> [FigureSeries] {
            list.filter(arms.contains).map { a in
                FigureSeries(label: a, points: r.meanSeries(name, arm: a).filter { upTo == nil || $0.x <= Double(upTo!) })
            }
        }
        let sweep = ["const", "lr0.5", "lr1", "lr2"]
        var figures: [Figure] = []
        figures.append(Figure(
            name: "upstream-run", title: "Upstream pre-training on U (general English)",
            xLabel: "upstream step", yLabel: "validation loss (nats/byte)",
            series: [FigureSeries(label: "U-val", points: r.meanSeries("U_val", arm: "upstream")),
                     FigureSeries(label: "F-val", points: r.meanSeries("F_val", arm: "upstream"))],
            caption: "The shared upstream run; checkpoints at 25%, 50% and 100% are the starting points of every continual arm."))
        figures.append(Figure(
            name: "upstream-loss", title: "Forgetting: U-val during the continual phase, per maximum LR",
            xLabel: "continual step", yLabel: "U-val (nats/byte)", series: curves("U_val", sweep + ["inf"]),
            caption: "Gupta Fig. 3 analogue: the re-warm raises the upstream loss, more for a larger MaxLR; the decay recovers part of it; constant LR forgets least (A1, A2, A5, A7)."))
        figures.append(Figure(
            name: "downstream-loss", title: "Adaptation: F-val during the continual phase, per maximum LR",
            xLabel: "continual step", yLabel: "F-val (nats/byte)", series: curves("F_val", sweep + ["inf"]),
            caption: "Gupta Fig. 2 analogue: constant LR is ahead for the first steps, every re-warmed run ends below it (A6, A7, A8)."))
        figures.append(Figure(
            name: "lr-schedules", title: "Learning-rate schedules of the continual phase",
            xLabel: "continual step", yLabel: "learning rate",
            series: curves("lr", ["const", "lr0.5", "lr1", "lr2", "wu0", "wu2", "inf"]),
            caption: "Warmup + cosine to 0.1 × peak (the floor is reached at the end of the phase); const = the upstream floor; inf = η_const then an exponential anneal."))
        let warm = ["wu0", "wu0.5", "lr1", "wu2"]
        let early = min(100, s.continualSteps)
        figures.append(Figure(
            name: "warmup-downstream", title: "Warmup length: F-val over the first \(early) steps",
            xLabel: "continual step", yLabel: "F-val (nats/byte)", series: curves("F_val", warm, upTo: early),
            caption: "Gupta Fig. 1 analogue: only the no-warmup run (wu0) spikes at step 1 (A3); the curves then overlap (A4). lr1 is the 1% warmup arm."))
        figures.append(Figure(
            name: "warmup-upstream", title: "Warmup length: U-val over the first \(early) steps",
            xLabel: "continual step", yLabel: "U-val (nats/byte)", series: curves("U_val", warm, upTo: early),
            caption: "The warmup length barely changes forgetting (A4)."))
        // Figure 4/6 analogue: the (U, F) trajectory of each arm.
        let traj = ["lr0.5", "lr1", "lr2", "same1", "same2"].filter(arms.contains).map { a -> FigureSeries in
            let u = Dictionary(r.meanSeries("U_val", arm: a).map { ($0.x, $0.y) }, uniquingKeysWith: { $1 })
            let pts = r.meanSeries("F_val", arm: a).compactMap { p in u[p.x].map { FigurePoint(x: $0, y: p.y) } }
            return FigureSeries(label: a, points: pts)
        }
        var trajRefs: [ReferenceLine] = []
        if let f0 = r.meanSeries("F_val", arm: "lr1").first?.y { trajRefs.append(ReferenceLine(y: f0, label: "F-val at the start (step 0)")) }
        figures.append(Figure(
            name: "trajectory", title: "Downstream against upstream loss during the continual phase",
            xLabel: "U-val (nats/byte)", yLabel: "F-val (nats/byte)", series: traj, referenceLines: trajRefs,
            caption: "Gupta Figs. 4/6 analogue: every arm starts at the same point (step 0); the re-warm moves up and right before the decay brings F down; the same-data arms (U → U) move mostly along U."))
        figures.append(Figure(
            name: "same-data", title: "Re-warming on the same data (U → U): U-val and F-val",
            xLabel: "continual step", yLabel: "validation loss (nats/byte)",
            series: ["same1", "same2"].filter(arms.contains).flatMap { a in
                [FigureSeries(label: "\(a) U-val", points: r.meanSeries("U_val", arm: a)),
                 FigureSeries(label: "\(a) F-val", points: r.meanSeries("F_val", arm: a))]
            },
            caption: "Gupta Fig. 5 analogue: re-warming alone raises the upstream loss although the data do not change (A10, A11)."))
        // Ibrahim Table 2 analogue: forgetting and downstream loss against replay fraction.
        func replayPoints(_ value: (Metrics.Curves) -> Double) -> [FigurePoint] {
            RewarmTarget.replayArms.compactMap { rep in
                let vs = r.seeds.compactMap { Metrics.Curves($0, rep.arm).map(value) }
                guard !vs.isEmpty else { return nil }
                let sm = SampleSummary(vs)
                return FigurePoint(x: rep.percent, y: sm.mean, error: sm.n > 1 ? sm.halfWidth : nil)
            }
        }
        figures.append(Figure(
            name: "forgetting-vs-replay", title: "Forgetting Φ = U_end − U0 against the replay fraction",
            xLabel: "replay of U (% of sequences)", yLabel: "Φ (nats/byte)",
            series: [FigureSeries(label: "Φ", points: replayPoints { $0.uEnd - $0.u0 })],
            caption: "Ibrahim Table 2 analogue: compute-equivalent replay removes most of the forgetting (A13)."))
        figures.append(Figure(
            name: "downstream-vs-replay", title: "Final downstream loss F_end against the replay fraction",
            xLabel: "replay of U (% of sequences)", yLabel: "F_end (nats/byte)",
            series: [FigureSeries(label: "F_end", points: replayPoints { $0.fEnd })],
            caption: "…at a small cost downstream (A13)."))
        figures.append(Figure(
            name: "checkpoints-and-scratch", title: "Earlier checkpoints and scratch: F-val during the continual phase",
            xLabel: "continual step", yLabel: "F-val (nats/byte)", series: curves("F_val", ["scratch", "ck25", "ck50", "lr1", "const", "inf"]),
            caption: "Gupta Figs. 7–9 analogue: the final checkpoint (lr1) adapts best (A12); any pre-trained start beats scratch (A9). Scratch starts from random initialisation (≈ 5.5 nats/byte)."))
        figures.append(Figure(
            name: "checkpoints-upstream", title: "Earlier checkpoints: U-val during the continual phase",
            xLabel: "continual step", yLabel: "U-val (nats/byte)", series: curves("U_val", ["ck25", "ck50", "lr1"]),
            caption: "Gupta Figs. 7–8 analogue: starting from the final upstream checkpoint (lr1) also ends with the lowest upstream loss (A12)."))
        if r.tier == .extended {
            figures.append(Figure(
                name: "weak-shift", title: "Weak shift (U → GCIDE-M ∪ N): U-val",
                xLabel: "continual step", yLabel: "U-val (nats/byte)", series: curves("U_val", ["weak-const", "weak-lr1", "weak-lr2"]),
                caption: "With a weak shift the forgetting mostly recovers by the end of the decay."))
        }
        // A tier without an arm has no curve for it: drop empty series, then figures left without data.
        return figures.compactMap { fig in
            var f = fig
            f.series = f.series.filter { !$0.points.isEmpty }
            return f.series.isEmpty ? nil : f
        }
    }
}
