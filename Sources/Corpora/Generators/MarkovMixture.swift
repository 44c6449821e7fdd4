import LMCore
import Foundation

/// The Markov-source mixture with metadata, MSM (meco): K = sites × pages latent sources, first-
/// order chains on a shared sparse support, site rows mixed with page rows at weight λ, so the
/// exact Bayes losses (known source / posterior mixture) are computable for every token.
public enum MarkovMixture {
    public struct Parameters: Sendable, Equatable, Codable {
        public var contentTokens = 64
        public var metadataSymbols = 32
        public var sites = 8
        public var pagesPerSite = 6
        public var successors = 6
        public var documentLength: ClosedRange<Int> = 96...192
        /// nil: calibrate λ by bisection so that the MAP source after 64 tokens is right with
        /// probability `targetAccuracy64` ± `accuracyTolerance`.
        public var lambda: Double? = nil
        public var calibrationDocuments = 4000
        public var targetAccuracy64 = 0.95
        public var accuracyTolerance = 0.01
        /// Generator seed (support, rows, ranks, λ): fixed across training seeds.
        public var seed: UInt64 = 0
        public init() {}
        /// The meco smoke tier: 2 sites × 3 pages, 16 content tokens, documents of 32–64 tokens.
        public static var smoke: Parameters {
            var p = Parameters(); p.sites = 2; p.pagesPerSite = 3; p.contentTokens = 16; p.documentLength = 32...64; p.calibrationDocuments = 1000; return p
        }
        public var sources: Int { sites * pagesPerSite }
        // Token ids: content 0..<V, metadata symbols, SEP, BOS, EOS, PAD.
        public var metadataBase: Int { contentTokens }
        public var sep: Int32 { Int32(contentTokens + metadataSymbols) }
        public var bos: Int32 { sep + 1 }
        public var eos: Int32 { sep + 2 }
        public var pad: Int32 { sep + 3 }
        public var vocabularySize: Int { contentTokens + metadataSymbols + 4 }
        public func metadata(_ i: Int) -> Int32 { Int32(metadataBase + i) }
    }

    /// Metadata variants (ablation arms). TOPIC (k-means clusters) is computed by the meco target.
    public enum MetadataVariant: String, Sendable, CaseIterable, Codable { case url, hashed, suffix, top, fixed }

    public struct Document: Sendable, Equatable {
        public var source: Int
        /// Content tokens x_1 … x_n (0..<contentTokens).
        public var content: [Int32]
    }

    public struct Calibration: Sendable, Equatable, Codable {
        public var lambda: Double
        public var accuracy16: Double
        public var accuracy64: Double
        public var accuracy16InRange: Bool { accuracy16 >= 0.4 && accuracy16 <= 0.7 }
    }

    /// The generator: support, transition rows, source prior, λ. Immutable.
    public struct Generator: Sendable {
        public let parameters: Parameters
        /// Successors of each content token (S each).
        public let support: [[Int]]
        /// Source prior π_k (Zipf, exponent 1, over seeded ranks).
        public let prior: [Double]
        public let ranks: [Int]
        /// P_s(a, j) for site s, token a, successor slot j; Q_k(a, j) for source k.
        let siteRows: [[[Double]]]
        let pageRows: [[[Double]]]
        public let calibration: Calibration
        /// T_k(a, ·) over the successor slots, and its log.
        public let rows: [[[Double]]]
        let logRows: [[[Double]]]
        /// HASHED metadata triples, one per source.
        public let hashedTriples: [[Int]]

        public var lambda: Double { calibration.lambda }

        /// T_k(a, b) (0 off the support).
        public func transition(_ k: Int, _ a: Int, _ b: Int) -> Double {
            guard let j = support[a].firstIndex(of: b) else { return 0 }
            return rows[k][a][j]
        }

        /// Sample one document (source from the prior, first token uniform, then the chain).
        public func sample(rng: inout RandomStream) -> Document {
            let k = rng.categorical(prior)
            let p = parameters
            let n = p.documentLength.lowerBound + rng.int(below: p.documentLength.count)
            var x: [Int32] = [Int32(rng.int(below: p.contentTokens))]
            for _ in 1..<n {
                let a = Int(x.last!)
                x.append(Int32(support[a][rng.categorical(rows[k][a])]))
            }
            return Document(source: k, content: x)
        }

        public func sample(count: Int, rng: inout RandomStream) -> [Document] { (0..<count).map { _ in sample(rng: &rng) } }

        /// Exact per-token Bayes losses of a document: `conditional[t]` = −log T_k(x_{t−1}, x_t)
        /// with the true source, `unconditional[t]` = −log Σ_k p(k | x_1..x_{t−1}) T_k(x_{t−1}, x_t);
        /// both log V at t = 1 (index 0).
        public func bayesLosses(_ d: Document) -> (conditional: [Double], unconditional: [Double]) {
            let logV = Foundation.log(Double(parameters.contentTokens))
            var cond = [logV]
            for t in 1..<d.content.count {
                let a = Int(d.content[t - 1]), b = Int(d.content[t])
                cond.append(-logRows[d.source][a][support[a].firstIndex(of: b)!])
            }
            return (cond, mixtureLosses(d, sources: Array(0..<parameters.sources)))
        }

        /// Exact per-token losses of the Bayes predictor that knows the document's site but not
        /// its page: the posterior mixture over the site's pages (prior restricted to the site).
        /// Its excess over `conditional` is all the page can tell.
        public func siteBayesLosses(_ d: Document) -> [Double] {
            let pages = parameters.pagesPerSite, site = d.source / pages
            return mixtureLosses(d, sources: Array((site * pages)..<((site + 1) * pages)))
        }

        /// −log Σ_{k ∈ sources} p(k | x_1..x_{t−1}) T_k(x_{t−1}, x_t) per token (log V at t = 1), the
        /// posterior starting from the prior restricted to `sources`.
        func mixtureLosses(_ d: Document, sources: [Int]) -> [Double] {
            var out = [Foundation.log(Double(parameters.contentTokens))]
            var logPost = sources.map { Foundation.log(prior[$0]) }
            for t in 1..<d.content.count {
                let a = Int(d.content[t - 1]), b = Int(d.content[t])
                let j = support[a].firstIndex(of: b)!
                // log Σ_k post_k T_k  with post normalised.
                let m = logPost.max()!
                var z = 0.0, s = 0.0
                for (i, k) in sources.enumerated() { let w = Foundation.exp(logPost[i] - m); z += w; s += w * rows[k][a][j] }
                out.append(-Foundation.log(s / z))
                for (i, k) in sources.enumerated() { logPost[i] += logRows[k][a][j] }
            }
            return out
        }

        /// Posterior over sources after the first t tokens (normalised).
        public func posterior(_ content: ArraySlice<Int32>) -> [Double] {
            var lp = prior.map { Foundation.log($0) }
            var prev: Int? = nil
            for x in content {
                if let a = prev { let j = support[a].firstIndex(of: Int(x))!; for k in lp.indices { lp[k] += logRows[k][a][j] } }
                prev = Int(x)
            }
            let m = lp.max()!
            let e = lp.map { Foundation.exp($0 - m) }
            let z = e.reduce(0, +)
            return e.map { $0 / z }
        }

        /// The metadata symbols (without SEP) of source k under a variant (indices 0..<32).
        public func metadata(_ k: Int, _ variant: MetadataVariant) -> [Int] {
            let p = parameters
            let s = k / p.pagesPerSite, pg = k % p.pagesPerSite
            let checkRange = p.metadataSymbols - p.sites - p.pagesPerSite
            let url = [s, p.sites + pg, p.sites + p.pagesPerSite + ((7 * s + pg) % checkRange)]
            switch variant {
            case .url: return url
            case .hashed: return hashedTriples[k]
            case .suffix: return [s]
            case .top:
                let top = Set(prior.indices.sorted { (prior[$0], -$0) > (prior[$1], -$1) }.prefix(max(1, (p.sources * 10 + 47) / 48)))
                return top.contains(k) ? url : [p.metadataSymbols - 1, p.metadataSymbols - 1, p.metadataSymbols - 1]
            case .fixed: return [p.metadataSymbols - 2, p.metadataSymbols - 2, p.metadataSymbols - 2]
            }
        }

        /// Token layout: `BOS [meta…, SEP] x_1 … x_n EOS`; metadata symbols and SEP have weight 0
        /// as targets (BOS is never a target), content and EOS weight 1.
        public func tokens(_ d: Document, metadata: [Int]? = nil) -> TokenDocument {
            let p = parameters
            var t: [Int32] = [p.bos], w: [Float] = [0]
            if let m = metadata {
                for s in m { t.append(p.metadata(s)); w.append(0) }
                t.append(p.sep); w.append(0)
            }
            t += d.content; w += [Float](repeating: 1, count: d.content.count)
            t.append(p.eos); w.append(1)
            return TokenDocument(tokens: t, weights: w)
        }

        /// MAP-source accuracy after 16 and 64 tokens on freshly sampled documents.
        public static func accuracy(rows: [[[Double]]], support: [[Int]], prior: [Double], p: Parameters, rng: RandomStream, documents: Int) -> (Double, Double) {
            var rng = rng
            let logRows = rows.map { $0.map { $0.map { Foundation.log($0) } } }
            let logPrior = prior.map { Foundation.log($0) }
            var right16 = 0, right64 = 0
            for _ in 0..<documents {
                let k = rng.categorical(prior)
                var a = rng.int(below: p.contentTokens)
                var lp = logPrior
                for t in 2...64 {
                    let j = rng.categorical(rows[k][a])
                    for q in 0..<lp.count { lp[q] += logRows[q][a][j] }
                    a = support[a][j]
                    if t == 16 || t == 64 {
                        var best = 0
                        for q in 1..<lp.count where lp[q] > lp[best] { best = q }
                        if best == k { if t == 16 { right16 += 1 } else { right64 += 1 } }
                    }
                }
            }
            return (Double(right16) / Double(documents), Double(right64) / Double(documents))
        }

        public init(_ p: Parameters) {
            parameters = p
            let root = RandomStream(seed: p.seed, stream: "msm")
            var srng = root.child("support")
            support = (0..<p.contentTokens).map { _ in Array(srng.permutation(p.contentTokens).prefix(p.successors)) }
            var rrng = root.child("ranks")
            ranks = rrng.permutation(p.sources).map { $0 + 1 }
            let z = ranks.reduce(0.0) { $0 + 1 / Double($1) }
            prior = ranks.map { 1 / Double($0) / z }
            func dirichlet(_ rng: inout RandomStream) -> [Double] {
                let g = (0..<p.successors).map { _ in -Foundation.log(max(rng.uniformDouble(), 1e-300)) }
                let s = g.reduce(0, +)
                return g.map { $0 / s }
            }
            var prng = root.child("site-rows")
            let siteRows = (0..<p.sites).map { _ in (0..<p.contentTokens).map { _ in dirichlet(&prng) } }
            var qrng = root.child("page-rows")
            let pageRows = (0..<p.sources).map { _ in (0..<p.contentTokens).map { _ in dirichlet(&qrng) } }
            self.siteRows = siteRows
            self.pageRows = pageRows
            func mix(_ lam: Double) -> [[[Double]]] {
                (0..<p.sources).map { k in (0..<p.contentTokens).map { a in
                    (0..<p.successors).map { j in (1 - lam) * siteRows[k / p.pagesPerSite][a][j] + lam * pageRows[k][a][j] } } }
            }
            let crng = root.child("calibration")
            var lam: Double
            var acc: (Double, Double)
            if let l = p.lambda {
                lam = l
                acc = Generator.accuracy(rows: mix(l), support: support, prior: prior, p: p, rng: crng, documents: p.calibrationDocuments)
            } else {
                var lo = 0.0, hi = 1.0
                lam = 0.5
                acc = (0, 0)
                for _ in 0..<30 {
                    lam = (lo + hi) / 2
                    acc = Generator.accuracy(rows: mix(lam), support: support, prior: prior, p: p, rng: crng, documents: p.calibrationDocuments)
                    if abs(acc.1 - p.targetAccuracy64) <= p.accuracyTolerance { break }
                    if acc.1 < p.targetAccuracy64 { lo = lam } else { hi = lam }
                }
            }
            calibration = Calibration(lambda: lam, accuracy16: acc.0, accuracy64: acc.1)
            rows = mix(lam)
            logRows = rows.map { $0.map { $0.map { Foundation.log($0) } } }
            var hrng = root.child("hashed")
            var triples = Set<[Int]>()
            var hashed: [[Int]] = []
            while hashed.count < p.sources {
                let t = (0..<3).map { _ in hrng.int(below: p.metadataSymbols) }
                if triples.insert(t).inserted { hashed.append(t) }
            }
            hashedTriples = hashed
        }
    }
}

extension MarkovMixture.Generator {
    /// Held-out documents: a fixed `eval` stream of the generator seed (the same for every run).
    public func heldOutDocuments(count: Int) -> [MarkovMixture.Document] {
        var rng = RandomStream(seed: parameters.seed, stream: "eval")
        return sample(count: count, rng: &rng)
    }

    /// Training documents of a run: the run seed's `data` stream (child `pool` name keeps the
    /// MeCo pools A and B disjoint: use different names).
    public func trainingDocuments(count: Int, runSeed: UInt64, pool: String = "A") -> [MarkovMixture.Document] {
        var rng = RandomStream(seed: runSeed, stream: "data").child("msm-" + pool)
        return sample(count: count, rng: &rng)
    }
}
