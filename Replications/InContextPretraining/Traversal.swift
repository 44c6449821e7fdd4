import LMCore
import Foundation

// Steps 2 and 3 of the method: semantic deduplication on the retrieved neighbours, then the
// document graph and its greedy traversal (the paper's Algorithm 1).

enum Dedup {
    /// Documents are processed in index order; a document is dropped when an already-kept
    /// document in its kNN list has cosine ≥ `threshold`. Returns keep flags.
    static func semantic(_ knn: NeighbourLists, threshold: Float) -> [Bool] {
        let n = knn.count
        var keep = [Bool](repeating: true, count: n)
        for d in 0..<n {
            for (j, s) in knn.neighbours(of: d) where j < d && keep[j] && s >= threshold {
                keep[d] = false
                break
            }
        }
        return keep
    }

    /// Jaccard similarity of the sets of trigrams over the first `prefix` units of two sequences.
    static func trigramJaccard<T: Hashable>(_ a: [T], _ b: [T], prefix: Int = 100) -> Double {
        func grams(_ x: [T]) -> Set<[T]> {
            let p = Array(x.prefix(prefix))
            guard p.count >= 3 else { return [p] }
            return Set((0...(p.count - 3)).map { Array(p[$0..<($0 + 3)]) })
        }
        let ga = grams(a), gb = grams(b)
        let union = ga.union(gb).count
        return union == 0 ? 0 : Double(ga.intersection(gb).count) / Double(union)
    }
}

/// The document graph: an undirected edge joins d and e when either is in the other's kNN list;
/// weight = cosine. Nodes are local indices 0..<n; `documents[i]` is the corpus index of node i.
/// Adjacency is stored compressed (CSR): node i's neighbours, sorted by index, are
/// `targets[offsets[i]..<offsets[i + 1]]` with their `weights`.
struct DocumentGraph: Sendable {
    var documents: [Int]
    var offsets: [Int]
    var targets: [Int32]
    var weights: [Float]
    var nodeCount: Int { documents.count }
    var degree: [Int] { (0..<nodeCount).map { offsets[$0 + 1] - offsets[$0] } }
    /// Per node: (neighbour, weight), sorted by neighbour index (for checks; the traversal reads the CSR arrays).
    var adjacency: [[(node: Int, weight: Float)]] {
        (0..<nodeCount).map { i in (offsets[i]..<offsets[i + 1]).map { (node: Int(targets[$0]), weight: weights[$0]) } }
    }

    private init(documents: [Int], lists: [[Int: Float]]) {
        self.documents = documents
        var offsets = [0], targets: [Int32] = [], weights: [Float] = []
        for l in lists {
            for (e, w) in l.sorted(by: { $0.key < $1.key }) { targets.append(Int32(e)); weights.append(w) }
            offsets.append(targets.count)
        }
        self.offsets = offsets; self.targets = targets; self.weights = weights
    }

    /// Graph over the documents with `keep[d]` (all when nil), from their kNN lists.
    init(_ knn: NeighbourLists, keep: [Bool]? = nil) {
        let n = knn.count
        var local = [Int](repeating: -1, count: n)
        var docs: [Int] = []
        for d in 0..<n where keep?[d] ?? true { local[d] = docs.count; docs.append(d) }
        var adj = [[Int: Float]](repeating: [:], count: docs.count)
        for (i, d) in docs.enumerated() {
            for (e, s) in knn.neighbours(of: d) where local[e] >= 0 && e != d {
                adj[i][local[e]] = s
                adj[local[e]][i] = s
            }
        }
        self.init(documents: docs, lists: adj)
    }

    /// A graph given by its edges (tests, the worked example of check I-D3).
    init(nodes: Int, edges: [(Int, Int, Float)]) {
        var adj = [[Int: Float]](repeating: [:], count: nodes)
        for (a, b, w) in edges { adj[a][b] = w; adj[b][a] = w }
        self.init(documents: Array(0..<nodes), lists: adj)
    }
}

/// The result of a traversal: the node path, where each walk started, and the work done.
struct Traversal: Sendable {
    var path: [Int]
    /// Positions in `path` where a walk starts (the first is the start, the rest are restarts).
    var starts: [Int]
    /// Adjacency entries scanned plus queue entries popped: the operation count the complexity check reads.
    var operations: Int
    var restarts: Int { max(starts.count - 1, 0) }
}

enum GreedyTraversal {
    /// Algorithm 1: start (and restart) at an unvisited node of minimum degree (ties: lowest
    /// index); move to the most similar unvisited neighbour (ties: lowest index) until a dead end.
    /// Degrees are computed once; the queue is a bucket queue (nodes counting-sorted by degree,
    /// then index) read by a cursor that skips visited nodes (lazy deletion): O(N + E) overall.
    static func algorithm1(_ g: DocumentGraph) -> Traversal {
        let n = g.nodeCount
        let degree = g.degree
        let maxDegree = degree.max() ?? 0
        var bucketStart = [Int](repeating: 0, count: maxDegree + 2)
        for d in degree { bucketStart[d + 1] += 1 }
        for i in 0..<(maxDegree + 1) { bucketStart[i + 1] += bucketStart[i] }
        var queue = [Int](repeating: 0, count: n)
        var fill = bucketStart
        for v in 0..<n { queue[fill[degree[v]]] = v; fill[degree[v]] += 1 }

        var visited = [Bool](repeating: false, count: n)
        var path: [Int] = []
        path.reserveCapacity(n)
        var starts: [Int] = []
        var ops = 0
        var cursor = 0
        while path.count < n {
            while visited[queue[cursor]] { cursor += 1; ops += 1 }
            var d = queue[cursor]
            starts.append(path.count)
            while true {
                path.append(d); visited[d] = true
                var next = -1
                var best: Float = -.infinity
                for j in g.offsets[d]..<g.offsets[d + 1] {
                    ops += 1
                    let e = Int(g.targets[j]), w = g.weights[j]
                    if !visited[e] && w > best { best = w; next = e }   // ascending index: first max wins ties
                }
                if next < 0 { break }
                d = next
            }
        }
        return Traversal(path: path, starts: starts, operations: ops)
    }

    /// The released code's variant: arbitrary (seeded random) start; next = first unvisited
    /// document among the first `topRanks` ranks of the current document's own kNN list; chains
    /// capped at `cap` documents; chains shorter than `cap` are dissolved and each of their
    /// documents inserted just before its nearest neighbour that lies in a surviving chain.
    static func releasedCode(_ knn: NeighbourLists, keep: [Bool], topRanks: Int = 9, cap: Int = 21,
                             random: inout RandomStream) -> [Int] {
        let n = knn.count
        var unvisited = (0..<n).filter { keep[$0] }
        random.shuffle(&unvisited)
        var visited = keep.map { !$0 }
        var chains: [[Int]] = []
        var chainOf = [Int](repeating: -1, count: n)
        var cursor = 0
        while cursor < unvisited.count {
            let s = unvisited[cursor]; cursor += 1
            if visited[s] { continue }
            var chain = [s]; visited[s] = true
            var d = s
            while chain.count < cap {
                guard let e = knn.neighbours(of: d).prefix(topRanks).first(where: { !visited[$0.id] })?.id else { break }
                chain.append(e); visited[e] = true; d = e
            }
            for x in chain { chainOf[x] = chains.count }
            chains.append(chain)
        }
        let long = Set(chains.indices.filter { chains[$0].count >= cap })
        guard !long.isEmpty else { return chains.flatMap { $0 } }
        // Insertions before a target document, in the order the dissolved documents are met.
        var before: [Int: [Int]] = [:]
        var leftovers: [Int] = []
        for (c, chain) in chains.enumerated() where !long.contains(c) {
            for x in chain {
                if let t = knn.neighbours(of: x).first(where: { keep[$0.id] && long.contains(chainOf[$0.id]) })?.id {
                    before[t, default: []].append(x)
                } else {
                    leftovers.append(x)
                }
            }
        }
        var out: [Int] = []
        for (c, chain) in chains.enumerated() where long.contains(c) {
            for x in chain { out += before[x] ?? []; out.append(x) }
        }
        return out + leftovers
    }
}
