import Foundation
import Corpora
import Harness
import LMCore
import Testing
@testable import StabilityGap

/// Unit checks of the method pieces (trigram selector, quiz items and their loss mask, data
/// determinism, the claim metrics on synthetic curves) and the smoke gate: the smoke tier run end
/// to end through the harness, whose gated claims must hold.
struct StabilityGapMethodTests {
    @Test func trigramModelFollowsAddKByHand() {
        // Trained on "ab": n(pad,pad,a) = 1, n(pad,a,b) = 1; every other count is 0.
        let m = ByteTrigramModel(texts: ["ab"], k: 0.5)
        let pA = 1.5 / (1 + 128.0), pB = 1.5 / (1 + 128.0)
        #expect(abs(m.meanNLL("ab") - (-(log(pA) + log(pB)) / 2)) < 1e-12)
        // An unseen continuation in a seen context, and an unseen context.
        let pX = 0.5 / (1 + 128.0), pC = 0.5 / 128.0
        #expect(abs(m.meanNLL("ax") - (-(log(pA) + log(pX)) / 2)) < 1e-12)
        #expect(abs(m.meanNLL("ba") - (-(log(pX) + log(pC)) / 2)) < 1e-12)
        #expect(m.meanNLL("") == .infinity)
    }

    @Test func selectorPrefersTextLikeTheReference() {
        let medical = ["Inflammation of the membrane of the heart.", "A disease of the lungs, with fever.",
                       "Pain in the nerves of the face.", "A tumor of the gland of the neck."]
        let other = ["A genus of plants of the mint family.", "A fish of the carp family, found in rivers.",
                     "A salt of sulphuric acid and potash.", "A bird of the crow family, black."]
        let med = medical.enumerated().map { Document(text: $0.element, ordinal: $0.offset, source: "Med.", labels: ["Med."]) }
        let oth = other.enumerated().map { Document(text: $0.element, ordinal: 10 + $0.offset, source: "Bot.", labels: ["Bot."]) }
        // Reference = the first 2 medical entries in key order; the pool holds the other 6.
        let data = DomainData(medicalTrain: med, specialistTrain: oth, referenceCount: 2)
        #expect(data.reference.count == 2 && data.pool.count == 6)
        #expect(Set(data.pool.map(\.text)).isDisjoint(with: data.reference))
        let trigram = ByteTrigramModel(texts: data.reference, k: 0.5)
        let ranked = data.pool.sorted { trigram.meanNLL($0.text) < trigram.meanNLL($1.text) }
        #expect(ranked.first?.medical == true)
        // Budget: entries are taken until the total reaches it (the last one may overshoot).
        let first = ranked[0].bytes
        #expect(DomainData.take(ranked, budget: first).count == 1)
        #expect(DomainData.take(ranked, budget: first + 1).count == 2)
        let hq = data.highQualitySubset(budget: 2 * first)
        #expect(hq.count >= 2 && DomainData.medicalFraction(hq) >= 0.5)
        // Random subsets are a pure function of their stream.
        let r1 = data.randomSubset(budget: 60, rng: RandomStream(seed: 1, stream: "subset"))
        let r2 = data.randomSubset(budget: 60, rng: RandomStream(seed: 1, stream: "subset"))
        #expect(r1 == r2)
    }

    @Test func quizItemsParseAndFit() {
        let item = QuizItem(quizLine: "Q: Asthma means? A: A disease of the lungs, characterized by difficult breathing.")!
        #expect(item.headword == "Asthma")
        #expect(String(decoding: item.prompt, as: UTF8.self) == "\nQ: Asthma means? A: ")
        #expect(item.answer == Array("A disease of the lungs, charac".utf8))
        // Headwords longer than 19 bytes do not fit 64 bytes with 30 answer bytes.
        let long = "Q: " + String(repeating: "a", count: 20) + " means? A: " + String(repeating: "x", count: 40)
        let fits = "Q: " + String(repeating: "a", count: 19) + " means? A: " + String(repeating: "x", count: 40)
        #expect(QuizItem(quizLine: long) == nil)
        #expect(QuizItem(quizLine: fits)?.bytes.count == 64)
        #expect(QuizItem(quizLine: "not a quiz line") == nil)
        // An answer shorter than the 30 scored bytes is not an item (the brief scores 30 bytes).
        #expect(QuizItem(quizLine: "Q: Psoric means? A: Of or pertaining to psora.") == nil)
        #expect(QuizItem.items([long, fits, fits], limit: 1).count == 1)
    }

    @Test func quizLossMasksEverythingButTheAnswer() {
        let items = ["Q: Asthma means? A: A disease of the lungs, characterized by difficult breathing.",
                     "Q: Gout means? A: A constitutional disease, occurring by paroxysms."].compactMap { QuizItem(quizLine: $0) }
        let rows = items.map { ($0.prompt, $0.answer) }
        let batches = QuizBatches.batches(rows, context: 64, batchSize: 4)
        #expect(batches.count == 1)
        let b = batches[0]
        // Weight 1 exactly on the targets that are answer bytes; rows 2–3 are padding.
        for (r, item) in items.enumerated() {
            let w = Array(b.weights[(r * 64)..<((r + 1) * 64)])
            #expect(Int(w.reduce(0, +)) == item.answer.count)
            let targets = (0..<64).filter { w[$0] > 0 }.map { UInt8(b.targets![r * 64 + $0]) }
            #expect(targets == item.answer)
            #expect(b.tokens![r * 64] == Int32(UInt8(ascii: "\n")))
        }
        #expect(b.weights[(2 * 64)...].allSatisfy { $0 == 0 })
        // The loss reads only the answer: changing a prompt target or the padding changes nothing,
        // changing an answer byte does.
        let model = GPT(Design.model, seed: 3)
        let base = Trainer.evaluate(model, batches: batches)
        var changed = b
        changed.targets![2] = 0; changed.tokens![60] = 7; changed.tokens![3 * 64 + 5] = 9
        #expect(Trainer.evaluate(model, batches: [changed]) == base)
        let losses = QuizBatches.rowLosses(model, rows: rows, context: 64, batchSize: 4)
        #expect(losses.count == 2)
        let n = Double(items[0].answer.count + items[1].answer.count)
        let pooled = (losses[0] * Double(items[0].answer.count) + losses[1] * Double(items[1].answer.count)) / n
        #expect(abs(pooled - base) < 1e-5)
        var answerChanged = b
        let firstAnswer = items[0].prompt.count - 1
        answerChanged.targets![firstAnswer] = 0
        #expect(Trainer.evaluate(model, batches: [answerChanged]) != base)
    }

    @Test func multipleChoiceCandidatesAreDistinctAndTrueFirst() {
        let mc = MultipleChoice(items: 10, rng: RandomStream(seed: 0, stream: "mc"))
        #expect(mc.candidates.enumerated().allSatisfy { $0.element.first == $0.offset && Set($0.element).count == 4 })
        #expect(MultipleChoice(items: 10, rng: RandomStream(seed: 0, stream: "mc")).candidates == mc.candidates)
    }

    @Test func armsShareOneUpstreamRunAndSchedulesFollowTheBrief() {
        let arms = StabilityGapTarget().arms(for: .default)
        #expect(arms.map(\.arm) == ["upstream", "G0", "G0mix", "G0lo", "G0s", "G1", "G2", "G3", "G4", "G5"])
        #expect(arms.dropFirst().allSatisfy { $0.dependencies == ["upstream"] })
        let s = Design.scale(.default)
        let g0 = StabilityGapTarget.continualConfig(.G0, s), lo = StabilityGapTarget.continualConfig(.G0lo, s)
        let g0s = StabilityGapTarget.continualConfig(.G0s, s)
        var mix = StabilityGapTarget.continualConfig(.G0mix, s)
        #expect(mix.data == .upstreamMix)
        mix.data = .pool
        #expect(mix == g0)   // the same-mix control differs from G0 in its data only
        #expect(g0.warmup == 45 && g0.steps == 450 && abs(Double(g0.schedule(44)) - 2e-3) < 1e-9)
        #expect(abs(Double(g0.schedule(450)) - 2e-4) < 1e-9 && abs(Double(lo.schedule(44)) - 2e-4) < 1e-10)
        #expect(g0s.steps == 180 && g0s.warmup == 18 && g0s.evalSteps.last == 180)
        #expect(StabilityGapTarget.subsetBytes(s) == 92_160)
        #expect(StabilityGapTarget.upstreamConfig(s).warmup == 15)
    }

    @Test func trainingDataIsAPureFunctionOfTheSeed() throws {
        let src = try ArmRun.sources()
        var cfg = StabilityGapTarget.continualConfig(.G3, Design.scale(.smoke))
        cfg.steps = 20
        func draw(_ seed: Int) -> ArmRun.TrainingData {
            ArmRun.trainingData(cfg, sources: src, data: RandomStream(seed: UInt64(seed), stream: "data"),
                                subsetRNG: RandomStream(seed: UInt64(seed), stream: "subset"))
        }
        let a = draw(1), b = draw(1), c = draw(2)
        #expect(a.table.bytes == b.table.bytes && a.table.sources == b.table.sources)
        #expect(a.table.bytes != c.table.bytes)
        // The HQ subset does not depend on the seed; the random one does.
        #expect(a.hq == c.hq && a.random != c.random)
        #expect(a.table.count == 20 * Design.batchSize)
        // Every source of the Strategy III mixture appears.
        #expect(Set(a.table.sources) == [0, 1, 2])
        // Evaluation items are fixed.
        let q1 = ArmRun.quizItems(src, medItems: nil, genItems: 256)
        #expect(q1.med.count >= 200 && q1.gen.count == 256)
        #expect(q1.med.allSatisfy { $0.bytes.count <= 64 })
    }

    @Test func metricsOfSyntheticCurves() {
        func run(_ arm: String, _ curves: [String: [(Int, Double)]], m: [String: Double] = [:]) -> RunResult {
            RunResult(fingerprint: arm, paper: "stability-gap", arm: arm, tier: .smoke, seed: 1, configJSON: "{}", codeVersion: "t",
                      environment: RunEnvironment.current(), status: "complete", started: "", finished: "", wallSeconds: 0,
                      measurements: m, series: curves.mapValues { $0.map { SeriesPoint(step: $0.0, value: $0.1) } })
        }
        // Smoke T1 = 40, first 40% = steps ≤ 16.
        let g0 = run("G0", ["medQ_val": [(0, 2), (12, 2.2), (30, 2.5), (40, 1.9)], "M_val": [(0, 2), (12, 2.1), (30, 2), (40, 1.8)],
                            "U_val": [(0, 2), (12, 2.2), (30, 2.1), (40, 2.05)], "genQ_val": [(0, 2), (40, 2)],
                            "update_bottom": [(0, 0), (12, 0.1), (40, 0.2)], "update_top": [(0, 0), (12, 0.2), (40, 0.4)],
                            "update_ratio": [(12, 0.5), (40, 0.5)]], m: ["switch_moment_norm": 0])
        let g3 = run("G3", ["medQ_val": [(0, 2), (12, 2.01), (40, 1.7)], "genQ_val": [(0, 2), (40, 1.9)],
                            "M_val": [(0, 2), (40, 1.9)], "U_val": [(0, 2), (40, 2.1)]])
        let m = Metrics.compute(SeedResults(seed: 1, runs: ["G0": g0, "G3": g3]), scale: Design.scale(.smoke))
        #expect(abs(m["b1_rise"]! - 1.1) < 1e-12 && abs(m["b1_end"]! - 0.95) < 1e-12)
        #expect(abs(m["b4_u_peak_ratio"]! - 1.1) < 1e-12 && abs(m["b4_unrecovered"]! - 0.25) < 1e-9)
        #expect(abs(m["b7_rise"]! - 1.005) < 1e-12 && abs(m["b7_genq_end_ratio"]! - 0.95) < 1e-12)
        #expect(abs(m["b7_vs_others"]! - 1.7 / 1.9) < 1e-12)
        #expect(m["b10_update_ratio"] == 0.5 && m["mech_update_start"] == 0 && m["mech_update_moved"] == 0.4)
        #expect(m["b2_max_increase"] == nil && m["b6_g2_over_g1"] == nil)
    }
}
