import Corpora
import Foundation
import Harness
import LMCore
import Testing
@testable import InContextPretraining

/// The GC pair (claim I-R1): retrieval on real-text documents, the context-benefit probe on a case
/// whose answer is known, the I-R1 metrics, and that the pair lives only in the extended tier.
struct RealTextTests {
    static func doc(_ text: String, label: Int = 0, maxBytes: Int = 300) -> RealText.Doc {
        RealText.Doc(bytes: Array(text.utf8.prefix(maxBytes)), label: label)
    }

    /// Three topics, two entries each, written with different wording.
    static let entries = [
        "A sloop is a small sailing vessel with one mast.",
        "A cutter: a sailing vessel with one mast, larger than a SLOOP.",
        "The femur is the bone of the thigh.",
        "Thigh bone, or femur; it joins the hip.",
        "An oboe is a wooden wind instrument.",
        "A bassoon is a low wooden wind instrument, like a large oboe.",
    ]

    @Test func hashedFeaturesOfBytesAreThoseOfTheText() {
        let text = "Sloop, SLOOP and cutter"
        #expect(HashedWords.features(bytes: Array(text.utf8)) == HashedWords.features(text))
        #expect(HashedWords.features(text) == ["sloop", "sloop", "and", "cutter"].map { Int(FNV1a.hash($0) % 4096) })
        // A document cut at a byte limit keeps the word prefix it ends with.
        let cut = Self.doc(text, maxBytes: 15)
        #expect(cut.bytes.count == 15 && cut.tokens == Array("Sloop, SLOOP an".utf8).map(Int32.init))
        #expect(HashedWords.features(bytes: cut.bytes) == ["sloop", "sloop", "an"].map { Int(FNV1a.hash($0) % 4096) })
    }

    @Test func tfidfWeightsFollowTheFormula() {
        // N = 2; "tea" occurs twice in document 0 (df 1), "coffee" in both (df 2).
        let index = RealText.index([Self.doc("Tea, tea and... no: TEA? coffee"), Self.doc("coffee")], dimension: 4096, k: 10)
        let v = index.vectors[0]
        func weight(_ word: String) -> Float { v.values[v.indices.firstIndex(of: Int32(FNV1a.hash(word) % 4096))!] }
        func idf(_ df: Double) -> Double { log(3 / (1 + df)) + 1 }
        let raw: [String: Double] = ["tea": (1 + log(3.0)) * idf(1), "and": idf(1), "no": idf(1), "coffee": idf(2)]
        let norm = raw.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for (word, w) in raw { #expect(abs(Double(weight(word)) - w / norm) < 1e-6) }
        #expect(v.indices.count == 4 && v.indices == v.indices.sorted())
        #expect(abs(index.cosine(0, 1) - Float(idf(2) / norm)) < 1e-6)
    }

    @Test func nearestNeighbourIsTheEntryOnTheSameTopic() {
        let docs = Self.entries.enumerated().map { Self.doc($1, label: $0 / 2) }
        let index = RealText.index(docs, dimension: 4096, k: 10)
        for d in docs.indices {
            let nb = index.knn.neighbours(of: d)
            #expect(nb.count == docs.count - 1)                          // k = 10 > N − 1: every other document
            #expect(nb[0].id == d ^ 1)                                  // the partner on the same topic
            #expect(zip(nb, nb.dropFirst()).allSatisfy { $0.sim >= $1.sim })
            for (id, sim) in nb { #expect(abs(sim - index.cosine(d, id)) < 1e-6) }
        }
        #expect(PipelineChecks.top1Precision(index, labels: docs.map(\.label)) == 1)
    }

    @Test func probePairsAreTheNeighbourAndAnotherDocument() {
        let docs = Self.entries.map { Self.doc($0) }
        let index = RealText.index(docs, dimension: 4096, k: 10)
        let pairs = RealText.contextBenefitPairs(index, count: 4, random: RandomStream(seed: 3, stream: "eval").child("cb"))
        #expect(pairs.map(\.document) == [0, 1, 2, 3])
        for p in pairs {
            #expect(p.neighbour == p.document ^ 1)
            #expect(p.random != p.document && p.random != p.neighbour && docs.indices.contains(p.random))
        }
        #expect(pairs == RealText.contextBenefitPairs(index, count: 4, random: RandomStream(seed: 3, stream: "eval").child("cb")))
        #expect(RealText.contextBenefitPairs(index, count: 100, random: RandomStream(seed: 3, stream: "x")).count == docs.count)
    }

    /// Windows hold EOS, the previous document, EOS, B; only B's bytes are scored, and a long
    /// previous document is cut from the left.
    @Test func probeWindowScoresOnlyTheDocument() {
        let eos = ByteTokenizer.eos
        let b = Self.doc("the document B").tokens
        let short = RealText.window(b, after: Self.doc("prev").tokens, context: 32, eos: eos)
        #expect(short.context == 32)
        #expect(Array(short.inputs.prefix(6)) == [eos] + Self.doc("prev").tokens + [eos])
        #expect(zip(short.targets, short.weights).filter { $0.1 > 0 }.map(\.0) == b)
        let long = RealText.window(b, after: [Int32](repeating: 120, count: 100), context: 32, eos: eos)
        #expect(long.inputs.count == 32 && long.weights.reduce(0, +) == Float(b.count))
        #expect(Array(long.targets.suffix(b.count)) == b && long.inputs[32 - b.count] == eos)
    }

    /// A copier: a byte costs 0 nats when the same (input, target) bigram occurred earlier in its
    /// window, else ln 256. With B's neighbour identical to B and the random document sharing no
    /// byte, CB is exactly ln 256 per byte.
    @Test func contextBenefitOnAKnownCase() {
        func copier(_ windows: [PackedSequence]) -> Double {
            var total = 0.0, weight = 0.0
            for w in windows {
                for i in 0..<w.context where w.weights[i] > 0 {
                    let seen = (0..<i).contains { w.inputs[$0] == w.inputs[i] && w.targets[$0] == w.targets[i] }
                    total += Double(w.weights[i]) * (seen ? 0 : log(256)); weight += Double(w.weights[i])
                }
            }
            return total / weight
        }
        let tokens = ["abcd", "abcd", "wxyz"].map { Self.doc($0).tokens }
        let cb = RealText.contextBenefit([.init(document: 0, neighbour: 1, random: 2)], tokens: tokens, context: 16,
                                         eos: ByteTokenizer.eos, loss: copier)
        #expect(cb.neighbour == 0)
        #expect(abs(cb.random - log(256)) < 1e-12 && abs(cb.benefit - log(256)) < 1e-12)
        // A neighbour sharing only the first half: half of B's bytes are copied.
        let half = RealText.contextBenefit([.init(document: 0, neighbour: 1, random: 2)], tokens: [tokens[0], Self.doc("abxy").tokens, tokens[2]],
                                           context: 16, eos: ByteTokenizer.eos, loss: copier)
        #expect(abs(half.benefit - log(256) / 2) < 1e-12)
    }

    static func seed(_ measurements: [String: [String: Double]]) -> SeedResults {
        SeedResults(seed: 1, runs: measurements.mapValues { m in
            RunResult(fingerprint: "fp", paper: "icp", arm: "arm", tier: .extended, seed: 1, configJSON: "{}", codeVersion: "v",
                      environment: RunEnvironment(cpu: "cpu", blasCore: "core", threads: 1, swift: "6.3", os: "Debian"),
                      status: "complete", started: "", finished: "", wallSeconds: 1, measurements: m, series: [:])
        })
    }

    @Test func claimMetricsOfThePair() throws {
        let target = InContextPretrainingTarget()
        func r1(_ seed: SeedResults) throws -> [String: Double] {
            try target.metrics(for: seed, tier: .extended).filter { $0.key.hasPrefix("r1_") }
        }
        let m = try r1(Self.seed(["GC-ICP": ["cb": 0.06, "lm_random_concat": 2.2], "GC-RANDOM": ["cb": 0.04, "lm_random_concat": 2.0]]))
        #expect(m["r1_cb_icp"] == 0.06)
        #expect(abs(m["r1_cb_ratio"]! - 1.5) < 1e-12 && abs(m["r1_lm_ratio"]! - 1.1) < 1e-12)
        // No ratio over a CB(GC-RANDOM) ≤ 0; the other metrics stay.
        let flat = try r1(Self.seed(["GC-ICP": ["cb": 0.06, "lm_random_concat": 2.2], "GC-RANDOM": ["cb": -0.01, "lm_random_concat": 2.0]]))
        #expect(flat["r1_cb_ratio"] == nil && flat["r1_cb_icp"] == 0.06 && flat["r1_lm_ratio"] != nil)
        #expect(try r1(Self.seed(["GC-RANDOM": ["cb": 0.04]])).isEmpty)
        for name in ["r1_cb_icp", "r1_cb_ratio", "r1_lm_ratio"] { #expect(target.metricNames.contains(name)) }
    }

    @Test func thePairIsInTheExtendedTierOnly() throws {
        let target = InContextPretrainingTarget()
        for tier in [Tier.smoke, .default] { #expect(!target.arms(for: tier).contains { $0.arm.hasPrefix("GC-") }) }
        let extended = target.arms(for: .extended)
        #expect(extended.filter { $0.arm.hasPrefix("GC-") }.map(\.arm) == ["GC-RANDOM", "GC-ICP"])
        let configs = try ["GC-RANDOM", "GC-ICP"].map { name in
            try JSONDecoder().decode(RealTextConfig.self, from: Data(extended.first { $0.arm == name }!.configJSON.utf8))
        }
        #expect(configs.map(\.ordering) == [.random, .icp])
        // Same documents, model and tokens: only the ordering differs.
        #expect(configs[0].model == configs[1].model && configs[0].steps == configs[1].steps && configs[0].batch == configs[1].batch)
        #expect(configs[0].trainingDocuments == configs[1].trainingDocuments && configs[0].probePairs == configs[1].probePairs)
        #expect(configs[0].model.contextLength == 512 && configs[0].model.vocabSize == 258 && configs[0].orderingConfig.k == 10)
    }

    /// The default tier's run identities (seed 1, one thread) as committed in Reports/icp/data/runs.csv.
    @Test func defaultTierArmsAreUnchanged() {
        let recorded = ["pipeline": "118683a16e6cf667", "RANDOM": "d45a901d256739f8", "ICP": "293688d8f69354cb",
                        "KNN": "daccd84ba4fe323f", "CLUSTER": "da2fdcfcc77bb670", "ICP-dedup": "591ddb86c10a0c7d",
                        "ICP-nodedup": "957a0aea1c79106f", "ORACLE": "4a803405eaeffec1"]
        let arms = InContextPretrainingTarget().arms(for: .default)
        #expect(arms.map(\.arm) == ["pipeline", "RANDOM", "ICP", "KNN", "CLUSTER", "ICP-dedup", "ICP-nodedup", "ORACLE"])
        for a in arms {
            #expect(runFingerprint(paper: "icp", arm: a.arm, tier: .default, seed: 1, configJSON: a.configJSON, threads: 1) == recorded[a.arm])
        }
    }
}
