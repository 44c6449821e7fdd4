import Foundation
import Harness

/// The report's figures: held-out loss against training tokens (the paper's Figure 1 analogue),
/// excess loss over the Bayes predictor per position bucket, conditional losses per arm
/// (Table 5 analogue for the metadata variants), and steering.
enum MeCoFigures {
    static let order = ["STD", "MECO", "URL100", "STD@1.5T", "HASHED", "SUFFIX", "TOP", "FIXED", "TOPIC", "MIX",
                        "COOL20", "COOL30", "UNMASKED", "XDOC-STD", "XDOC-MECO"]

    static func all(_ r: TierResults) -> [Figure] {
        let arms = order.filter { a in r.seeds.contains { $0.runs[a] != nil } }
        func mean(_ arm: String, _ name: String) -> FigurePoint? {
            let vs = r.seeds.compactMap { $0.runs[arm]?.measurements[name] }
            guard !vs.isEmpty else { return nil }
            let s = SampleSummary(vs)
            return FigurePoint(x: 0, y: s.mean, error: s.n > 1 ? s.halfWidth : nil)
        }
        var figures: [Figure] = []
        // 1. Loss against tokens (cooldown start of MECO marked in the caption).
        let curveArms = arms.filter { ["STD", "MECO", "URL100", "STD@1.5T"].contains($0) }
        let cooldown = r.seeds.compactMap { s -> Double? in
            guard let run = s.runs["MECO"], let f = run.measurements["cooldown_start_fraction"],
                  let last = run.series["heldout_loss_by_tokens"]?.last?.step else { return nil }
            return f * Double(last)
        }.first
        figures.append(Figure(
            name: "loss-vs-tokens", title: "Held-out loss (no metadata) against training tokens",
            xLabel: "training tokens (metadata included)", yLabel: "ℓ_u (nats/token)",
            series: curveArms.map { FigureSeries(label: $0, points: r.meanSeries("heldout_loss_by_tokens", arm: $0)) },
            referenceLines: mean("STD", "bayes_uncond").map { [ReferenceLine(y: $0.y, label: "Bayes (posterior mixture), content tokens")] } ?? [],
            caption: "Paper Fig. 1 analogue at equal total tokens. MECO's cooldown starts at \(cooldown.map { formatNumber($0) } ?? "0.9·S") tokens; URL100 never cools down and is evaluated without metadata."))
        // 2. Excess over Bayes by position bucket.
        let buckets = [("early", 1.0), ("mid", 2.0), ("late", 3.0)]
        func excess(_ arm: String, _ model: String, _ bayes: String) -> [FigurePoint] {
            buckets.compactMap { (b, x) in
                let vs = r.seeds.compactMap { s -> Double? in
                    guard let m = s.runs[arm]?.measurements, let a = m["\(model)_\(b)"], let c = m["\(bayes)_\(b)"] else { return nil }
                    return a - c
                }
                guard !vs.isEmpty else { return nil }
                let s = SampleSummary(vs)
                return FigurePoint(x: x, y: s.mean, error: s.n > 1 ? s.halfWidth : nil)
            }
        }
        var excessSeries = curveArms.map { FigureSeries(label: "\($0): ℓ_u − H_uncond", points: excess($0, "lu", "bayes_uncond")) }
        if arms.contains("MECO") { excessSeries.append(FigureSeries(label: "MECO: ℓ_c − H_cond", points: excess("MECO", "lc", "bayes_cond"))) }
        figures.append(Figure(
            name: "excess-by-position", title: "Excess loss over the Bayes predictor by position bucket",
            xLabel: "position bucket (1 = t ≤ 16, 2 = 16 < t ≤ 64, 3 = t > 64)", yLabel: "excess loss (nats/token)",
            series: excessSeries, referenceLines: [ReferenceLine(y: 0, label: "Bayes")],
            caption: "Without metadata the source must be inferred from context, so early positions carry most of the excess; with the true metadata MECO needs no inference."))
        // 3. Conditional losses per arm (true / wrong / no metadata).
        func perArm(_ name: String) -> [FigurePoint] {
            arms.enumerated().compactMap { (i, a) in mean(a, name).map { FigurePoint(x: Double(i + 1), y: $0.y, error: $0.error) } }
        }
        figures.append(Figure(
            name: "conditional-losses", title: "Held-out loss with no, true and wrong metadata, per arm",
            xLabel: "arm: " + arms.enumerated().map { "\($0.offset + 1) = \($0.element)" }.joined(separator: ", "),
            yLabel: "loss (nats/token)",
            series: [FigureSeries(label: "no metadata (ℓ_u)", points: perArm("lu")),
                     FigureSeries(label: "true metadata (ℓ_c)", points: perArm("lc")),
                     FigureSeries(label: "wrong metadata (ℓ_w)", points: perArm("lw"))],
            caption: "Δc = (ℓ_u − ℓ_c)/ℓ_u; metadata-free arms are probed with the URL prefix they never saw. The metadata variants (Table 5 analogue) are the extended-tier arms."))
        // 4. Steering.
        let steerArms = arms.filter { a in r.seeds.contains { $0.runs[a]?.measurements["steering_fraction"] != nil } }
        figures.append(Figure(
            name: "steering", title: "Samples classified as the source named in the prompt",
            xLabel: "arm: " + steerArms.enumerated().map { "\($0.offset + 1) = \($0.element)" }.joined(separator: ", "),
            yLabel: "fraction (exact MAP source)",
            series: [FigureSeries(label: "steering fraction", points: steerArms.enumerated().compactMap { (i, a) in
                mean(a, "steering_fraction").map { FigurePoint(x: Double(i + 1), y: $0.y, error: $0.error) } })],
            caption: "Toxicity (MC8) analogue: prompting with a source's metadata should make samples look like that source, for MECO and not for STD."))
        // 5. Cooldown length (extended).
        let cool = [("MECO", 0.1), ("COOL20", 0.2), ("COOL30", 0.3), ("URL100", 0.0)].compactMap { (a, f) in
            mean(a, "lu").map { FigurePoint(x: f, y: $0.y, error: $0.error) }
        }.sorted { $0.x < $1.x }
        if cool.count > 2 {
            figures.append(Figure(
                name: "cooldown-length", title: "Unconditional loss against the cooldown share",
                xLabel: "cooldown share of the steps", yLabel: "ℓ_u (nats/token)",
                series: [FigureSeries(label: "URL-conditioned then plain", points: cool)],
                referenceLines: mean("STD", "lu").map { [ReferenceLine(y: $0.y, label: "STD")] } ?? [],
                caption: "Table 14 analogue: no cooldown leaves a train/test mismatch; 10–30% removes it."))
        }
        return figures
    }
}
