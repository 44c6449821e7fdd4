@testable import Corpora
import Foundation
import Harness
import LMCore
import Testing
@testable import ICLL

/// The backoff rule against the brief's hand-worked fixtures, the metrics on cases with known
/// answers, the batching, and the smoke gate (the smoke tier through the harness).
struct NGramBaselineTests {
    /// Letters a, b, c = tokens 1, 2, 3 of the miniature vocabulary; `|` = 9.
    static func tokens(_ s: String) -> [Int32] {
        s.map { $0 == "|" ? 9 : Int32($0.asciiValue! - Character("a").asciiValue! + 1) }
    }

    /// The distribution after the whole prefix, over a, b, c.
    static func next(_ prefix: String, order: Int) -> [Double] {
        let d = InContextNGram.distributions(tokens: tokens(prefix), order: order, separator: 9, vocabularySize: 10)
        return Array(d.last![1...3])
    }

    /// The brief's worked examples: prefix, order N, exact P(a), P(b), P(c) as (numerator, denominator).
    static let workedExamples: [(String, Int, [(Double, Double)])] = [
        ("abca|abcb|ab", 3, [(1, 6), (1, 6), (2, 3)]),
        ("abca|abcb|ab", 2, [(1, 4), (1, 4), (1, 2)]),
        ("abca|abcb|abc", 3, [(1, 3), (1, 3), (1, 3)]),
        ("abca|ab", 3, [(3, 10), (1, 5), (1, 2)]),
        ("abca|ab", 1, [(1, 2), (1, 3), (1, 6)]),
        ("aab|a", 2, [(1, 3), (1, 3), (0, 1)]),
        ("aab|a", 1, [(3, 4), (1, 4), (0, 1)]),
        ("abab|ba|", 2, [(1, 3), (1, 3), (0, 1)]),
    ]

    @Test(arguments: 0..<8)
    func workedExample(_ k: Int) {
        let (prefix, order, fractions) = Self.workedExamples[k]
        let expected = fractions.map { $0.0 / $0.1 }
        let p = Self.next(prefix, order: order)
        for (x, y) in zip(p, expected) { #expect(abs(x - y) < 1e-12, "\(prefix) N=\(order): \(p) vs \(expected)") }
    }


    @Test func leftoverMassIsRenormalisedForTVDOnly() {
        let raw = InContextNGram.distributions(tokens: Self.tokens("aab|a"), order: 2, separator: 9, vocabularySize: 10).last!
        #expect(abs(raw.reduce(0, +) - 2.0 / 3) < 1e-12)
        let r = InContextNGram.renormalised(raw)
        #expect(abs(r[1] - 0.5) < 1e-12 && abs(r[2] - 0.5) < 1e-12 && r[0] == 0 && r[9] == 0)
        // Ties go to the lowest token id (a).
        #expect(ICLScore.argmax(raw) == 1)
    }

    @Test func nothingOutsideTheSeenLettersGetsMass() {
        let d = InContextNGram.distributions(tokens: Self.tokens("ab|ba|c"), order: 3, separator: 9, vocabularySize: 10)
        #expect(d.count == 7)
        #expect(d[0][1] == 1 && d[0].reduce(0, +) == 1)            // after "a": only a seen
        for row in d { #expect(row[0] == 0 && row[9] == 0 && row[4...8].allSatisfy { $0 == 0 }) }
        #expect(d[6][3] > 0)
    }
}

struct MetricTests {
    typealias E = RegBench.Automaton.Edge
    /// 0 -a-> 1, 0 -b-> 2, 1 -c-> 0, 2 -a-> 0, 2 -c-> 1.
    let automaton = RegBench.Automaton(edges: [[E(symbol: 0, target: 1), E(symbol: 1, target: 2)],
                                               [E(symbol: 2, target: 0)],
                                               [E(symbol: 0, target: 0), E(symbol: 2, target: 1)]])

    @Test func trueLawFollowsTheAutomatonAndResetsAtSeparators() {
        // "b c | a" → states 2, 1, 0 (reset), 1
        let v = TrueDistribution.validNext(tokens: [2, 3, 9, 1], automaton: automaton, separator: 9)
        #expect(v == [[1, 3], [3], [1, 2], [3]])
    }

    @Test func accuracyAndTVDOnKnownDistributions() {
        var s = ICLScore()
        var p = [Double](repeating: 0, count: 10)
        p[1] = 0.5; p[3] = 0.5                                  // exactly uniform over {a, c}
        s.add(argmaxFrom: p, tvdFrom: p, valid: [1, 3])
        var q = [Double](repeating: 0, count: 10)
        q[9] = 0.6; q[3] = 0.4                                  // separator mass counts as error
        s.add(argmaxFrom: q, tvdFrom: q, valid: [3])
        #expect(s.positions == 2 && s.correct == 1)
        #expect(abs(s.accuracy - 0.5) < 1e-12)
        #expect(abs(s.tvd - 0.3) < 1e-12)                       // (0 + 0.6) / 2
        #expect(abs(ICLScore.tvd(p, q) - 0.6) < 1e-12)
    }

    @Test func baselineScoresOnlyLetterTargets() {
        let p = RegBench.Parameters.miniature
        let inst = RegBench.Instance(automaton: 0, strings: [[1, 2], [0]], tokens: [2, 3, 9, 1], weights: [1, 1, 0, 1])
        let s = BaselineScores.score([inst], automata: [automaton], order: 2, parameters: p)
        #expect(s.positions == 2)                               // targets c and a; the separator target is skipped
    }
}

struct BatchingTests {
    @Test func batchesPadToTheirOwnLongestInstanceAndMaskSeparators() {
        let a = RegBench.Instance(automaton: 0, strings: [], tokens: [1, 2, 9, 3], weights: [1, 1, 0, 1])
        let b = RegBench.Instance(automaton: 0, strings: [], tokens: [4, 5], weights: [1, 1])
        let batch = InstanceBatches.batch([a, b], pad: 0)
        #expect(batch.seqLen == 3 && batch.batchSize == 2)
        #expect(batch.tokens! == [1, 2, 9, 4, 0, 0])
        #expect(batch.targets! == [2, 9, 3, 5, 0, 0])
        #expect(batch.weights == [1, 0, 1, 1, 0, 0])
    }

    @Test func epochPlanIsAPermutationOfFullBatchesAndDeterministic() {
        let lengths = (0..<100).map { ($0 * 37) % 53 + 2 }
        let rng = RandomStream(seed: 4, stream: "data")
        let plan = InstanceBatches.epochPlan(lengths: lengths, batch: 8, bucket: 4, rng: rng.child(0))
        #expect(plan.count == 12 && plan.allSatisfy { $0.count == 8 })
        #expect(Set(plan.joined()).count == 96)
        #expect(plan == InstanceBatches.epochPlan(lengths: lengths, batch: 8, bucket: 4, rng: rng.child(0)))
        #expect(plan != InstanceBatches.epochPlan(lengths: lengths, batch: 8, bucket: 4, rng: rng.child(1)))
        // Bucketing: a batch spans a narrower length range than the whole set.
        let spread = plan.map { b in (b.map { lengths[$0] }.max()! - b.map { lengths[$0] }.min()!) }
        #expect(Double(spread.reduce(0, +)) / Double(spread.count) < 0.5 * Double(lengths.max()! - lengths.min()!))
    }
}

/// The generator follows the brief's sampling rules at paper scale too (I0b's corpus).
struct PaperScaleGeneratorTests {
    @Test func paperScaleInstancesFollowTheRules() {
        var p = RegBench.Parameters.paper
        p.trainInstances = 100; p.testInstances = 50
        let c = RegBench.generate(p)
        #expect(p.vocabularySize == 20 && p.separator == 19)
        let trainKeys = Set(c.train.map { c.automata[$0.automaton].canonicalKey })
        let testKeys = Set(c.test.map { c.automata[$0.automaton].canonicalKey })
        #expect(trainKeys.count == 100 && testKeys.count == 50 && trainKeys.isDisjoint(with: testKeys))
        for inst in c.test {
            #expect((10...19).contains(inst.strings.count))
            #expect(inst.strings.allSatisfy { (1...49).contains($0.count) })
            // Minimisation may merge states into a self-loop (a→b→a with equivalent ends); the
            // no-self-loop rule is about the sampled automaton, checked below.
            #expect(c.automata[inst.automaton].edges.allSatisfy { (1...3).contains($0.count) })
        }
        var rng = RandomStream(seed: 5, stream: "paper")
        for _ in 0..<300 {
            let a = RegBench.randomAutomaton(p, rng: &rng)
            #expect((4...12).contains(a.stateCount))
            #expect(a.edges.enumerated().allSatisfy { s, e in
                (1...3).contains(e.count) && !e.contains { $0.target == s } && Set(e.map(\.target)).count == e.count
                    && Set(e.map(\.symbol)).count == e.count && e.allSatisfy { (0..<18).contains($0.symbol) }
            })
        }
    }
}
