import Corpora
import Foundation
import LMCore

// The probes: analogues of the paper's evaluations on the entity corpus. A query is the start of a
// new document about an entity, whose next token is the value of r: in EC-v2 a statement exactly
// as training documents write it, `n1 n2 n3 's c_r is`; in EC-v1 `n1 n2 . its c_r is`. Every
// probe reads the model's next-token distribution there, restricted to the relation's 20 values
// (argmax = prediction, chance 5%), and the gold log-probability under the full softmax.

struct ProbeItem: Sendable {
    var tokens: [Int32]
    var relation: Int
    var gold: Int32
    /// P-FAITH: the value the model saw in training (the context states `gold` instead).
    var memorised: Int32? = nil
}

struct ProbeScore: Sendable {
    var accuracy: Double
    var goldLogProb: Double
    /// P-FAITH: fraction of items with p(context value) > p(memorised value).
    var contextPreferred: Double
    /// Mean log of the probability mass on the queried relation's 20 values: ln(1/10) when the
    /// model knows a value comes but not whose (it ignores the cue), ≈ 0 once it reads the cue.
    var poolLogMass: Double
}

struct ProbeSizes: Codable, Hashable, Sendable {
    var readingComprehension = 600
    var closedBook = 600
    var faithfulness = 300
    var inContextPerK = 300
    var kValues = [1, 2, 4, 8]
}

enum Probes {
    static func query(_ e: EntityCorpus.Entity, relation r: Int, _ v: EntityCorpus.Vocabulary) -> [Int32] {
        v.p.isV2 ? v.name(e) + [v.possessive, v.cue(r), v.isToken] : v.name(e) + [v.period, v.itsToken, v.cue(r), v.isToken]
    }

    static func docs(of entity: Int, in docs: [EntityCorpus.Document]) -> [Int] {
        docs.indices.filter { docs[$0].entity == entity }
    }

    /// P-RC: held-out entity e, a document A of e stating r; context = EOS, A, EOS, [distractor,
    /// EOS,] query. The distractor is a document of another held-out entity stating r with another value.
    static func readingComprehension(_ c: EntityCorpus.Corpus, count: Int, hard: Bool, random: RandomStream) -> [ProbeItem] {
        let v = c.vocabulary
        var rng = random
        let held = c.heldOutDocuments.indices.filter { c.heldOutDocuments[$0].entity != nil }
        var byRelation = [[Int]](repeating: [], count: c.parameters.relations)
        for i in held { for r in c.heldOutDocuments[i].relations { byRelation[r].append(i) } }
        var items: [ProbeItem] = []
        while items.count < count {
            let a = c.heldOutDocuments[held[rng.int(below: held.count)]]
            let r = a.relations[rng.int(below: a.relations.count)]
            let e = c.heldOutEntities[a.entity!]
            var toks: [Int32] = [EntityCorpus.Vocabulary.eos] + a.tokens + [EntityCorpus.Vocabulary.eos]
            if hard {
                let candidates = byRelation[r].filter {
                    let o = c.heldOutDocuments[$0].entity!
                    return o != a.entity! && c.heldOutEntities[o].values[r] != e.values[r]
                }
                guard !candidates.isEmpty else { continue }
                toks += c.heldOutDocuments[candidates[rng.int(below: candidates.count)]].tokens + [EntityCorpus.Vocabulary.eos]
            }
            items.append(ProbeItem(tokens: toks + query(e, relation: r, v), relation: r, gold: v.value(r, e.values[r])))
        }
        return items
    }

    /// P-CB: a training entity outside the conflict set and a relation stated in one of its
    /// training documents; the query alone.
    static func closedBook(_ c: EntityCorpus.Corpus, count: Int, random: RandomStream) -> [ProbeItem] {
        let v = c.vocabulary
        var rng = random
        let conflict = Set(c.conflictEntities)
        var stated = [Set<Int>](repeating: [], count: c.entities.count)
        for d in c.documents { if let e = d.entity { stated[e].formUnion(d.relations) } }
        let pool = c.entities.indices.filter { !conflict.contains($0) && !stated[$0].isEmpty }
        var items: [ProbeItem] = []
        while items.count < count {
            let e = pool[rng.int(below: pool.count)]
            let rels = stated[e].sorted()
            let r = rels[rng.int(below: rels.count)]
            items.append(ProbeItem(tokens: [EntityCorpus.Vocabulary.eos] + query(c.entities[e], relation: r, v), relation: r,
                                   gold: v.value(r, c.entities[e].values[r])))
        }
        return items
    }

    /// P-FAITH (NQ-Swap analogue): a conflict entity's training document stating r, with the
    /// value replaced by another of the pool; then the query. `gold` = the context's value.
    static func faithfulness(_ c: EntityCorpus.Corpus, count: Int, random: RandomStream) -> [ProbeItem] {
        let v = c.vocabulary
        var rng = random
        let conflict = Set(c.conflictEntities)
        let docs = c.documents.indices.filter { c.documents[$0].entity.map(conflict.contains) ?? false && !c.documents[$0].relations.isEmpty }
        var items: [ProbeItem] = []
        while items.count < count {
            let d = c.documents[docs[rng.int(below: docs.count)]]
            let e = c.entities[d.entity!]
            let r = d.relations[rng.int(below: d.relations.count)]
            let seen = v.value(r, e.values[r])
            var other = rng.int(below: c.parameters.valuesPerRelation - 1)
            if other >= e.values[r] { other += 1 }
            let swapped = v.value(r, other)
            let toks = d.tokens.map { $0 == seen ? swapped : $0 }
            items.append(ProbeItem(tokens: [EntityCorpus.Vocabulary.eos] + toks + [EntityCorpus.Vocabulary.eos] + query(e, relation: r, v),
                                   relation: r, gold: swapped, memorised: seen))
        }
        return items
    }

    /// P-ICL: k documents about different held-out entities, then a query about one of them;
    /// truncated from the left to `context` tokens, the queried entity drawn among the documents
    /// that lie fully inside the window.
    static func inContext(_ c: EntityCorpus.Corpus, k: Int, count: Int, context: Int, random: RandomStream) -> [ProbeItem] {
        let v = c.vocabulary
        var rng = random
        var docsOf = [[Int]](repeating: [], count: c.heldOutEntities.count)
        for (i, d) in c.heldOutDocuments.enumerated() { if let e = d.entity { docsOf[e].append(i) } }
        let eos = EntityCorpus.Vocabulary.eos
        var items: [ProbeItem] = []
        while items.count < count {
            let entities = Array(rng.permutation(c.heldOutEntities.count).prefix(k))
            let chosen = entities.map { docsOf[$0][rng.int(below: docsOf[$0].count)] }
            var toks: [Int32] = [eos]
            var spans: [(start: Int, doc: Int)] = []
            for d in chosen { spans.append((toks.count, d)); toks += c.heldOutDocuments[d].tokens + [eos] }
            let total = toks.count + 6
            let cut = max(0, total - context)
            let inside = spans.filter { $0.start >= cut }
            guard !inside.isEmpty else { continue }
            let d = c.heldOutDocuments[inside[rng.int(below: inside.count)].doc]
            let r = d.relations[rng.int(below: d.relations.count)]
            let e = c.heldOutEntities[d.entity!]
            items.append(ProbeItem(tokens: Array((toks + query(e, relation: r, v)).suffix(context)), relation: r, gold: v.value(r, e.values[r])))
        }
        return items
    }

    /// Score items with the model: batches of right-padded sequences, read at the last token.
    static func score(_ items: [ProbeItem], model: GPT, vocabulary v: EntityCorpus.Vocabulary, batch: Int = 16) -> ProbeScore {
        var correct = 0, preferred = 0
        var logp = 0.0, poolLog = 0.0
        let vocab = model.config.vocabSize
        var start = 0
        while start < items.count {
            let chunk = Array(items[start..<min(start + batch, items.count)])
            let t = chunk.map(\.tokens.count).max()!
            var toks = [Int32](repeating: EntityCorpus.Vocabulary.pad, count: chunk.count * t)
            var targets = [Int32](repeating: 0, count: chunk.count * t)
            var weights = [Float](repeating: 0, count: chunk.count * t)
            for (b, it) in chunk.enumerated() {
                for (i, x) in it.tokens.enumerated() { toks[b * t + i] = x }
                targets[b * t + it.tokens.count - 1] = it.gold
                weights[b * t + it.tokens.count - 1] = 1
            }
            model.forward(Batch(batchSize: chunk.count, seqLen: t, tokens: toks, targets: targets, weights: weights))
            let out = model.outputs
            for (b, it) in chunk.enumerated() {
                let base = (b * t + it.tokens.count - 1) * vocab
                let values = v.values(of: it.relation)
                var best = values[0], bestLogit = -Float.infinity
                for x in values where out[base + Int(x)] > bestLogit { bestLogit = out[base + Int(x)]; best = x }
                if best == it.gold { correct += 1 }
                var m = -Float.infinity
                for j in 0..<vocab { m = max(m, out[base + j]) }
                var z = 0.0
                for j in 0..<vocab { z += exp(Double(out[base + j] - m)) }
                logp += Double(out[base + Int(it.gold)] - m) - log(z)
                poolLog += log(values.reduce(0.0) { $0 + exp(Double(out[base + Int($1)] - m)) } / z)
                if let mem = it.memorised, out[base + Int(it.gold)] > out[base + Int(mem)] { preferred += 1 }
            }
            start += batch
        }
        let n = Double(items.count)
        return ProbeScore(accuracy: Double(correct) / n, goldLogProb: logp / n, contextPreferred: Double(preferred) / n,
                          poolLogMass: poolLog / n)
    }

    /// P-LM: mean loss over contexts (no gradient).
    static func loss(_ contexts: [PackedSequence], model: GPT, batch: Int = 8) -> Double {
        var batches: [Batch] = []
        var i = 0
        while i < contexts.count {
            let chunk = contexts[i..<min(i + batch, contexts.count)]
            batches.append(Batch(batchSize: chunk.count, seqLen: chunk.first!.context, tokens: chunk.flatMap(\.inputs),
                                 targets: chunk.flatMap(\.targets), weights: chunk.flatMap(\.weights)))
            i += batch
        }
        return Trainer.evaluate(model, batches: batches)
    }

    /// Isolated documents: one per sequence (EOS, document, EOS), right-padded with weight 0.
    static func isolatedLoss(_ docs: [[Int32]], model: GPT, batch: Int = 16) -> Double {
        let eos = EntityCorpus.Vocabulary.eos
        let seqs = docs.map { [eos] + $0 + [eos] }
        var total = 0.0, weight = 0.0
        var i = 0
        while i < seqs.count {
            let chunk = Array(seqs[i..<min(i + batch, seqs.count)])
            let t = chunk.map(\.count).max()! - 1
            var toks = [Int32](repeating: EntityCorpus.Vocabulary.pad, count: chunk.count * t)
            var targets = [Int32](repeating: 0, count: chunk.count * t)
            var weights = [Float](repeating: 0, count: chunk.count * t)
            for (b, s) in chunk.enumerated() {
                for j in 0..<(s.count - 1) { toks[b * t + j] = s[j]; targets[b * t + j] = s[j + 1]; weights[b * t + j] = 1 }
            }
            let w = Double(weights.reduce(0, +))
            total += Double(model.forward(Batch(batchSize: chunk.count, seqLen: t, tokens: toks, targets: targets, weights: weights))) * w
            weight += w
            i += batch
        }
        return total / weight
    }
}
