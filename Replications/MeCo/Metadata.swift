import Corpora
import Foundation
import LMCore

/// The metadata a document is conditioned on (the paper's "URL: <domain>\n\n" prefix, §2 and
/// Table 5). On the Markov-source mixture a source plays the URL domain: its true metadata is the
/// (site, page, check) symbol triple, followed by the separator that plays "\n\n".
enum MetadataKind: String, Codable, Sendable, CaseIterable {
    /// The absolute domain: the source's true triple (MeCo's main setting).
    case url
    /// A random symbol triple per source (hashed URLs: grouping without shared structure).
    case hashed
    /// The site symbol only (the URL suffix).
    case suffix
    /// The most frequent 20% of sources keep their triple, all others share `unknown`.
    case top
    /// One constant triple for every document (the code's `--use_fixed_url` control).
    case fixed
    /// The triple of the document's k-means cluster of bigram counts (model-generated topics).
    case topic

    var generatorVariant: MarkovMixture.MetadataVariant? {
        switch self {
        case .url: return .url
        case .hashed: return .hashed
        case .suffix: return .suffix
        case .top: return .top
        case .fixed: return .fixed
        case .topic: return nil
        }
    }
}

/// Topics: spherical k-means (k-means++ initialisation, fixed iterations) on L2-normalised
/// content-bigram count vectors, fitted on training documents; a document's topic is the
/// nearest centroid. Cluster c is written as a symbol triple (c mod 8, 8 + (c / 8) mod 6,
/// 14 + c mod 18) so that 48 clusters get distinct triples, like the 48 sources.
struct TopicModel: Sendable {
    let vocabulary: Int
    let centroids: [[Double]]   // clusters × V², unit norm

    /// Sparse normalised bigram vector of a document: (index, value) pairs.
    static func features(_ content: [Int32], vocabulary v: Int) -> [(Int, Double)] {
        var counts: [Int: Double] = [:]
        for t in 1..<max(content.count, 1) { counts[Int(content[t - 1]) * v + Int(content[t]), default: 0] += 1 }
        let norm = counts.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return counts.keys.sorted().map { ($0, counts[$0]! / max(norm, 1e-12)) }
    }

    static func dot(_ f: [(Int, Double)], _ c: [Double]) -> Double { f.reduce(0) { $0 + $1.1 * c[$1.0] } }

    init(documents: [MarkovMixture.Document], vocabulary v: Int, clusters k: Int, iterations: Int, rng: RandomStream) {
        vocabulary = v
        let feats = documents.map { Self.features($0.content, vocabulary: v) }
        let dim = v * v
        func dense(_ f: [(Int, Double)]) -> [Double] { var d = [Double](repeating: 0, count: dim); for (i, x) in f { d[i] = x }; return d }
        var rng = rng
        // k-means++ with cosine distance 1 − cos.
        var cents: [[Double]] = [dense(feats[rng.int(below: feats.count)])]
        var best = feats.map { 1 - Self.dot($0, cents[0]) }
        while cents.count < k {
            let w = best.map { max($0, 0) }
            let i = w.reduce(0, +) > 0 ? rng.categorical(w) : rng.int(below: feats.count)
            cents.append(dense(feats[i]))
            for j in feats.indices { best[j] = min(best[j], 1 - Self.dot(feats[j], cents.last!)) }
        }
        for _ in 0..<iterations {
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dim), count: k)
            var sizes = [Int](repeating: 0, count: k)
            for f in feats {
                let c = Self.nearest(f, cents)
                sizes[c] += 1
                for (i, x) in f { sums[c][i] += x }
            }
            for c in 0..<k where sizes[c] > 0 {
                let n = sums[c].reduce(0) { $0 + $1 * $1 }.squareRoot()
                cents[c] = sums[c].map { $0 / max(n, 1e-12) }
            }
        }
        centroids = cents
    }

    static func nearest(_ f: [(Int, Double)], _ cents: [[Double]]) -> Int {
        var bestC = 0, bestV = -Double.infinity
        for (c, cent) in cents.enumerated() { let s = dot(f, cent); if s > bestV { bestV = s; bestC = c } }
        return bestC
    }

    func topic(_ d: MarkovMixture.Document) -> Int { Self.nearest(Self.features(d.content, vocabulary: vocabulary), centroids) }

    static func triple(_ c: Int) -> [Int] { [c % 8, 8 + (c / 8) % 6, 14 + c % 18] }
}

/// Writes a document's metadata under one kind. `topics` is needed (only) for `.topic`.
struct MetadataWriter: Sendable {
    let generator: MarkovMixture.Generator
    let kind: MetadataKind
    let topics: TopicModel?

    /// The metadata symbols of a document (source `source` when the true one is replaced).
    func symbols(_ d: MarkovMixture.Document, source: Int? = nil, topic: Int? = nil) -> [Int] {
        if let v = kind.generatorVariant { return generator.metadata(source ?? d.source, v) }
        let t = topic ?? topics!.topic(d)
        return TopicModel.triple(t)
    }

    /// `BOS meta SEP x_1 … x_n EOS` with metadata and SEP masked as targets (unless `maskMetadata`
    /// is false: the UNMASKED ablation, where they are targets too).
    func conditioned(_ d: MarkovMixture.Document, maskMetadata: Bool, source: Int? = nil, topic: Int? = nil) -> TokenDocument {
        var doc = generator.tokens(d, metadata: symbols(d, source: source, topic: topic))
        if !maskMetadata { for i in 1..<doc.weights.count { doc.weights[i] = 1 } }
        return doc
    }

    /// A source of another site than `source`, uniformly (the "wrong URL" of conditional inference).
    static func wrongSource(_ source: Int, parameters p: MarkovMixture.Parameters, rng: inout RandomStream) -> Int {
        let site = source / p.pagesPerSite
        let others = (0..<p.sources).filter { $0 / p.pagesPerSite != site }
        return others[rng.int(below: others.count)]
    }
}
