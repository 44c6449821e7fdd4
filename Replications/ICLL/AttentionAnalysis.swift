import Corpora
import Foundation
import Harness
import LMCore

/// "n-gram heads" (the paper's §5, check I5): how much of each head's attention mass falls on
/// the follower sets S_i(1) and S_i(2) — the positions right after earlier occurrences of the
/// current token / bigram — against the uniform-attention expectation |S_i| / (i+1).
enum AttentionAnalysis {
    /// Queries from this input position on (0-based) are averaged.
    static let firstQuery = 30

    struct HeadMass { var layer: Int; var head: Int; var order: Int; var mass: Double; var uniform: Double; var queries: Int }

    /// Mean attention mass on S_i(n), n = 1, 2, for every (layer, head), over test queries i ≥ 30
    /// with a non-empty S_i(n) (real tokens only).
    static func masses(_ model: GPT, _ test: TestSet) -> [HeadMass] {
        let cfg = model.config
        var sums: [[[(mass: Double, uniform: Double, n: Int)]]] =
            Array(repeating: Array(repeating: Array(repeating: (0, 0, 0), count: 3), count: cfg.nHeads), count: cfg.nLayers)
        for (range, batch) in test.batches {
            model.forward(batch)
            let t = batch.seqLen
            let sets = [1, 2].map { StaticNGram.followerSets(tokens: batch.tokens!, batchSize: batch.batchSize, seqLen: t, order: $0) }
            for (r, k) in range.enumerated() {
                let len = test.instances[k].tokens.count - 1
                guard len > firstQuery else { continue }
                for l in 0..<cfg.nLayers {
                    for h in 0..<cfg.nHeads {
                        let a = model.attentionWeights(layer: l, batchIndex: r, head: h)
                        for (o, s) in sets.enumerated() {
                            for i in firstQuery..<len {
                                let members = s.positions(row: r, query: i)
                                guard !members.isEmpty else { continue }
                                var m = 0.0
                                for j in members { m += Double(a[i * t + j]) }
                                sums[l][h][o + 1].mass += m
                                sums[l][h][o + 1].uniform += Double(members.count) / Double(i + 1)
                                sums[l][h][o + 1].n += 1
                            }
                        }
                    }
                }
            }
        }
        var out: [HeadMass] = []
        for l in 0..<cfg.nLayers { for h in 0..<cfg.nHeads { for o in 1...2 {
            let s = sums[l][h][o]
            out.append(HeadMass(layer: l, head: h, order: o, mass: s.n > 0 ? s.mass / Double(s.n) : 0,
                                uniform: s.n > 0 ? s.uniform / Double(s.n) : 0, queries: s.n))
        } } }
        return out
    }

    /// Measures every head's mass, the I5 statistic (best head of the last layer), and one
    /// example for the report: the best head's attention row for a late query of a test
    /// instance, with the follower positions marked.
    static func record(_ model: GPT, _ test: TestSet, context: RunContext) {
        let heads = masses(model, test)
        for m in heads {
            context.measure("attn_mass_L\(m.layer + 1)H\(m.head + 1)_S\(m.order)", m.mass)
            context.measure("attn_uniform_L\(m.layer + 1)H\(m.head + 1)_S\(m.order)", m.uniform)
        }
        let last = model.config.nLayers - 1
        if let best = heads.filter({ $0.layer == last }).max(by: { $0.mass < $1.mass }) {
            context.measure("ngram_head_mass", best.mass)
            context.measure("ngram_head_uniform", best.uniform)
            context.measure("ngram_head_order", Double(best.order))
        }
        guard let best = heads.max(by: { $0.mass < $1.mass }) else { return }
        context.measure("example_layer", Double(best.layer + 1))
        context.measure("example_head", Double(best.head + 1))
        // The example: the first test instance with ≥ 60 inputs, its last query with a non-empty S_i(2).
        guard let k = test.instances.firstIndex(where: { $0.tokens.count - 1 >= 60 }) else { return }
        let batch = InstanceBatches.batch([test.instances[k]], pad: test.parameters.pad)
        model.forward(batch)
        let t = batch.seqLen
        let s1 = StaticNGram.followerSets(tokens: batch.tokens!, batchSize: 1, seqLen: t, order: 1)
        let s2 = StaticNGram.followerSets(tokens: batch.tokens!, batchSize: 1, seqLen: t, order: 2)
        // Prefer a query whose bigram followers are a proper subset of its token followers, so both show.
        func sizes(_ q: Int) -> (Int, Int) { (s1.positions(row: 0, query: q).count, s2.positions(row: 0, query: q).count) }
        guard let i = (0..<t).last(where: { sizes($0).1 > 0 && sizes($0).1 < sizes($0).0 })
                ?? (0..<t).last(where: { sizes($0).1 > 0 }) else { return }
        let a = model.attentionWeights(layer: best.layer, batchIndex: 0, head: best.head)
        context.measure("example_instance", Double(k))
        context.measure("example_query", Double(i))
        for j in 0...i { context.log("example_attention", step: j, value: Double(a[i * t + j])) }
        for j in s1.positions(row: 0, query: i) { context.log("example_S1", step: j, value: Double(a[i * t + j])) }
        for j in s2.positions(row: 0, query: i) { context.log("example_S2", step: j, value: Double(a[i * t + j])) }
        let m1 = s1.positions(row: 0, query: i).reduce(0.0) { $0 + Double(a[i * t + $1]) }
        let m2 = s2.positions(row: 0, query: i).reduce(0.0) { $0 + Double(a[i * t + $1]) }
        context.measure("example_mass_S1", m1)
        context.measure("example_mass_S2", m2)
    }
}
