import LMCore
/// The entity corpus EC and EC-dup (icp): entities whose relation values are spread over four
/// sibling documents, held-out entities with new names, conflict entities, topic-only filler
/// documents, and (EC-dup) near-duplicate copies.
public enum EntityCorpus {
    public struct Parameters: Sendable, Equatable, Codable {
        public var syllables = 64
        public var relations = 10
        public var valuesPerRelation = 20
        public var functionTokens = 40
        public var fillers = 150
        public var topics = 12
        public var favouredPerTopic = 25
        public var favouredMass = 0.8
        public var trainingEntities = 2000
        public var heldOutEntities = 300
        public var conflictEntities = 300
        public var documentsPerEntity = 4
        public var relationsPerDocument = 3
        public var fillerSentences: ClosedRange<Int> = 1...3
        public var fillerSentenceLength: ClosedRange<Int> = 11...17
        public var fillerProbability = 0.7
        public var fillerDocumentFraction = 0.15
        public var fillerDocumentSentences: ClosedRange<Int> = 2...4
        /// EC-dup: fraction of documents copied with 1–2 substitutions.
        public var duplicateFraction = 0.2
        public var seed: UInt64 = 0
        public init() {}
        /// The icp smoke tier: 200 entities (held-out and conflict sets scaled to 30).
        public static var smoke: Parameters { var p = Parameters(); p.trainingEntities = 200; p.heldOutEntities = 30; p.conflictEntities = 30; return p }
    }

    /// Token id layout: PAD 0, BOS 1, EOS 2; function tokens (0 = `is`, 1 = `its`, 2 = `.`);
    /// name syllables; relation cues; value tokens (relation r owns a block of 20); fillers.
    public struct Vocabulary: Sendable, Equatable {
        public let p: Parameters
        public static let pad: Int32 = 0, bos: Int32 = 1, eos: Int32 = 2
        public var functionBase: Int { 3 }
        public var syllableBase: Int { functionBase + p.functionTokens }
        public var cueBase: Int { syllableBase + p.syllables }
        public var valueBase: Int { cueBase + p.relations }
        public var fillerBase: Int { valueBase + p.relations * p.valuesPerRelation }
        public var size: Int { fillerBase + p.fillers }
        public var isToken: Int32 { Int32(functionBase) }
        public var itsToken: Int32 { Int32(functionBase + 1) }
        public var period: Int32 { Int32(functionBase + 2) }
        public func syllable(_ i: Int) -> Int32 { Int32(syllableBase + i) }
        public func cue(_ r: Int) -> Int32 { Int32(cueBase + r) }
        public func value(_ r: Int, _ v: Int) -> Int32 { Int32(valueBase + r * p.valuesPerRelation + v) }
        public func filler(_ i: Int) -> Int32 { Int32(fillerBase + i) }
        public func isFunction(_ t: Int32) -> Bool { Int(t) >= functionBase && Int(t) < syllableBase }
        public func isFiller(_ t: Int32) -> Bool { Int(t) >= fillerBase && Int(t) < size }
        /// The 20 value tokens of relation r (probes restrict predictions to these).
        public func values(of r: Int) -> [Int32] { (0..<p.valuesPerRelation).map { value(r, $0) } }
    }

    public struct Entity: Sendable, Equatable {
        public var name: (Int, Int)   // syllable indices
        public var values: [Int]      // one value index per relation
        public var topic: Int
        public static func == (a: Entity, b: Entity) -> Bool { a.name == b.name && a.values == b.values && a.topic == b.topic }
    }

    public struct Document: Sendable, Equatable {
        public var tokens: [Int32]
        /// Index of the entity (into `entities` or `heldOutEntities`), nil for filler documents.
        public var entity: Int?
        /// Relations stated, in statement order.
        public var relations: [Int]
        public var topic: Int
        /// EC-dup: this document is a near-duplicate copy of `duplicateOf` (index in the list
        /// before copies were inserted).
        public var duplicateOf: Int? = nil
    }

    public struct Corpus: Sendable {
        public var parameters: Parameters
        public var vocabulary: Vocabulary
        public var entities: [Entity]
        public var heldOutEntities: [Entity]
        /// Indices into `entities`.
        public var conflictEntities: [Int]
        /// EC training documents (entity documents then filler documents, in a seeded random order).
        public var documents: [Document]
        /// Documents of the held-out entities (4 each) and held-out filler documents.
        public var heldOutDocuments: [Document]
        public var tokenCount: Int { documents.reduce(0) { $0 + $1.tokens.count } }
        /// Topic distributions: per topic, a weight per filler.
        public var topicWeights: [[Double]]
    }

    static func topicWeights(_ p: Parameters, rng: inout RandomStream) -> [[Double]] {
        (0..<p.topics).map { _ in
            var idx = Array(0..<p.fillers); rng.shuffle(&idx)
            var w = [Double](repeating: (1 - p.favouredMass) / Double(p.fillers), count: p.fillers)
            for i in idx.prefix(p.favouredPerTopic) { w[i] += p.favouredMass / Double(p.favouredPerTopic) }
            return w
        }
    }

    static func fillerSentence(_ p: Parameters, _ v: Vocabulary, topic: [Double], rng: inout RandomStream) -> [Int32] {
        let n = p.fillerSentenceLength.lowerBound + rng.int(below: p.fillerSentenceLength.count)
        var s: [Int32] = []
        for _ in 0..<n {
            if rng.uniformDouble() < p.fillerProbability {
                s.append(v.filler(rng.categorical(topic)))
            } else {
                // Function words other than `is`, `its` and `.`, so fillers never imitate a statement.
                s.append(Int32(v.functionBase + 3 + rng.int(below: p.functionTokens - 3)))
            }
        }
        s.append(v.period)
        return s
    }

    static func entityDocuments(_ e: Entity, index: Int, _ p: Parameters, _ v: Vocabulary, topics: [[Double]],
                                rng: inout RandomStream) -> [Document] {
        var subsets: [[Int]] = []
        while subsets.count < p.documentsPerEntity {
            var rels = Array(0..<p.relations); rng.shuffle(&rels)
            let s = Array(rels.prefix(p.relationsPerDocument))
            if !subsets.contains(where: { Set($0) == Set(s) }) { subsets.append(s) }
        }
        return subsets.map { rels in
            var parts: [[Int32]] = rels.map { r in [v.itsToken, v.cue(r), v.isToken, v.value(r, e.values[r]), v.period] }
            let nf = p.fillerSentences.lowerBound + rng.int(below: p.fillerSentences.count)
            for _ in 0..<nf { parts.append(fillerSentence(p, v, topic: topics[e.topic], rng: &rng)) }
            var order = Array(parts.indices); rng.shuffle(&order)
            var toks: [Int32] = [v.syllable(e.name.0), v.syllable(e.name.1), v.period]
            var stated: [Int] = []
            for i in order { toks += parts[i]; if i < rels.count { stated.append(rels[i]) } }
            return Document(tokens: toks, entity: index, relations: stated, topic: e.topic)
        }
    }

    static func fillerDocument(_ p: Parameters, _ v: Vocabulary, topics: [[Double]], rng: inout RandomStream) -> Document {
        let t = rng.int(below: p.topics)
        let n = p.fillerDocumentSentences.lowerBound + rng.int(below: p.fillerDocumentSentences.count)
        var toks: [Int32] = []
        for _ in 0..<n { toks += fillerSentence(p, v, topic: topics[t], rng: &rng) }
        return Document(tokens: toks, entity: nil, relations: [], topic: t)
    }

    /// EC: a pure function of the parameters (the seed is the generator seed, fixed across runs).
    public static func generate(_ p: Parameters) -> Corpus {
        let root = RandomStream(seed: p.seed, stream: "entity-corpus")
        let v = Vocabulary(p: p)
        var trng = root.child("topics")
        let topics = topicWeights(p, rng: &trng)
        // Names: distinct syllable pairs; held-out names only use syllables seen in training names.
        var nrng = root.child("names")
        var names: [(Int, Int)] = []
        var used = Set<Int>()
        precondition(p.trainingEntities + p.heldOutEntities <= p.syllables * p.syllables)
        while names.count < p.trainingEntities {
            let n = (nrng.int(below: p.syllables), nrng.int(below: p.syllables))
            if used.insert(n.0 * p.syllables + n.1).inserted { names.append(n) }
        }
        let trainedSyllables = Set(names.flatMap { [$0.0, $0.1] })
        var heldNames: [(Int, Int)] = []
        while heldNames.count < p.heldOutEntities {
            let n = (nrng.int(below: p.syllables), nrng.int(below: p.syllables))
            guard trainedSyllables.contains(n.0), trainedSyllables.contains(n.1) else { continue }
            if used.insert(n.0 * p.syllables + n.1).inserted { heldNames.append(n) }
        }
        var erng = root.child("entities")
        func entity(_ name: (Int, Int)) -> Entity {
            Entity(name: name, values: (0..<p.relations).map { _ in erng.int(below: p.valuesPerRelation) }, topic: erng.int(below: p.topics))
        }
        let entities = names.map(entity)
        let held = heldNames.map(entity)
        var crng = root.child("conflict")
        let conflict = Array(crng.permutation(p.trainingEntities).prefix(p.conflictEntities)).sorted()

        var drng = root.child("documents")
        var docs: [Document] = []
        for (i, e) in entities.enumerated() { docs += entityDocuments(e, index: i, p, v, topics: topics, rng: &drng) }
        let nFiller = Int((Double(docs.count) * p.fillerDocumentFraction).rounded())
        for _ in 0..<nFiller { docs.append(fillerDocument(p, v, topics: topics, rng: &drng)) }
        var orng = root.child("order")
        orng.shuffle(&docs)

        var hrng = root.child("held-out")
        var heldDocs: [Document] = []
        for (i, e) in held.enumerated() { heldDocs += entityDocuments(e, index: i, p, v, topics: topics, rng: &hrng) }
        let nHeldFiller = Int((Double(heldDocs.count) * p.fillerDocumentFraction).rounded())
        for _ in 0..<nHeldFiller { heldDocs.append(fillerDocument(p, v, topics: topics, rng: &hrng)) }
        return Corpus(parameters: p, vocabulary: v, entities: entities, heldOutEntities: held, conflictEntities: conflict,
                      documents: docs, heldOutDocuments: heldDocs, topicWeights: topics)
    }

    /// EC-dup: EC plus copies of a random `duplicateFraction` of its documents, each copy with 1–2
    /// filler or function tokens replaced by another token of the same class, flagged
    /// (`duplicateOf`) and inserted at random positions of the document list.
    public static func withDuplicates(_ c: Corpus) -> Corpus {
        let p = c.parameters, v = c.vocabulary
        var rng = RandomStream(seed: p.seed, stream: "entity-corpus").child("duplicates")
        let n = c.documents.count
        let picks = Array(rng.permutation(n).prefix(Int((Double(n) * p.duplicateFraction).rounded()))).sorted()
        var out = c.documents
        for i in picks {
            var d = c.documents[i]
            let slots = d.tokens.indices.filter { v.isFiller(d.tokens[$0]) || (v.isFunction(d.tokens[$0]) && d.tokens[$0] != v.period && d.tokens[$0] != v.isToken && d.tokens[$0] != v.itsToken) }
            var chosen = slots; rng.shuffle(&chosen)
            for j in chosen.prefix(1 + rng.int(below: 2)) {
                let t = d.tokens[j]
                var r: Int32
                repeat {
                    r = v.isFiller(t) ? v.filler(rng.int(below: p.fillers)) : Int32(v.functionBase + 3 + rng.int(below: p.functionTokens - 3))
                } while r == t
                d.tokens[j] = r
            }
            d.duplicateOf = i
            out.insert(d, at: rng.int(below: out.count + 1))
        }
        var dup = c
        dup.documents = out
        return dup
    }
}
