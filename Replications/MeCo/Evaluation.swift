import Corpora
import Foundation
import LMCore

/// Mean losses over held-out document tokens: overall (x_1 … x_n and EOS) and per position
/// bucket of the content tokens (early t ≤ 16, mid 16 < t ≤ 64, late t > 64).
struct LossSummary: Sendable {
    var overall = 0.0, early = 0.0, mid = 0.0, late = 0.0
    /// Sum and count over content tokens (for the Bayes gap and content-only means).
    var contentSum = 0.0, contentCount = 0.0
    var contentMean: Double { contentSum / max(contentCount, 1) }

    static func bucket(_ t: Int) -> Int { t <= 16 ? 0 : (t <= 64 ? 1 : 2) }

    /// `losses[d]` holds the losses of x_1 … x_n and, if `withEOS`, EOS last.
    init(_ losses: [[Double]], withEOS: Bool) {
        var all = 0.0, nAll = 0.0
        var b = [0.0, 0, 0], nb = [0.0, 0, 0]
        for l in losses {
            let n = withEOS ? l.count - 1 : l.count
            for t in stride(from: 1, through: n, by: 1) {
                let x = l[t - 1]; b[Self.bucket(t)] += x; nb[Self.bucket(t)] += 1; contentSum += x; contentCount += 1
            }
            all += l.reduce(0, +); nAll += Double(l.count)
        }
        overall = all / nAll
        early = b[0] / max(nb[0], 1); mid = b[1] / max(nb[1], 1); late = b[2] / max(nb[2], 1)
    }
}

/// The held-out set of the miniature and the model evaluations of §4.5: unconditional loss ℓ_u,
/// conditional losses with the true (ℓ_c) and a wrong (ℓ_w) metadata prefix, the exact Bayes
/// losses, continuation choice and steering.
struct HeldOutEvaluator {
    let generator: MarkovMixture.Generator
    let documents: [MarkovMixture.Document]
    let bayesConditional: LossSummary
    let bayesUnconditional: LossSummary
    /// The Bayes predictor that knows the site but not the page (the ceiling of site-only use).
    let bayesSiteKnown: LossSummary
    let wrongSources: [Int]
    let batchRows: Int

    init(generator g: MarkovMixture.Generator, count: Int, batchRows: Int = 32) {
        generator = g
        documents = g.heldOutDocuments(count: count)
        let bayes = documents.map(g.bayesLosses)
        bayesConditional = LossSummary(bayes.map(\.conditional), withEOS: false)
        bayesUnconditional = LossSummary(bayes.map(\.unconditional), withEOS: false)
        bayesSiteKnown = LossSummary(documents.map(g.siteBayesLosses), withEOS: false)
        var rng = RandomStream(seed: g.parameters.seed, stream: "eval").child("wrong-source")
        wrongSources = documents.map { MetadataWriter.wrongSource($0.source, parameters: g.parameters, rng: &rng) }
        self.batchRows = batchRows
    }

    enum Prefix { case none, truth, wrong }

    /// Per-document losses of x_1 … x_n, EOS under a prefix (one document per row, document-masked).
    func losses(_ model: GPT, writer: MetadataWriter?, prefix: Prefix, documents docs: [MarkovMixture.Document]? = nil) -> [[Double]] {
        let docs = docs ?? documents
        let g = generator
        var layouts: [TokenDocument] = []
        for (i, d) in docs.enumerated() {
            switch prefix {
            case .none: layouts.append(g.tokens(d))
            case .truth: layouts.append(writer!.conditioned(d, maskMetadata: true))
            case .wrong:
                if writer!.kind == .topic {
                    let t = writer!.topics!.topic(d)
                    let k = writer!.topics!.centroids.count
                    var rng = RandomStream(seed: g.parameters.seed, stream: "eval").child("wrong-topic").child(i)
                    let w = (t + 1 + rng.int(below: max(k - 1, 1))) % k
                    layouts.append(writer!.conditioned(d, maskMetadata: true, topic: w))
                } else {
                    layouts.append(writer!.conditioned(d, maskMetadata: true, source: wrongSources[i]))
                }
            }
        }
        return Self.documentLosses(model, layouts, contentLengths: docs.map(\.content.count), pad: g.parameters.pad, rows: batchRows)
    }

    /// Losses of the last n + 1 targets of each layout (x_1 … x_n, EOS).
    static func documentLosses(_ model: GPT, _ layouts: [TokenDocument], contentLengths: [Int], pad: Int32, rows: Int) -> [[Double]] {
        let length = min(layouts.map { $0.tokens.count }.max()!, model.config.contextLength)
        var out: [[Double]] = []
        var start = 0
        while start < layouts.count {
            let end = min(start + rows, layouts.count)
            let seqs = (start..<end).map { Packing.padded(layouts[$0], length: length, pad: pad) }
            model.forward(TwoStageData.batch(seqs, documentMask: true))
            let pl = model.positionLosses
            for (r, i) in (start..<end).enumerated() {
                let n = contentLengths[i]
                let firstTarget = layouts[i].tokens.count - n - 2   // input index that predicts x_1
                out.append((0...n).map { Double(pl[r * length + firstTarget + $0]) })
            }
            start = end
        }
        return out
    }

    /// Σ over content tokens of the Bayes gap H_uncond − H_cond.
    var bayesGapSum: Double { bayesUnconditional.contentSum - bayesConditional.contentSum }
}

/// Steering (§4.5.4): sample continuations from `BOS + metadata of source k` and classify each by
/// the exact MAP source; report the fraction assigned to the conditioned source.
enum Steering {
    /// Sources spread over the frequency ranks (most to least frequent).
    static func sources(_ g: MarkovMixture.Generator, count: Int) -> [Int] {
        let byRank = g.prior.indices.sorted { (g.prior[$0], -$0) > (g.prior[$1], -$1) }
        let n = min(count, byRank.count)
        if n == 1 { return [byRank[0]] }
        return (0..<n).map { byRank[Int((Double($0) * Double(byRank.count - 1) / Double(n - 1)).rounded())] }
    }

    /// MAP source of a token sequence under the exact chains (prior included); transitions off the
    /// shared support have probability 0 under every source and are skipped.
    static func mapSource(_ g: MarkovMixture.Generator, _ x: [Int32]) -> Int {
        var lp = g.prior.map { Foundation.log($0) }
        for t in 1..<x.count {
            let a = Int(x[t - 1]), b = Int(x[t])
            guard g.support[a].contains(b) else { continue }
            for k in lp.indices { lp[k] += Foundation.log(g.transition(k, a, b)) }
        }
        var best = 0
        for k in lp.indices where lp[k] > lp[best] { best = k }
        return best
    }

    /// The steering measurement of one model: the fraction of samples whose MAP source is the
    /// prompted source (M-7), the fraction whose MAP source is in the prompted source's site
    /// (report only), and the classifier's accuracy on samples of the same count and length drawn
    /// from the prompted sources' true chains (the ceiling of the first fraction; model-free), and
    /// the first fraction for the ideal site-only model (each sample from a page drawn by the
    /// prompted site's prior: knowing the site perfectly and the page not at all; model-free).
    struct Result: Sendable, Equatable {
        var fraction: Double
        var siteFraction: Double
        var trueChainAccuracy: Double
        var siteOnlyAccuracy: Double
    }

    /// Exact-source and same-site fractions of sequences classified by `mapSource`.
    static func classify(_ g: MarkovMixture.Generator, _ seqs: [[Int32]], labels: [Int]) -> (source: Double, site: Double) {
        let pages = g.parameters.pagesPerSite
        var right = 0, site = 0
        for (s, k) in zip(seqs, labels) {
            let m = mapSource(g, s)
            if m == k { right += 1 }
            if m / pages == k / pages { site += 1 }
        }
        return (Double(right) / Double(max(seqs.count, 1)), Double(site) / Double(max(seqs.count, 1)))
    }

    /// `samples` sequences of `length` content tokens per source from its true chain (first token
    /// uniform, as in the generator), labelled with the source. `siteOnly`: each sequence comes
    /// from a page of the source's site drawn by the prior (the site-known Bayes predictor's samples).
    static func trueChainSamples(_ g: MarkovMixture.Generator, sources: [Int], samples: Int, length: Int,
                                 rng: RandomStream, siteOnly: Bool = false) -> (seqs: [[Int32]], labels: [Int]) {
        var rng = rng
        let pages = g.parameters.pagesPerSite
        var seqs: [[Int32]] = [], labels: [Int] = []
        for k in sources {
            for _ in 0..<samples {
                var chain = k
                if siteOnly { let first = k / pages * pages; chain = first + rng.categorical(Array(g.prior[first..<(first + pages)])) }
                var a = rng.int(below: g.parameters.contentTokens)
                var x: [Int32] = [Int32(a)]
                for _ in 1..<length { a = g.support[a][rng.categorical(g.rows[chain][a])]; x.append(Int32(a)) }
                seqs.append(x); labels.append(k)
            }
        }
        return (seqs, labels)
    }

    /// The prompt of source k: `BOS meta SEP`, the training-time layout up to the first content
    /// token. A representative document of source k gives the metadata (its topic, for TOPIC).
    static func prompt(_ g: MarkovMixture.Generator, writer: MetadataWriter, source k: Int, rng: RandomStream) -> [Int32] {
        let p = g.parameters
        var drng = rng.child("doc").child(k)
        var d = g.sample(rng: &drng); d.source = k
        return [p.bos] + writer.symbols(d).map(p.metadata) + [p.sep]
    }

    /// Samples `samples` continuations of `length` content tokens (temperature 1, restricted to
    /// content tokens) per prompt source and classifies them (see `Result`).
    static func measure(_ model: GPT, generator g: MarkovMixture.Generator, writer: MetadataWriter,
                        sources: [Int], samples: Int, length: Int, rng: RandomStream) -> Result {
        let p = g.parameters
        var prompts: [[Int32]] = []
        var labels: [Int] = []
        for k in sources {
            let prompt = Self.prompt(g, writer: writer, source: k, rng: rng)
            for _ in 0..<samples { prompts.append(prompt); labels.append(k) }
        }
        let rows = prompts.count
        var seqs = prompts
        var srng = rng.child("sample")
        for _ in 0..<length {
            let t = seqs[0].count
            let tokens = seqs.flatMap { $0 }
            let b = Batch(batchSize: rows, seqLen: t, tokens: tokens, targets: [Int32](repeating: 0, count: rows * t),
                          weights: [Float](repeating: 0, count: rows * t))
            model.forward(b)
            let logits = model.outputs
            let v = model.config.vocabSize
            for r in 0..<rows {
                let base = (r * t + t - 1) * v
                var m = -Float.infinity
                for j in 0..<p.contentTokens { m = max(m, logits[base + j]) }
                let w = (0..<p.contentTokens).map { Double(Foundation.exp(logits[base + $0] - m)) }
                seqs[r].append(Int32(srng.categorical(w)))
            }
        }
        let sampled = seqs.enumerated().map { Array($0.element[prompts[$0.offset].count...]) }
        let model = classify(g, sampled, labels: labels)
        let truth = trueChainSamples(g, sources: sources, samples: samples, length: length, rng: rng.child("true-chain"))
        let siteOnly = trueChainSamples(g, sources: sources, samples: samples, length: length, rng: rng.child("site-only"), siteOnly: true)
        return Result(fraction: model.source, siteFraction: model.site,
                      trueChainAccuracy: classify(g, truth.seqs, labels: truth.labels).source,
                      siteOnlyAccuracy: classify(g, siteOnly.seqs, labels: siteOnly.labels).source)
    }

    /// The M-7 fraction alone.
    static func fraction(_ model: GPT, generator g: MarkovMixture.Generator, writer: MetadataWriter,
                         sources: [Int], samples: Int, length: Int, rng: RandomStream) -> Double {
        measure(model, generator: g, writer: writer, sources: sources, samples: samples, length: length, rng: rng).fraction
    }
}

/// Continuation choice (§4.5.3): from the first 60% of a held-out document pick the true last 40%
/// among 4 candidates (3 continuations sampled from other sources' chains from the same last
/// prefix token) by log-likelihood (equal lengths, so length normalisation changes nothing).
struct ContinuationChoice {
    struct Item { var document: MarkovMixture.Document; var cut: Int; var candidates: [[Int32]]; var answer: Int }
    let items: [Item]

    init(generator g: MarkovMixture.Generator, documents: [MarkovMixture.Document], count: Int) {
        var rng = RandomStream(seed: g.parameters.seed, stream: "eval").child("choice")
        var items: [Item] = []
        for d in documents.prefix(count) {
            let cut = Int((Double(d.content.count) * 0.6).rounded())
            let truth = Array(d.content[cut...])
            let others = (0..<g.parameters.sources).filter { $0 != d.source }
            var picked: [Int] = []
            while picked.count < 3 { let k = others[rng.int(below: others.count)]; if !picked.contains(k) { picked.append(k) } }
            var cands: [[Int32]] = picked.map { k in
                var a = Int(d.content[cut - 1]); var x: [Int32] = []
                for _ in 0..<truth.count { let j = rng.categorical(g.rows[k][a]); a = g.support[a][j]; x.append(Int32(a)) }
                return x
            }
            let answer = rng.int(below: 4)
            cands.insert(truth, at: answer)
            items.append(Item(document: d, cut: cut, candidates: cands, answer: answer))
        }
        self.items = items
    }

    /// Accuracy of the model (with the true metadata prefix when `writer` is given).
    func modelAccuracy(_ model: GPT, generator g: MarkovMixture.Generator, writer: MetadataWriter?, rows: Int) -> Double {
        var layouts: [TokenDocument] = [], lengths: [Int] = []
        for it in items {
            for c in it.candidates {
                var d = it.document
                d.content = Array(d.content[..<it.cut]) + c
                layouts.append(writer.map { $0.conditioned(d, maskMetadata: true) } ?? g.tokens(d))
                lengths.append(d.content.count)
            }
        }
        let losses = HeldOutEvaluator.documentLosses(model, layouts, contentLengths: lengths, pad: g.parameters.pad, rows: rows)
        var right = 0
        for (i, it) in items.enumerated() {
            let scores = (0..<4).map { c -> Double in
                let l = losses[i * 4 + c]
                return -l[it.cut..<(l.count - 1)].reduce(0, +)    // the continuation's tokens, not EOS
            }
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == it.answer { right += 1 }
        }
        return Double(right) / Double(items.count)
    }

    /// The same rule with the exact predictive probability (posterior mixture, or the true chain).
    func bayesAccuracy(_ g: MarkovMixture.Generator, conditional: Bool) -> Double {
        var right = 0
        for it in items {
            let prefix = it.document.content[..<it.cut]
            let post = g.posterior(prefix)
            let scores = it.candidates.map { c -> Double in
                let seq = [prefix.last!] + c
                func chain(_ k: Int) -> Double {
                    var s = 0.0
                    for t in 1..<seq.count { s += Foundation.log(g.transition(k, Int(seq[t - 1]), Int(seq[t]))) }
                    return s
                }
                if conditional { return chain(it.document.source) }
                let terms = post.indices.map { Foundation.log(max(post[$0], 1e-300)) + chain($0) }
                let m = terms.max()!
                return m + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - m) })
            }
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == it.answer { right += 1 }
        }
        return Double(right) / Double(items.count)
    }
}
