import Foundation

// Step 1 of the method: embed every document, retrieve its exact k nearest neighbours by cosine.
// The paper embeds with Contriever and searches with FAISS IVF-PQ; the miniature uses TF-IDF
// (hashed for real text) and brute-force exact search over an inverted index.

/// An L2-normalised sparse vector: sorted feature indices with their weights.
struct SparseVector: Sendable, Equatable {
    var indices: [Int32]
    var values: [Float]

    static func dot(_ a: SparseVector, _ b: SparseVector) -> Float {
        var i = 0, j = 0, s: Float = 0
        while i < a.indices.count && j < b.indices.count {
            if a.indices[i] == b.indices[j] { s += a.values[i] * b.values[j]; i += 1; j += 1 }
            else if a.indices[i] < b.indices[j] { i += 1 } else { j += 1 }
        }
        return s
    }
}

/// TF-IDF document embeddings: tf = 1 + ln(count), idf = ln((1 + N)/(1 + df)) + 1, then L2-normalised.
enum TFIDF {
    /// `features[d]` lists the feature ids of document d (with repeats), each in 0..<dimension.
    static func embed(_ features: [[Int]], dimension: Int) -> [SparseVector] {
        let n = features.count
        var counts: [[(Int, Int)]] = []
        counts.reserveCapacity(n)
        var df = [Int](repeating: 0, count: dimension)
        for f in features {
            var c: [Int: Int] = [:]
            for x in f {
                precondition(x >= 0 && x < dimension, "feature \(x) outside 0..<\(dimension)")
                c[x, default: 0] += 1
            }
            let sorted = c.sorted { $0.key < $1.key }
            for (x, _) in sorted { df[x] += 1 }
            counts.append(sorted.map { ($0.key, $0.value) })
        }
        return counts.map { doc in
            var v = doc.map { (x, c) -> Float in
                Float((1 + log(Double(c))) * (log(Double(1 + n) / Double(1 + df[x])) + 1))
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { for i in v.indices { v[i] /= norm } }
            return SparseVector(indices: doc.map { Int32($0.0) }, values: v)
        }
    }
}

/// Features of real text: lower-cased words `[a-z]+`, hashed with FNV-1a-64 into `dimension` buckets.
enum HashedWords {
    static func features(_ text: String, dimension: Int = 4096) -> [Int] { features(bytes: text.utf8, dimension: dimension) }

    /// The same on raw UTF-8 bytes (a document cut at a byte limit need not end on a character).
    static func features<Bytes: Sequence<UInt8>>(bytes: Bytes, dimension: Int = 4096) -> [Int] {
        var out: [Int] = []
        var h: UInt64 = 0xcbf29ce484222325
        var inWord = false
        func flush() { if inWord { out.append(Int(h % UInt64(dimension))) }; h = 0xcbf29ce484222325; inWord = false }
        for b in bytes {
            var c = b
            if c >= 65 && c <= 90 { c += 32 }
            if c >= 97 && c <= 122 {
                h ^= UInt64(c); h = h &* 0x100000001b3; inWord = true
            } else { flush() }
        }
        flush()
        return out
    }
}

/// Exact k-nearest-neighbour lists: for each document its k most similar others (cosine,
/// descending; ties by lower index), never itself.
struct NeighbourLists: Sendable {
    let k: Int
    /// Row-major [N, k]; −1 where a document has fewer than k candidates.
    var ids: [Int32]
    var sims: [Float]
    var count: Int { ids.count / max(k, 1) }

    func neighbours(of d: Int) -> [(id: Int, sim: Float)] {
        (0..<k).compactMap { j in
            let id = ids[d * k + j]
            return id < 0 ? nil : (Int(id), sims[d * k + j])
        }
    }
}

enum ExactKNN {
    /// Brute-force search through an inverted index: for document i, scores against every other
    /// document are accumulated over the postings of i's features (exactly the dot products).
    static func search(_ vectors: [SparseVector], dimension: Int, k: Int) -> NeighbourLists {
        let n = vectors.count
        precondition(k > 0, "k must be positive")
        // Postings in flat buffers (feature f's run is start[f]..<start[f+1]), in document order,
        // so each score sums its terms in the same order as per-feature lists would. Raw buffers:
        // the inner loop is one multiply-add per shared feature occurrence, with no checks.
        var start = [Int](repeating: 0, count: dimension + 1)
        for v in vectors { for f in v.indices { start[Int(f) + 1] += 1 } }
        for f in 0..<dimension { start[f + 1] += start[f] }
        let total = start[dimension]
        let postingDoc = UnsafeMutablePointer<Int32>.allocate(capacity: max(total, 1))
        let postingWeight = UnsafeMutablePointer<Float>.allocate(capacity: max(total, 1))
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
        let touched = UnsafeMutablePointer<Bool>.allocate(capacity: max(n, 1))
        let list = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { postingDoc.deallocate(); postingWeight.deallocate(); scores.deallocate(); touched.deallocate(); list.deallocate() }
        scores.initialize(repeating: 0, count: n)
        touched.initialize(repeating: false, count: n)
        var fill = start
        for (d, v) in vectors.enumerated() {
            for (i, f) in v.indices.enumerated() {
                (postingDoc + fill[Int(f)]).initialize(to: Int32(d))
                (postingWeight + fill[Int(f)]).initialize(to: v.values[i])
                fill[Int(f)] += 1
            }
        }
        var ids = [Int32](repeating: -1, count: n * k)
        var sims = [Float](repeating: 0, count: n * k)
        var best: [(Int32, Float)] = []
        for d in 0..<n {
            let v = vectors[d]
            var listCount = 0
            for i in 0..<v.indices.count {
                let f = Int(v.indices[i]), w = v.values[i]
                for p in start[f]..<start[f + 1] {
                    let j = Int(postingDoc[p])
                    if !touched[j] { touched[j] = true; list[listCount] = postingDoc[p]; listCount += 1 }
                    scores[j] += w * postingWeight[p]
                }
            }
            // Top-k by (similarity desc, index asc); documents sharing no feature have similarity 0
            // and fill remaining slots by lowest index so every list has k entries when N > k.
            best.removeAll(keepingCapacity: true)
            func better(_ a: (Int32, Float), _ b: (Int32, Float)) -> Bool { a.1 > b.1 || (a.1 == b.1 && a.0 < b.0) }
            func offer(_ c: (Int32, Float)) {
                if best.count == k, !better(c, best[k - 1]) { return }
                var pos = best.count
                while pos > 0 && better(c, best[pos - 1]) { pos -= 1 }
                best.insert(c, at: pos)
                if best.count > k { best.removeLast() }
            }
            for l in 0..<listCount where Int(list[l]) != d { offer((list[l], scores[Int(list[l])])) }
            if best.count < k {
                var j = 0
                while best.count < k && j < n {
                    if j != d && !touched[j] { offer((Int32(j), 0)) }
                    j += 1
                }
            }
            for l in 0..<listCount { scores[Int(list[l])] = 0; touched[Int(list[l])] = false }
            for (r, c) in best.enumerated() { ids[d * k + r] = c.0; sims[d * k + r] = c.1 }
        }
        return NeighbourLists(k: k, ids: ids, sims: sims)
    }
}
