import Corpora
import Foundation
import Harness
import LMCore
import Testing
@testable import InContextPretraining

/// The ordering pipeline on cases with known answers, and the smoke gate: the smoke tier run end
/// to end through the harness, whose gated claims must hold.
struct PipelineTests {
    @Test func algorithm1FollowsTheWorkedExample() {
        let t = GreedyTraversal.algorithm1(PipelineChecks.exampleGraph)
        #expect(t.path == [0, 1, 3, 2, 5, 6, 7, 4])
        #expect(t.starts == [0, 7])
        #expect(t.restarts == 1)
        #expect(PipelineChecks.exampleGraph.degree == [1, 3, 3, 3, 1, 2, 2, 1])
        #expect(PipelineChecks.obeysAlgorithm1(PipelineChecks.exampleGraph, t))
    }

    @Test func ruleCheckerRejectsAWrongPath() {
        let g = PipelineChecks.exampleGraph
        // 1 → 2 instead of 1 → 3 (0.4 < 0.8)
        #expect(!PipelineChecks.obeysAlgorithm1(g, Traversal(path: [0, 1, 2, 3, 4, 5, 6, 7], starts: [0], operations: 0)))
        // starting at 4 (degree 1 but not the lowest index)
        #expect(!PipelineChecks.obeysAlgorithm1(g, Traversal(path: [4, 3, 1, 0, 2, 5, 6, 7], starts: [0, 3], operations: 0)))
    }

    @Test func exactKNNMatchesBruteForce() {
        var rng = RandomStream(seed: 5, stream: "knn")
        let features = (0..<60).map { _ in (0..<(3 + rng.int(below: 8))).map { _ in rng.int(below: 25) } }
        let vs = TFIDF.embed(features, dimension: 25)
        for v in vs { #expect(abs(v.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5) }
        let knn = ExactKNN.search(vs, dimension: 25, k: 4)
        for d in 0..<60 {
            // The same dot products, summed in the same feature order: identical bits and ranks.
            var all: [(id: Int, sim: Float)] = []
            for j in 0..<60 where j != d { all.append((id: j, sim: SparseVector.dot(vs[d], vs[j]))) }
            all.sort { (a, b) -> Bool in a.sim > b.sim || (a.sim == b.sim && a.id < b.id) }
            let expected = all.prefix(4)
            let got = knn.neighbours(of: d)
            #expect(got.map { $0.id } == expected.map { $0.id })
            #expect(got.map { $0.sim.bitPattern } == expected.map { $0.sim.bitPattern })
        }
    }

    @Test func hashedWordsAreLowerCasedFNV() {
        let f = HashedWords.features("The cat, the CAT!", dimension: 4096)
        #expect(f.count == 4 && f[0] == f[2] && f[1] == f[3])
        #expect(f[0] == Int(FNV1a.hash("the") % 4096))
    }

    @Test func icpOrderIsAPermutationOfTheDeduplicatedCorpus() {
        let c = EntityCorpus.withDuplicates(EntityCorpus.generate(.smoke))
        let index = EntityFeatures.index(c.documents, c.vocabulary, k: 5)
        let (order, traversal, graph) = Orderings.icp(index, config: OrderingConfig())
        let kept = c.documents.indices.filter { order.kept[$0] }
        #expect(order.sequence.sorted() == kept)
        #expect(kept.count < c.documents.count)
        #expect(PipelineChecks.obeysAlgorithm1(graph, traversal))
        // Without dedup every document is used exactly once.
        var noDedup = OrderingConfig(); noDedup.dedup = false
        #expect(Orderings.icp(index, config: noDedup).order.sequence.sorted() == Array(c.documents.indices))
    }

    @Test func dedupDropsTheLaterOfTwoNearCopies() {
        // Documents 0 and 2 are near-identical; 1 is different.
        let vs = TFIDF.embed([[1, 2, 3, 4, 5, 6], [7, 8, 9], [1, 2, 3, 4, 5, 6, 6]], dimension: 10)
        let knn = ExactKNN.search(vs, dimension: 10, k: 1)
        #expect(Dedup.semantic(knn, threshold: 0.9) == [true, true, false])
    }

    @Test func traversalCostIsLinear() {
        // Operation counts on EC graphs of N and 2N entities: O(N + E) means a ratio near 2.
        var ops: [(Int, Int)] = []
        for n in [300, 600] {
            var p = EntityCorpus.Parameters.smoke; p.trainingEntities = n
            let c = EntityCorpus.generate(p)
            let g = DocumentGraph(EntityFeatures.index(c.documents, c.vocabulary, k: 5).knn)
            ops.append((g.nodeCount, GreedyTraversal.algorithm1(g).operations))
        }
        let ratio = Double(ops[1].1) / Double(ops[0].1) * 2 * Double(ops[0].0) / Double(ops[1].0)
        #expect(ratio > 1.6 && ratio < 2.5)
    }

    @Test func knnStreamRepeatsDocuments() {
        let c = EntityCorpus.generate(.smoke)
        let index = EntityFeatures.index(c.documents, c.vocabulary, k: 5)
        let lengths = c.documents.map { $0.tokens.count + 1 }
        let budget = lengths.reduce(0, +)
        let o = Orderings.knn(index, lengths: lengths, tokenBudget: budget, random: RandomStream(seed: 1, stream: "data"))
        #expect(Set(o.sequence).count < Int(0.8 * Double(c.documents.count)))
    }

    @Test func oracleOrderGroupsEachEntitysDocuments() {
        let c = EntityCorpus.generate(.smoke)
        let labels = c.documents.map(\.entity)
        let o = Orderings.oracle(labels: labels, random: RandomStream(seed: 1, stream: "data"))
        #expect(o.sequence.sorted() == Array(c.documents.indices))
        // every entity's documents form one contiguous run of the order
        var runs: [Int: Int] = [:]
        for (i, d) in o.sequence.enumerated() {
            guard let e = labels[d] else { continue }
            if i == 0 || labels[o.sequence[i - 1]] != e { runs[e, default: 0] += 1 }
        }
        #expect(!runs.isEmpty && runs.values.allSatisfy { $0 == 1 })
        // and the groups are not left in corpus order
        #expect(o.sequence != Array(c.documents.indices))
    }

    @Test func releasedCodeVariantUsesEveryKeptDocumentOnce() {
        let c = EntityCorpus.generate(.smoke)
        let index = EntityFeatures.index(c.documents, c.vocabulary, k: 10)
        var rng = RandomStream(seed: 2, stream: "code")
        let path = GreedyTraversal.releasedCode(index.knn, keep: [Bool](repeating: true, count: c.documents.count), cap: 5, random: &rng)
        #expect(path.sorted() == Array(c.documents.indices))
    }

    /// EC-v2's purpose: a bag-of-tokens retriever finds an entity's siblings (top-1 ≥ 0.8) and the
    /// walk puts them next to each other (adjacency ≥ 60%), where EC-v1 does neither.
    @Test func version2IsRetrievableAndVersion1IsNot() {
        let v2 = PipelineChecks.retrievalStatistics(EntityCorpus.generate(.smokeV2), ordering: OrderingConfig(),
                                                    random: RandomStream(seed: 1, stream: "data"))
        #expect(v2.top1 >= 0.8)
        #expect(v2.sameEntity >= 0.6 && v2.sameEntity <= v2.ceiling)
        #expect(v2.cosineRatio >= 10)
        let v1 = PipelineChecks.retrievalStatistics(EntityCorpus.generate(.smoke), ordering: OrderingConfig(),
                                                    random: RandomStream(seed: 1, stream: "data"))
        #expect(v1.top1 < 0.8 && v1.sameEntity < 0.6)
    }

    @Test func version2ProbesUseTheTrainingFormat() {
        let c = EntityCorpus.generate(.smokeV2)
        let v = c.vocabulary
        for it in Probes.readingComprehension(c, count: 20, hard: true, random: RandomStream(seed: 1, stream: "p")) {
            #expect(v.values(of: it.relation).contains(it.gold))
            // the query is a statement as training documents write it: name 's c_r is
            #expect(it.tokens.suffix(3) == [v.possessive, v.cue(it.relation), v.isToken])
            let name = Array(it.tokens.suffix(6).prefix(3))
            #expect(name.allSatisfy { Int($0) >= v.syllableBase && Int($0) < v.cueBase })
            // the supporting document states the fact with the same name before the query
            let stmt = name + [v.possessive, v.cue(it.relation), v.isToken, it.gold]
            #expect(it.tokens.indices.contains { i in i + stmt.count <= it.tokens.count - 6 && Array(it.tokens[i..<(i + stmt.count)]) == stmt })
        }
        for it in Probes.closedBook(c, count: 10, random: RandomStream(seed: 1, stream: "c")) {
            #expect(it.tokens.count == 7 && it.tokens[0] == EntityCorpus.Vocabulary.eos)
        }
    }

    @Test func probesAreWellFormed() {
        let c = EntityCorpus.generate(.smoke)
        let v = c.vocabulary
        let hard = Probes.readingComprehension(c, count: 20, hard: true, random: RandomStream(seed: 1, stream: "p"))
        for it in hard {
            #expect(v.values(of: it.relation).contains(it.gold))
            #expect(it.tokens.suffix(3) == [v.itsToken, v.cue(it.relation), v.isToken])
            // the distractor states the same relation with another value after the supporting document
            let cueCount = zip(it.tokens, it.tokens.dropFirst()).filter { $0.0 == v.cue(it.relation) && $0.1 == v.isToken }.count
            #expect(cueCount == 3)
        }
        for it in Probes.faithfulness(c, count: 20, random: RandomStream(seed: 1, stream: "f")) {
            #expect(it.memorised != nil && it.memorised != it.gold && it.tokens.contains(it.gold) && !it.tokens.contains(it.memorised!))
        }
        for it in Probes.inContext(c, k: 8, count: 20, context: 256, random: RandomStream(seed: 1, stream: "i")) {
            #expect(it.tokens.count <= 256 && it.tokens.contains(it.gold))
        }
    }
}
