import Corpora
import Foundation
import Harness
import LMCore

/// The training-free arm: the ordering pipeline itself checked on EC and EC-dup (checks I-D1–I-D6).
struct PipelineConfig: Codable {
    var corpus: EntityCorpus.Parameters
    var ordering: OrderingConfig
    /// Training tokens per arm (steps × batch × context), for the unique-documents comparison.
    var tokenBudget: Int
    var context: Int
    /// Training entities of the two corpora the traversal is timed on (N and 2N documents).
    var timingEntities: [Int]
    /// Name syllables of the timing corpora (64² names cap EC at ≈3,800 entities; more syllables allow larger corpora).
    var timingSyllables: Int
    var timingRepeats: Int
    /// A second corpus (EC-v1) whose retrieval statistics are measured beside the tier's
    /// (`v1_*` measurements): same TF-IDF, kNN, dedup and Algorithm 1.
    var comparison: EntityCorpus.Parameters? = nil
}

enum PipelineChecks {
    /// The worked example for Algorithm 1 (README, check I-D3).
    static let exampleGraph = DocumentGraph(nodes: 8, edges: [(0, 1, 0.9), (1, 2, 0.4), (1, 3, 0.8), (2, 3, 0.5),
                                                              (3, 4, 0.3), (2, 5, 0.7), (5, 6, 0.6), (6, 7, 0.2)])
    static let examplePath = [0, 1, 3, 2, 5, 6, 7, 4]

    /// Whether a traversal obeys Algorithm 1: a permutation of the nodes; every walk starts at an
    /// unvisited node of minimum degree (lowest index among ties); every step goes to the most
    /// similar unvisited neighbour (lowest index among ties); a walk ends only at a dead end.
    static func obeysAlgorithm1(_ g: DocumentGraph, _ t: Traversal) -> Bool {
        let n = g.nodeCount
        guard t.path.count == n, Set(t.path).count == n, t.starts.first == 0 || n == 0 else { return false }
        let degree = g.degree
        let adjacency = g.adjacency
        let startSet = Set(t.starts)
        var unvisitedByKey = Set((0..<n).map { degree[$0] * n + $0 })   // (degree, index) keys
        var visited = [Bool](repeating: false, count: n)
        for (i, d) in t.path.enumerated() {
            if startSet.contains(i) {
                if i > 0 && adjacency[t.path[i - 1]].contains(where: { !visited[$0.node] }) { return false }
                guard let min = unvisitedByKey.min(), min == degree[d] * n + d else { return false }
            } else {
                let prev = t.path[i - 1]
                let candidates = adjacency[prev].filter { !visited[$0.node] }
                guard let best = candidates.max(by: { $0.weight < $1.weight || ($0.weight == $1.weight && $0.node > $1.node) }),
                      best.node == d else { return false }
            }
            visited[d] = true
            unvisitedByKey.remove(degree[d] * n + d)
        }
        return true
    }

    /// Minimum over repeats of the traversal time (seconds) and the operation count.
    /// Best-of-`repeats` wall time of Algorithm 1 on each graph. The graphs are timed in
    /// alternation within every repeat, so a change of machine load during the measurement
    /// biases none of them (the complexity check compares their times).
    static func timeTraversals(_ graphs: [DocumentGraph], repeats: Int) -> [(seconds: Double, operations: Int)] {
        var best = [Double](repeating: .infinity, count: graphs.count)
        var ops = [Int](repeating: 0, count: graphs.count)
        for _ in 0..<repeats {
            for (i, g) in graphs.enumerated() {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let t = GreedyTraversal.algorithm1(g)
                let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                best[i] = min(best[i], dt); ops[i] = t.operations
            }
        }
        return zip(best, ops).map { (seconds: $0, operations: $1) }
    }

    /// Retrieval and ordering statistics of a corpus: top-1 sibling precision, same-entity share
    /// of adjacent pairs in the ICP order and its ceiling, mean adjacent cosine ICP / random.
    static func retrievalStatistics(_ c: EntityCorpus.Corpus, ordering: OrderingConfig, random: RandomStream)
        -> (top1: Double, sameEntity: Double, ceiling: Double, cosineRatio: Double) {
        let index = EntityFeatures.index(c.documents, c.vocabulary, k: ordering.k)
        let icp = Orderings.icp(index, config: ordering).order
        let labels = c.documents.map(\.entity)
        let a = Orderings.adjacency(icp.sequence, labels: labels, cosine: index.cosine)
        let r = Orderings.adjacency(Orderings.random(count: c.documents.count, random: random).sequence, labels: labels, cosine: index.cosine)
        return (top1Precision(index, labels: labels), a.shared, ceiling(icp.sequence, labels: labels), r.cosine > 0 ? a.cosine / r.cosine : 0)
    }

    /// Share of entity documents whose nearest TF-IDF neighbour is a sibling.
    static func top1Precision(_ index: RetrievalIndex, labels: [Int?]) -> Double {
        var top1 = 0, labelled = 0
        for d in labels.indices {
            guard let e = labels[d], let nb = index.knn.neighbours(of: d).first else { continue }
            labelled += 1; if labels[nb.id] == e { top1 += 1 }
        }
        return Double(top1) / Double(max(labelled, 1))
    }

    /// The best same-entity share any order of these documents could reach: each entity's n
    /// documents give at most n − 1 same-entity neighbours, filler documents none.
    static func ceiling(_ sequence: [Int], labels: [Int?]) -> Double {
        var perEntity: [Int: Int] = [:]
        for d in sequence { if let e = labels[d] { perEntity[e, default: 0] += 1 } }
        let reachable = perEntity.values.reduce(0) { $0 + $1 - 1 }
        return Double(reachable) / Double(max(sequence.count - 1, 1))
    }

    static func run(_ cfg: PipelineConfig, context: RunContext) throws {
        let ec = EntityCorpus.generate(cfg.corpus)
        let v = ec.vocabulary
        let data = context.random("data")

        // I-D3: the worked example, and Algorithm 1's rules on the EC graph.
        let example = GreedyTraversal.algorithm1(exampleGraph)
        let exampleOK = example.path == examplePath && example.starts == [0, 7] && obeysAlgorithm1(exampleGraph, example)

        // I-D1, I-D2 on EC.
        let index = EntityFeatures.index(ec.documents, v, k: cfg.ordering.k)
        let (icp, traversal, graph) = Orderings.icp(index, config: cfg.ordering)
        let ecRulesOK = obeysAlgorithm1(graph, traversal)
        context.measure("id3_algorithm1", exampleOK && ecRulesOK ? 1 : 0)
        context.measure("id3_example", exampleOK ? 1 : 0)
        let keptEC = (0..<ec.documents.count).filter { icp.kept[$0] }
        let permEC = icp.sequence.sorted() == keptEC
        context.measure("restarts", Double(icp.restarts))
        context.measure("documents", Double(ec.documents.count))
        context.measure("documents_kept", Double(keptEC.count))
        let labels = ec.documents.map(\.entity)
        let icpAdj = Orderings.adjacency(icp.sequence, labels: labels, cosine: index.cosine)
        let rnd = Orderings.random(count: ec.documents.count, random: data.child("order"))
        let rndAdj = Orderings.adjacency(rnd.sequence, labels: labels, cosine: index.cosine)
        context.measure("id2_same_entity_icp", icpAdj.shared)
        context.measure("id2_same_entity_random", rndAdj.shared)
        context.measure("id2_same_entity_labelled_icp", icpAdj.sharedLabelled)
        context.measure("id2_cosine_icp", icpAdj.cosine)
        context.measure("id2_cosine_random", rndAdj.cosine)
        // The best same-entity share any order of the kept documents could reach.
        context.measure("id2_same_entity_ceiling", ceiling(icp.sequence, labels: labels))
        context.measure("top1_same_entity", top1Precision(index, labels: labels))
        // The same statistics on the comparison corpus (EC-v1).
        if let p = cfg.comparison {
            let s = retrievalStatistics(EntityCorpus.generate(p), ordering: cfg.ordering, random: data.child("comparison-order"))
            context.measure("v1_top1_same_entity", s.top1)
            context.measure("v1_id2_same_entity_icp", s.sameEntity)
            context.measure("v1_id2_same_entity_ceiling", s.ceiling)
            context.measure("v1_id2_cosine_ratio", s.cosineRatio)
        }
        for kind in OrderingKind.allCases {
            let order: DocumentOrder
            switch kind {
            case .random: order = rnd
            case .icp: order = icp
            case .knn: order = Orderings.knn(index, lengths: ec.documents.map { $0.tokens.count + 1 }, tokenBudget: cfg.tokenBudget, random: data.child("order"))
            case .cluster: order = Orderings.cluster(index, config: cfg.ordering, random: data.child("order"))
            case .icpCode: order = Orderings.icpCode(index, units: ec.documents.map(\.tokens), config: cfg.ordering, random: data.child("order"))
            case .oracle: order = Orderings.oracle(labels: labels, random: data.child("order"))
            }
            let a = Orderings.adjacency(order.sequence, labels: labels, cosine: index.cosine)
            context.measure("adjacent_same_entity_\(kind.rawValue)", a.shared)
            context.measure("adjacent_cosine_\(kind.rawValue)", a.cosine)
            // Histogram of adjacent cosine (report figure), 20 bins over [0, 1].
            if kind == .random || kind == .icp {
                var bins = [Int](repeating: 0, count: 20)
                for i in 1..<order.sequence.count {
                    let c = Double(index.cosine(order.sequence[i - 1], order.sequence[i]))
                    bins[min(19, max(0, Int(c * 20)))] += 1
                }
                for (b, count) in bins.enumerated() {
                    context.log("cosine_histogram_\(kind.rawValue)", step: b, value: Double(count) / Double(order.sequence.count - 1))
                }
            }
            // I-D4: unique documents in the first `tokenBudget` tokens of each stream.
            if kind == .knn || kind == .icp {
                var tokens = 0, seen = Set<Int>()
                for d in order.sequence where tokens < cfg.tokenBudget { seen.insert(d); tokens += ec.documents[d].tokens.count + 1 }
                context.measure("unique_documents_\(kind.rawValue)", Double(seen.count))
            }
        }

        // I-D1, I-D5 on EC-dup.
        let dup = EntityCorpus.withDuplicates(ec)
        let dupIndex = EntityFeatures.index(dup.documents, v, k: cfg.ordering.k)
        let dupICP = Orderings.icp(dupIndex, config: cfg.ordering).order
        let keptDup = (0..<dup.documents.count).filter { dupICP.kept[$0] }
        let permDup = dupICP.sequence.sorted() == keptDup
        context.measure("id1_permutation", permEC && permDup ? 1 : 0)
        // An injected copy counts as removed when the copy or its original was dropped (the pair
        // no longer both present); clean documents are those neither copied nor copies.
        var originalPosition: [Int: Int] = [:]   // pre-insertion index of an original → its index in dup
        var copies: [(copy: Int, of: Int)] = []
        var positionOfBase: [Int: Int] = [:]
        for (i, d) in dup.documents.enumerated() {
            if let o = d.duplicateOf { copies.append((i, o)) } else { positionOfBase[positionOfBase.count] = i }
        }
        for (k, i) in positionOfBase { originalPosition[k] = i }
        var removed = 0
        var involved = Set<Int>()
        for (copy, of) in copies {
            let orig = originalPosition[of]!
            involved.insert(copy); involved.insert(orig)
            if !dupICP.kept[copy] || !dupICP.kept[orig] { removed += 1 }
        }
        let clean = dup.documents.indices.filter { !involved.contains($0) }
        let cleanRemoved = clean.filter { !dupICP.kept[$0] }.count
        context.measure("id5_copies_removed", copies.isEmpty ? 0 : Double(removed) / Double(copies.count))
        context.measure("id5_clean_removed", Double(cleanRemoved) / Double(max(clean.count, 1)))
        context.measure("dup_documents", Double(dup.documents.count))
        context.measure("dup_documents_kept", Double(keptDup.count))

        // I-D6: traversal cost on corpora of N and 2N documents (same k).
        var graphs: [DocumentGraph] = []
        for entities in cfg.timingEntities {
            var p = cfg.corpus
            p.trainingEntities = entities
            p.syllables = cfg.timingSyllables
            let c = EntityCorpus.generate(p)
            let idx = EntityFeatures.index(c.documents, c.vocabulary, k: cfg.ordering.k)
            let keep = cfg.ordering.dedup ? Dedup.semantic(idx.knn, threshold: cfg.ordering.dedupThreshold) : [Bool](repeating: true, count: c.documents.count)
            graphs.append(DocumentGraph(idx.knn, keep: keep))
        }
        var timings: [(Int, Double, Int)] = []
        for (g, t) in zip(graphs, timeTraversals(graphs, repeats: cfg.timingRepeats)) {
            timings.append((g.nodeCount, t.seconds, t.operations))
            context.log("traversal_seconds", step: g.nodeCount, value: t.seconds)
            context.log("traversal_operations", step: g.nodeCount, value: Double(t.operations))
        }
        if timings.count >= 2 {
            let a = timings[0], b = timings[timings.count - 1]
            // Normalised to an exact doubling of the node count (the corpora are 2× in entities).
            let scale = 2 * Double(a.0) / Double(b.0)
            context.measure("id6_time_ratio", b.1 / a.1 * scale)
            context.measure("id6_ops_ratio", Double(b.2) / Double(a.2) * scale)
        }
    }
}
