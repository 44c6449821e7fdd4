import Testing
import Foundation
@testable import Corpora
import LMCore

@Suite struct RegBenchTests {
    var small: RegBench.Parameters { var p = RegBench.Parameters.miniature; p.trainInstances = 300; p.testInstances = 50; return p }

    @Test func deterministicAndSeedSensitive() {
        let a = RegBench.generate(small), b = RegBench.generate(small)
        #expect(a.train == b.train && a.test == b.test && a.automata == b.automata)
        var q = small; q.seed = 1
        #expect(RegBench.generate(q).train != a.train)
    }

    @Test func automataFollowTheSamplingRules() {
        let p = small
        var rng = RandomStream(seed: 3, stream: "t")
        for _ in 0..<300 {
            let a = RegBench.randomAutomaton(p, rng: &rng)
            #expect(p.states.contains(a.stateCount))
            for (s, edges) in a.edges.enumerated() {
                #expect((1...3).contains(edges.count))
                #expect(!edges.contains { $0.target == s })                         // no self-loops
                #expect(Set(edges.map(\.symbol)).count == edges.count)
                #expect(Set(edges.map(\.target)).count == edges.count)
            }
            let m = RegBench.minimise(a)
            #expect(m.stateCount <= a.stateCount && m.edges.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func trainAndTestAreDisjointAndWellFormed() {
        let c = RegBench.generate(small)
        let trainKeys = Set(c.train.map { c.automata[$0.automaton].canonicalKey })
        let testKeys = Set(c.test.map { c.automata[$0.automaton].canonicalKey })
        #expect(trainKeys.count == 300 && testKeys.count == 50 && trainKeys.isDisjoint(with: testKeys))
        for inst in c.train + c.test {
            #expect((6...10).contains(inst.strings.count))
            #expect(inst.strings.allSatisfy { (1...15).contains($0.count) })
            #expect(inst.tokens.filter { $0 == 9 }.count == inst.strings.count - 1)
            for (t, w) in zip(inst.tokens, inst.weights) { #expect((t == 9) == (w == 0)) }
            #expect(inst.tokens.allSatisfy { $0 >= 1 && $0 <= 9 })
            // Every string is accepted by its automaton from state 0.
            let a = c.automata[inst.automaton]
            for s in inst.strings {
                var st: Int? = 0
                for x in s { st = st.flatMap { a.step($0, x) } }
                #expect(st != nil)
            }
        }
    }

    @Test func minimisationMergesEquivalentStates() {
        typealias E = RegBench.Automaton.Edge
        // 0 -a-> 1, 0 -b-> 2; 1 and 2 both only -c-> 0 : equivalent; state 3 unreachable.
        let a = RegBench.Automaton(edges: [[E(symbol: 0, target: 1), E(symbol: 1, target: 2)],
                                           [E(symbol: 2, target: 0)], [E(symbol: 2, target: 0)], [E(symbol: 0, target: 0)]])
        let m = RegBench.minimise(a)
        #expect(m.stateCount == 2)
        #expect(m.canonicalKey == "0>1,1>1;2>0")
    }
}

@Suite struct EntityCorpusTests {
    @Test func deterministicAndSeedSensitive() {
        let p = EntityCorpus.Parameters.smoke
        let a = EntityCorpus.generate(p), b = EntityCorpus.generate(p)
        #expect(a.documents == b.documents && a.heldOutDocuments == b.heldOutDocuments)
        var q = p; q.seed = 9
        #expect(EntityCorpus.generate(q).documents != a.documents)
    }

    @Test func structure() {
        let p = EntityCorpus.Parameters.smoke
        let c = EntityCorpus.generate(p)
        let v = c.vocabulary
        #expect(v.size == 467)
        let trainNames = Set(c.entities.map { "\($0.name)" })
        #expect(trainNames.count == 200)
        #expect(c.heldOutEntities.allSatisfy { !trainNames.contains("\($0.name)") })
        let syl = Set(c.entities.flatMap { $0.name })
        #expect(c.entities.allSatisfy { $0.name.count == 2 })
        #expect(c.heldOutEntities.allSatisfy { $0.name.allSatisfy(syl.contains) })
        #expect(c.conflictEntities.count == 30 && Set(c.conflictEntities).count == 30)
        let byEntity = Dictionary(grouping: c.documents.filter { $0.entity != nil }, by: { $0.entity! })
        #expect(byEntity.count == 200 && byEntity.values.allSatisfy { $0.count == 4 })
        for (e, docs) in byEntity {
            #expect(Set(docs.map { Set($0.relations) }).count == 4)          // pairwise different subsets
            for d in docs {
                let ent = c.entities[e]
                #expect(d.tokens[0] == v.syllable(ent.name[0]) && d.tokens[1] == v.syllable(ent.name[1]) && d.tokens[2] == v.period)
                #expect(d.relations.count == 3)
                for r in d.relations {
                    // `its c_r is v .` appears with the entity's value.
                    let stmt = [v.itsToken, v.cue(r), v.isToken, v.value(r, ent.values[r]), v.period]
                    #expect(d.tokens.indices.contains { i in i + 5 <= d.tokens.count && Array(d.tokens[i..<(i + 5)]) == stmt })
                }
                #expect((30...72).contains(d.tokens.count))
                // The name appears only at the start.
                #expect(!d.tokens.dropFirst(2).contains { v.syllable(0) <= $0 && $0 < v.syllable(p.syllables) })
            }
        }
        let fillers = c.documents.filter { $0.entity == nil }
        #expect(fillers.count == 120)                                          // 15% of 800
        #expect(fillers.allSatisfy { $0.tokens.allSatisfy { v.isFiller($0) || v.isFunction($0) } })
    }

    /// EC-v1 is unchanged by the v2 layout: its default corpus serialises to the checksum its
    /// manifest recorded before v2 existed (Datasets/EC.json), and a sample of documents matches.
    @Test func version1IsUnchanged() throws {
        let c = EntityCorpus.generate(EntityCorpus.Parameters())
        #expect(c.documents.count == 9200 && c.heldOutDocuments.count == 1380 && c.tokenCount == 435698)
        var s = "entity-corpus-v1\n"
        for (name, set) in [("train", c.documents), ("heldout", c.heldOutDocuments)] {
            for d in set {
                s += "\(name) \(d.entity.map(String.init) ?? "-") \(d.duplicateOf.map(String.init) ?? "-") " + d.tokens.map { String($0) }.joined(separator: " ") + "\n"
            }
        }
        #expect(SHA256.hex(Array(s.utf8)) == "a8c470a1d278eb0f0ea2556c3dd8e3593bc616e7e960a3a82995c65b8c10c99f")
        #expect(!EntityCorpus.Parameters().isV2)
    }

    @Test func version2NamesRecurAndRarelyShareSyllables() {
        let p = EntityCorpus.Parameters.smokeV2
        let c = EntityCorpus.generate(p)
        let v = c.vocabulary
        #expect(c.entities.allSatisfy { $0.name.count == 3 && Set($0.name).count == 3 })
        // No unordered syllable pair occurs in two names (training and held-out together).
        var pairs = Set<[Int]>()
        var total = 0
        for e in c.entities + c.heldOutEntities {
            let n = e.name
            for i in 0..<3 { for j in (i + 1)..<3 { pairs.insert([min(n[i], n[j]), max(n[i], n[j])]); total += 1 } }
        }
        #expect(pairs.count == total)
        let trained = Set(c.entities.flatMap(\.name))
        #expect(c.heldOutEntities.allSatisfy { $0.name.allSatisfy(trained.contains) })
        for d in c.documents where d.entity != nil {
            let e = c.entities[d.entity!]
            #expect(d.relations.count == p.relationsPerDocument)
            for r in d.relations {
                let stmt = v.name(e) + [v.possessive, v.cue(r), v.isToken, v.value(r, e.values[r]), v.period]
                #expect(d.tokens.indices.contains { i in i + stmt.count <= d.tokens.count && Array(d.tokens[i..<(i + stmt.count)]) == stmt })
            }
            // `'s` and `its` appear only in statements; the name appears once per statement.
            #expect(d.tokens.filter { $0 == v.possessive }.count == d.relations.count)
            #expect(!d.tokens.contains(v.itsToken))
            #expect(d.tokens.filter { $0 == v.syllable(e.name[0]) }.count == d.relations.count)
        }
        for d in c.documents where d.entity == nil {
            #expect(!d.tokens.contains(v.possessive) && !d.tokens.contains(v.isToken))
        }
    }

    @Test func duplicatesAreFlaggedNearCopies() {
        let c = EntityCorpus.generate(.smoke)
        let d = EntityCorpus.withDuplicates(c)
        let copies = d.documents.filter { $0.duplicateOf != nil }
        #expect(copies.count == Int((Double(c.documents.count) * 0.2).rounded()))
        #expect(d.documents.count == c.documents.count + copies.count)
        for x in copies {
            let o = c.documents[x.duplicateOf!]
            #expect(o.tokens.count == x.tokens.count)
            let diffs = zip(o.tokens, x.tokens).filter { $0 != $1 }
            #expect((1...2).contains(diffs.count))
            #expect(diffs.allSatisfy { (c.vocabulary.isFiller($0) && c.vocabulary.isFiller($1)) || (c.vocabulary.isFunction($0) && c.vocabulary.isFunction($1)) })
        }
        #expect(EntityCorpus.withDuplicates(c).documents == d.documents)
    }
}

@Suite struct MarkovMixtureTests {
    static let generator = MarkovMixture.Generator(.smoke)

    @Test func deterministicAndSeedSensitive() {
        let g = MarkovMixtureTests.generator
        let h = MarkovMixture.Generator(.smoke)
        #expect(g.rows == h.rows && g.calibration == h.calibration && g.heldOutDocuments(count: 20) == h.heldOutDocuments(count: 20))
        var p = MarkovMixture.Parameters.smoke; p.seed = 5
        #expect(MarkovMixture.Generator(p).rows != g.rows)
        #expect(g.trainingDocuments(count: 5, runSeed: 1) != g.trainingDocuments(count: 5, runSeed: 2))
        #expect(g.trainingDocuments(count: 5, runSeed: 1, pool: "A") != g.trainingDocuments(count: 5, runSeed: 1, pool: "B"))
    }

    @Test func rowsAndPrior() {
        let g = MarkovMixtureTests.generator
        #expect(abs(g.prior.reduce(0, +) - 1) < 1e-12)
        #expect(Set(g.ranks) == Set(1...6))
        for k in 0..<g.parameters.sources { for a in 0..<g.parameters.contentTokens {
            #expect(abs(g.rows[k][a].reduce(0, +) - 1) < 1e-9)
            #expect(Set(g.support[a]).count == g.parameters.successors)
        } }
        #expect(g.calibration.lambda > 0 && g.calibration.lambda < 1)
    }

    @Test func bayesLossesAreConsistent() {
        let g = MarkovMixtureTests.generator
        var cond = 0.0, uncond = 0.0, site = 0.0, n = 0
        for d in g.heldOutDocuments(count: 200) {
            #expect((32...64).contains(d.content.count))
            let (c, u) = g.bayesLosses(d)
            #expect(c.count == d.content.count && u.count == d.content.count)
            #expect(abs(c[0] - log(16)) < 1e-12 && abs(u[0] - log(16)) < 1e-12)
            // Spot check one position against the definition.
            let t = d.content.count / 2
            let post = g.posterior(d.content[0..<t])
            let a = Int(d.content[t - 1]), b = Int(d.content[t])
            let mix = (0..<g.parameters.sources).reduce(0.0) { $0 + post[$1] * g.transition($1, a, b) }
            #expect(abs(u[t] + log(mix)) < 1e-9)
            #expect(abs(c[t] + log(g.transition(d.source, a, b))) < 1e-12)
            // The site-known predictor: the posterior over the site's pages only.
            let sl = g.siteBayesLosses(d)
            let pages = g.parameters.pagesPerSite, first = d.source / pages * pages
            let candidates = Array(first..<(first + pages))
            let logLik = candidates.map { k in
                (1..<t).reduce(log(g.prior[k])) { $0 + log(g.transition(k, Int(d.content[$1 - 1]), Int(d.content[$1]))) }
            }
            let w = logLik.map { exp($0 - logLik.max()!) }
            let siteMix = zip(candidates, w).reduce(0.0) { $0 + $1.1 * g.transition($1.0, a, b) } / w.reduce(0, +)
            #expect(abs(sl[t] + log(siteMix)) < 1e-9)
            cond += c.dropFirst().reduce(0, +); uncond += u.dropFirst().reduce(0, +); site += sl.dropFirst().reduce(0, +)
            n += c.count - 1
        }
        #expect(cond / Double(n) < uncond / Double(n))      // knowing the source helps on average
        #expect(cond < site && site < uncond)                // knowing the site helps, the page more
    }

    @Test func metadataLayoutAndMask() {
        let g = MarkovMixtureTests.generator
        let p = g.parameters
        let d = g.heldOutDocuments(count: 1)[0]
        let t = g.tokens(d, metadata: g.metadata(d.source, .url))
        #expect(t.tokens.first == p.bos && t.tokens.last == p.eos && t.tokens[4] == p.sep)
        #expect(Array(t.weights[0..<5]) == [0, 0, 0, 0, 0])
        #expect(t.weights[5...].allSatisfy { $0 == 1 })
        #expect(t.tokens.count == d.content.count + 6)
        let plain = g.tokens(d)
        #expect(plain.tokens.count == d.content.count + 2 && plain.weights[0] == 0)
        // URL triples are distinct per source and share the site symbol; SUFFIX is the site only.
        let urls = (0..<p.sources).map { g.metadata($0, .url) }
        #expect(Set(urls).count == p.sources)
        #expect(urls.allSatisfy { $0.allSatisfy { (0..<p.metadataSymbols).contains($0) } })
        #expect(g.metadata(4, .suffix) == [4 / p.pagesPerSite])
        #expect(Set((0..<p.sources).map { g.metadata($0, .hashed) }).count == p.sources)
        #expect(Set((0..<p.sources).map { g.metadata($0, .fixed) }).count == 1)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CORPORA_SLOW"] != nil))
    func defaultCalibrationHitsTheTargets() {
        let g = MarkovMixture.Generator(.init())
        #expect(abs(g.calibration.accuracy64 - 0.95) <= 0.01)
        #expect(g.calibration.accuracy16InRange)
    }
}
