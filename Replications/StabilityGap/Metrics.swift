import Foundation
import Harness

/// The per-seed scalars the checks of claims.yaml read (README, Claims), from the stored runs of one
/// seed. Notation: medQ0, genQ0, M0, U0 = values at continual step 0 (the upstream checkpoint);
/// "first 40%" = evaluation steps ≤ 0.4·T1; "end" = the last step of the arm.
enum Metrics {
    static let names: [String] = [
        "b1_rise", "b1_end", "b2_max_increase", "b2_end_ratio", "b2_g0_m_peak_ratio", "b2_g0_m_end_ratio",
        "b3_rise", "b4_u_peak_ratio", "b4_unrecovered", "b5_g1_over_g0", "b5_g1_over_g0s",
        "b6_g2_over_g1", "b6_m_g2_over_g1", "b6_u_g2_over_g1",
        "b7_rise", "b7_genq_end_ratio", "b7_vs_others", "b7_rise_over_g0", "b7_genq_end_vs_g0", "b7_control_rise",
        "b7_control_genq_rise", "b8_g3_over_g5", "b8_g5_over_g0", "b8_g4_g0_diff",
        "b9_u_g4_minus_g0", "b10_update_ratio", "b10_update_ratio_end", "b11_medq_lo_over_hi", "b11_m_lo_over_hi",
        "b12_m_rise_last40",
        "mc_medq_start", "mc_medq_g0", "mc_medq_g3", "mc_pmi_medq_start", "mc_pmi_medq_g0", "mc_pmi_medq_g3",
        "mech_quiz_share", "mech_f_share", "mech_replay_share", "mech_hq_medical", "mech_random_medical", "mech_medq_items",
        "mech_genq_items", "mech_window_sets", "mech_update_start", "mech_update_moved", "mech_adam_reset_norm",
        "mech_subset_passes",
    ]

    /// One arm's curves (steps of the arm's own phase).
    struct Curves {
        let series: [String: [Int: Double]]
        let steps: [Int]
        init?(_ seed: SeedResults, _ arm: String) {
            guard let run = seed.runs[arm], let m = run.series["medQ_val"] else { return nil }
            var s: [String: [Int: Double]] = [:]
            for name in ["U_val", "M_val", "medQ_val", "genQ_val", "update_ratio", "update_bottom", "update_top"] {
                if let pts = run.series[name] { s[name] = Dictionary(pts.map { ($0.step, $0.value) }, uniquingKeysWith: { $1 }) }
            }
            series = s
            steps = m.map(\.step)
        }
        func at(_ name: String, _ step: Int) -> Double? { series[name]?[step] }
        func start(_ name: String) -> Double { at(name, 0)! }
        func end(_ name: String) -> Double { at(name, steps.last!)! }
        func max(_ name: String, upTo s: Double = .infinity) -> Double {
            steps.filter { Double($0) <= s }.compactMap { at(name, $0) }.max()!
        }
        func values(_ name: String) -> [Double] { steps.compactMap { at(name, $0) } }
    }

    static func compute(_ seed: SeedResults, scale s: Design.Scale) -> [String: Double] {
        var out: [String: Double] = [:]
        let first40 = 0.4 * Double(s.continualSteps)
        let c: [String: Curves] = Dictionary(uniqueKeysWithValues: seed.runs.keys.compactMap { a in
            a == "upstream" ? nil : Curves(seed, a).map { (a, $0) }
        })
        if let g0 = c["G0"] {
            let q0 = g0.start("medQ_val")
            out["b1_rise"] = g0.max("medQ_val", upTo: first40) / q0
            out["b1_end"] = g0.end("medQ_val") / q0
            out["b2_g0_m_peak_ratio"] = g0.max("M_val") / g0.start("M_val")
            out["b2_g0_m_end_ratio"] = g0.end("M_val") / g0.start("M_val")
            let u0 = g0.start("U_val"), peak = g0.max("U_val")
            out["b4_u_peak_ratio"] = peak / u0
            out["b4_unrecovered"] = (g0.end("U_val") - u0) / (peak - u0)
            let early = g0.steps.filter { $0 > 0 && Double($0) <= first40 }.compactMap { g0.at("update_ratio", $0) }
            if !early.isEmpty { out["b10_update_ratio"] = early.reduce(0, +) / Double(early.count) }
            out["b10_update_ratio_end"] = g0.at("update_ratio", g0.steps.last!)
            if let b = g0.at("update_bottom", 0), let t = g0.at("update_top", 0) { out["mech_update_start"] = b + t }
            if let t = g0.at("update_top", g0.steps.last!) { out["mech_update_moved"] = t }
        }
        if let lo = c["G0lo"] {
            let m = lo.values("M_val")
            out["b2_max_increase"] = zip(m.dropFirst(), m).map { $0 - $1 }.max()
            out["b2_end_ratio"] = lo.end("M_val") / lo.start("M_val")
            out["b3_rise"] = lo.max("medQ_val", upTo: first40) / lo.start("medQ_val")
            if let g0 = c["G0"] {
                out["b11_medq_lo_over_hi"] = lo.end("medQ_val") / g0.end("medQ_val")
                out["b11_m_lo_over_hi"] = lo.end("M_val") / g0.end("M_val")
            }
        }
        if let g1 = c["G1"] {
            if let g0 = c["G0"] { out["b5_g1_over_g0"] = g1.end("medQ_val") / g0.end("medQ_val") }
            if let g0s = c["G0s"] { out["b5_g1_over_g0s"] = g1.end("medQ_val") / g0s.end("medQ_val") }
            if let g2 = c["G2"] {
                out["b6_g2_over_g1"] = g2.end("medQ_val") / g1.end("medQ_val")
                out["b6_m_g2_over_g1"] = g2.end("M_val") / g1.end("M_val")
                out["b6_u_g2_over_g1"] = g2.end("U_val") / g1.end("U_val")
            }
        }
        if let g3 = c["G3"] {
            out["b7_rise"] = g3.max("medQ_val", upTo: first40) / g3.start("medQ_val")
            out["b7_genq_end_ratio"] = g3.end("genQ_val") / g3.start("genQ_val")
            // The strategies and the full run; the same-mix control (G0mix) is not a strategy.
            let others = c.filter { !["G3", "G6", "G0mix"].contains($0.key) }.map { $0.value.end("medQ_val") }
            if let best = others.min() { out["b7_vs_others"] = g3.end("medQ_val") / best }
            if let g5 = c["G5"] { out["b8_g3_over_g5"] = g3.end("medQ_val") / g5.end("medQ_val") }
            if let g0 = c["G0"] {
                // Rises share medQ0 (both arms start from the upstream checkpoint).
                let q0 = g0.start("medQ_val")
                out["b7_rise_over_g0"] = (g3.max("medQ_val", upTo: first40) - q0) / (g0.max("medQ_val", upTo: first40) - q0)
                out["b7_genq_end_vs_g0"] = g3.end("genQ_val") / g0.end("genQ_val") - 1
            }
        }
        if let mix = c["G0mix"] {
            out["b7_control_rise"] = mix.max("medQ_val", upTo: first40) / mix.start("medQ_val") - 1
            out["b7_control_genq_rise"] = mix.max("genQ_val", upTo: first40) / mix.start("genQ_val") - 1
        }
        if let g0 = c["G0"] {
            if let g5 = c["G5"] { out["b8_g5_over_g0"] = g5.end("medQ_val") / g0.end("medQ_val") }
            if let g4 = c["G4"] {
                out["b8_g4_g0_diff"] = (g4.end("medQ_val") - g0.end("medQ_val")) / g0.end("medQ_val")
                out["b9_u_g4_minus_g0"] = g4.end("U_val") - g0.end("U_val")
            }
        }
        if let g6 = c["G6"], let mark = g6.steps.first(where: { Double($0) >= 0.6 * Double(s.continualSteps) }) {
            out["b12_m_rise_last40"] = g6.end("M_val") - g6.at("M_val", mark)!
        }

        // Report only: 4-way multiple choice (the upstream run's end = every arm's start).
        func mc(_ arm: String, _ name: String) -> Double? { seed.runs[arm]?.measurements[name] }
        out["mc_medq_start"] = mc("upstream", "mc_medQ"); out["mc_pmi_medq_start"] = mc("upstream", "mc_pmi_medQ")
        out["mc_medq_g0"] = mc("G0", "mc_medQ"); out["mc_pmi_medq_g0"] = mc("G0", "mc_pmi_medQ")
        out["mc_medq_g3"] = mc("G3", "mc_medQ"); out["mc_pmi_medq_g3"] = mc("G3", "mc_pmi_medQ")

        // Mechanics: mixture fractions, HQ selection, evaluation items, paired windows, probes, Adam reset.
        if let up = seed.runs["upstream"]?.measurements {
            out["mech_quiz_share"] = up["source_fraction_1"]; out["mech_f_share"] = up["source_fraction_2"]
            out["mech_medq_items"] = up["medq_items"]; out["mech_genq_items"] = up["genq_items"]
        }
        out["mech_replay_share"] = seed.runs["G4"]?.measurements["source_fraction_1"]
        let withHQ = ["G2", "G3", "G5"].compactMap { seed.runs[$0]?.measurements }
        out["mech_hq_medical"] = withHQ.compactMap { $0["hq_medical_fraction"] }.first
        out["mech_random_medical"] = (["G1"] + ["G2", "G3", "G5"]).compactMap { seed.runs[$0]?.measurements["random_medical_fraction"] }.first
        out["mech_subset_passes"] = (seed.runs["G2"] ?? seed.runs["G3"])?.measurements["subset_passes"]
        let sets = Set(seed.runs.values.map { r in
            ["U", "M", "medQ", "genQ"].map { r.measurements["window_hash_\($0)"].map { String($0) } ?? "-" }.joined(separator: "/")
        })
        out["mech_window_sets"] = Double(sets.count)
        out["mech_adam_reset_norm"] = seed.runs["G0"]?.measurements["switch_moment_norm"]
        return out.compactMapValues { $0 }
    }
}
