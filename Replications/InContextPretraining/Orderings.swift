import Corpora
import Foundation
import LMCore

// The orderings compared as arms, and step 4 of the method: concatenate the documents in order
// (EOS between them), cut the stream into fixed-size contexts, shuffle the contexts.

/// How the training documents are ordered before packing.
enum OrderingKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The standard baseline: documents in random order.
    case random
    /// In-context pretraining: dedup + Algorithm 1 along the kNN graph.
    case icp
    /// Each document (random order) followed by its top-k neighbours; documents repeat.
    case knn
    /// Spherical k-means clusters in random order, documents of a cluster in random order.
    case cluster
    /// The released code's traversal (arbitrary start, top-9 ranks, 21-document chains, merges,
    /// adjacent trigram-Jaccard dedup).
    case icpCode = "icp-code"
    /// Diagnostic only, never the method: the known grouping (each entity's documents adjacent,
    /// entities and filler documents in random order). The best adjacency any retrieval could
    /// give; it tells whether the model can learn cross-document recall at all.
    case oracle
}

struct OrderingConfig: Codable, Hashable, Sendable {
    var k = 5
    var dedup = true
    var dedupThreshold: Float = 0.9
    /// CLUSTER: about N / clusterSize clusters.
    var clusterSize = 20
    var kmeansIterations = 20
}

/// A document collection with its embeddings and neighbour lists, computed once.
struct RetrievalIndex: Sendable {
    var vectors: [SparseVector]
    var dimension: Int
    var knn: NeighbourLists

    init(features: [[Int]], dimension: Int, k: Int) {
        self.dimension = dimension
        vectors = TFIDF.embed(features, dimension: dimension)
        knn = ExactKNN.search(vectors, dimension: dimension, k: k)
    }

    func cosine(_ a: Int, _ b: Int) -> Float { SparseVector.dot(vectors[a], vectors[b]) }
}

enum EntityFeatures {
    /// EC features: token ids, except function tokens and BOS/EOS/PAD.
    static func features(_ doc: EntityCorpus.Document, _ v: EntityCorpus.Vocabulary) -> [Int] {
        doc.tokens.filter { !v.isFunction($0) && $0 > EntityCorpus.Vocabulary.eos }.map(Int.init)
    }

    static func index(_ docs: [EntityCorpus.Document], _ v: EntityCorpus.Vocabulary, k: Int) -> RetrievalIndex {
        RetrievalIndex(features: docs.map { features($0, v) }, dimension: v.size, k: k)
    }
}

/// An ordering of a collection: the document sequence (indices, repeats only for KNN) and what
/// the pipeline did on the way.
struct DocumentOrder: Sendable {
    var sequence: [Int]
    var kept: [Bool]
    var restarts: Int = 0
}

enum Orderings {
    /// The ICP pipeline on a prepared index: optional semantic dedup, graph, Algorithm 1.
    static func icp(_ index: RetrievalIndex, config: OrderingConfig) -> (order: DocumentOrder, traversal: Traversal, graph: DocumentGraph) {
        let keep = config.dedup ? Dedup.semantic(index.knn, threshold: config.dedupThreshold) : [Bool](repeating: true, count: index.knn.count)
        let graph = DocumentGraph(index.knn, keep: keep)
        let t = GreedyTraversal.algorithm1(graph)
        return (DocumentOrder(sequence: t.path.map { graph.documents[$0] }, kept: keep, restarts: t.restarts), t, graph)
    }

    /// The released code's variant: its traversal, then the adjacent trigram-Jaccard filter
    /// (> 0.85 over the first 100 units) when `dedup` is on.
    static func icpCode(_ index: RetrievalIndex, units: [[Int32]], config: OrderingConfig, random: RandomStream) -> DocumentOrder {
        var rng = random
        let all = [Bool](repeating: true, count: index.knn.count)
        let raw = GreedyTraversal.releasedCode(index.knn, keep: all, random: &rng)
        var kept = [Bool](repeating: false, count: index.knn.count)
        var out: [Int] = []
        for d in raw {
            if config.dedup, let prev = out.last, Dedup.trigramJaccard(units[prev], units[d]) > 0.85 { continue }
            out.append(d); kept[d] = true
        }
        return DocumentOrder(sequence: out, kept: kept)
    }

    /// The known grouping (diagnostic): units in random order, where a unit is one entity's
    /// documents (in corpus order) or one unlabelled document.
    static func oracle(labels: [Int?], random: RandomStream) -> DocumentOrder {
        var units: [[Int]] = []
        var unitOf: [Int: Int] = [:]
        for (d, label) in labels.enumerated() {
            if let e = label, let u = unitOf[e] { units[u].append(d); continue }
            if let e = label { unitOf[e] = units.count }
            units.append([d])
        }
        var rng = random
        return DocumentOrder(sequence: rng.permutation(units.count).flatMap { units[$0] }, kept: [Bool](repeating: true, count: labels.count))
    }

    static func random(count: Int, random: RandomStream) -> DocumentOrder {
        var rng = random
        return DocumentOrder(sequence: rng.permutation(count), kept: [Bool](repeating: true, count: count))
    }

    /// KNN baseline: documents in random order, each followed by its top-k neighbours, until
    /// the stream holds `tokenBudget` tokens (`lengths[d]` tokens per document, separator included).
    static func knn(_ index: RetrievalIndex, lengths: [Int], tokenBudget: Int, random: RandomStream) -> DocumentOrder {
        var rng = random
        let n = lengths.count
        var seq: [Int] = []
        var tokens = 0
        var epoch = 0
        outer: while true {
            var anchors = rng.permutation(n)
            if epoch > 0 { rng.shuffle(&anchors) }
            for a in anchors {
                for d in [a] + index.knn.neighbours(of: a).map(\.id) {
                    seq.append(d); tokens += lengths[d]
                    if tokens > tokenBudget { break outer }
                }
            }
            epoch += 1
        }
        return DocumentOrder(sequence: seq, kept: [Bool](repeating: true, count: n))
    }

    /// Spherical k-means (k-means++ initialisation, cosine assignment, normalised mean
    /// centroids); clusters in random order, each cluster's documents in random order.
    static func cluster(_ index: RetrievalIndex, config: OrderingConfig, random: RandomStream) -> DocumentOrder {
        let (assignment, k) = kmeans(index, clusters: max(1, index.vectors.count / config.clusterSize),
                                     iterations: config.kmeansIterations, random: random.child("kmeans"))
        var members = [[Int]](repeating: [], count: k)
        for (d, c) in assignment.enumerated() { members[c].append(d) }
        var rng = random.child("cluster-order")
        var seq: [Int] = []
        for c in rng.permutation(k) {
            var m = members[c]; rng.shuffle(&m); seq += m
        }
        return DocumentOrder(sequence: seq, kept: [Bool](repeating: true, count: index.vectors.count))
    }

    static func kmeans(_ index: RetrievalIndex, clusters: Int, iterations: Int, random: RandomStream) -> (assignment: [Int], k: Int) {
        let vs = index.vectors, n = vs.count, dim = index.dimension
        let k = min(clusters, n)
        var rng = random
        var centroids = [Float](repeating: 0, count: k * dim)
        func setCentroid(_ c: Int, from d: Int) {
            for i in 0..<dim { centroids[c * dim + i] = 0 }
            for (j, f) in vs[d].indices.enumerated() { centroids[c * dim + Int(f)] = vs[d].values[j] }
        }
        func cos(_ d: Int, _ c: Int) -> Float {
            var s: Float = 0
            let v = vs[d]
            for j in v.indices.indices { s += v.values[j] * centroids[c * dim + Int(v.indices[j])] }
            return s
        }
        // k-means++: next centre drawn with probability ∝ squared distance (2 − 2 cos) to the nearest centre.
        var nearest = [Float](repeating: .infinity, count: n)
        var first = rng.int(below: n)
        for c in 0..<k {
            setCentroid(c, from: first)
            for d in 0..<n { nearest[d] = min(nearest[d], max(0, 2 - 2 * cos(d, c))) }
            if c + 1 < k {
                let total = nearest.reduce(0.0) { $0 + Double($1) }
                first = total > 0 ? rng.categorical(nearest.map(Double.init)) : rng.int(below: n)
            }
        }
        var assignment = [Int](repeating: 0, count: n)
        for _ in 0..<iterations {
            for d in 0..<n {
                var best = 0, bs: Float = -.infinity
                for c in 0..<k { let s = cos(d, c); if s > bs { bs = s; best = c } }
                assignment[d] = best
            }
            var sums = [Float](repeating: 0, count: k * dim)
            var sizes = [Int](repeating: 0, count: k)
            for d in 0..<n {
                let c = assignment[d]; sizes[c] += 1
                for (j, f) in vs[d].indices.enumerated() { sums[c * dim + Int(f)] += vs[d].values[j] }
            }
            for c in 0..<k where sizes[c] > 0 {
                var norm: Float = 0
                for i in 0..<dim { norm += sums[c * dim + i] * sums[c * dim + i] }
                norm = norm.squareRoot()
                for i in 0..<dim { centroids[c * dim + i] = norm > 0 ? sums[c * dim + i] / norm : 0 }
            }
        }
        return (assignment, k)
    }

    /// Concatenate in order with EOS after every document, cut into contexts of `context`
    /// tokens (+1 for the shifted targets). Each context keeps, per position, the index of the
    /// document it came from (for the unique-documents count).
    static func pack(_ sequence: [Int], tokens: [[Int32]], context: Int, eos: Int32) -> [PackedSequence] {
        Packing.concatenateAndCut(sequence.map { TokenDocument(tokens: tokens[$0]) }, context: context, separator: eos)
    }

    /// Adjacent-pair statistics of an order: fraction of pairs sharing a label (nil labels never
    /// match), fraction among pairs where both carry a label, and the mean adjacent cosine.
    static func adjacency(_ sequence: [Int], labels: [Int?], cosine: (Int, Int) -> Float) -> (shared: Double, sharedLabelled: Double, cosine: Double) {
        guard sequence.count > 1 else { return (0, 0, 0) }
        var same = 0, labelled = 0
        var cs = 0.0
        for i in 1..<sequence.count {
            let a = sequence[i - 1], b = sequence[i]
            if let la = labels[a], let lb = labels[b] { labelled += 1; if la == lb { same += 1 } }
            cs += Double(cosine(a, b))
        }
        let pairs = Double(sequence.count - 1)
        return (Double(same) / pairs, labelled > 0 ? Double(same) / Double(labelled) : 0, cs / pairs)
    }
}
