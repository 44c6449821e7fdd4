import LMCore
/// The entity corpus EC and EC-dup (icp): entities whose relation values are spread over four
/// sibling documents, held-out entities with new names, conflict entities, topic-only filler
/// documents, and (EC-dup) near-duplicate copies.
///
/// Two layouts. EC-v1 (`named == nil`): a document names its entity once, at the start
/// (`n1 n2 .`), then states relations as `its c_r is v .`. EC-v2 (`named` set): names have
/// `nameLength` syllables and no two names share an (unordered) syllable pair, and the name recurs
/// in every statement, `n1 n2 n3 's c_r is v .`, with no header; filler is drawn from the topic's
/// distribution (shared by every entity of the topic) as in v1.
public enum EntityCorpus {
    /// EC-v2's layout options (absent for v1, so v1's parameters encode as before).
    public struct NamedStatements: Sendable, Equatable, Codable {
        /// Syllables per name.
        public var nameLength = 3
        public init() {}
    }

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
        /// EC-v2 layout; nil = EC-v1.
        public var named: NamedStatements? = nil
        public init() {}
        public var isV2: Bool { named != nil }
        /// The icp smoke tier: 200 entities (held-out and conflict sets scaled to 30).
        public static var smoke: Parameters { var p = Parameters(); p.trainingEntities = 200; p.heldOutEntities = 30; p.conflictEntities = 30; return p }
        /// EC-v2 at the generator's default size: 3-syllable names over 256 syllables, 4 of 10
        /// relations per document, shorter filler (1-2 sentences of 8-12 tokens).
        public static var v2: Parameters {
            var p = Parameters()
            p.named = NamedStatements()
            p.syllables = 256
            p.relationsPerDocument = 4
            p.fillerSentences = 1...2
            p.fillerSentenceLength = 8...12
            return p
        }
        /// EC-v2 at smoke size (200 entities; held-out and conflict sets 30).
        public static var smokeV2: Parameters { var p = Parameters.v2; p.trainingEntities = 200; p.heldOutEntities = 30; p.conflictEntities = 30; return p }
    }

    /// Token id layout: PAD 0, BOS 1, EOS 2; function tokens (0 = `is`, 1 = `its`, 2 = `.`, and in
    /// EC-v2 3 = `'s`);
    /// name syllables; relation cues; value tokens (relation r owns a block of 20); fillers.
    public struct Vocabulary: Sendable, Equatable {
        public let p: Parameters
        public init(p: Parameters) { self.p = p }
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
        /// EC-v2's possessive `'s` (after the name in every statement).
        public var possessive: Int32 { Int32(functionBase + 3) }
        /// First function token that filler sentences use (the statement tokens come before it).
        public var firstFillerFunction: Int { p.isV2 ? 4 : 3 }
        /// The tokens of an entity's name.
        public func name(_ e: Entity) -> [Int32] { e.name.map(syllable) }
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
        public var name: [Int]        // syllable indices (2 in EC-v1, `nameLength` in EC-v2)
        public var values: [Int]      // one value index per relation
        public var topic: Int
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
                // Function words other than `is`, `its`, `.` (and `'s`), so fillers never imitate a statement.
                s.append(Int32(v.functionBase + v.firstFillerFunction + rng.int(below: p.functionTokens - v.firstFillerFunction)))
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
            let name = v.name(e)
            var parts: [[Int32]] = rels.map { r in
                p.isV2 ? name + [v.possessive, v.cue(r), v.isToken, v.value(r, e.values[r]), v.period]
                       : [v.itsToken, v.cue(r), v.isToken, v.value(r, e.values[r]), v.period]
            }
            let nf = p.fillerSentences.lowerBound + rng.int(below: p.fillerSentences.count)
            for _ in 0..<nf { parts.append(fillerSentence(p, v, topic: topics[e.topic], rng: &rng)) }
            var order = Array(parts.indices); rng.shuffle(&order)
            var toks: [Int32] = p.isV2 ? [] : name + [v.period]
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

    /// EC-v1 names: distinct ordered syllable pairs.
    static func pairNames(_ p: Parameters, rng nrng: inout RandomStream) -> ([[Int]], [[Int]]) {
        var names: [[Int]] = []
        var used = Set<Int>()
        precondition(p.trainingEntities + p.heldOutEntities <= p.syllables * p.syllables)
        while names.count < p.trainingEntities {
            let n = (nrng.int(below: p.syllables), nrng.int(below: p.syllables))
            if used.insert(n.0 * p.syllables + n.1).inserted { names.append([n.0, n.1]) }
        }
        let trainedSyllables = Set(names.flatMap { $0 })
        var heldNames: [[Int]] = []
        while heldNames.count < p.heldOutEntities {
            let n = (nrng.int(below: p.syllables), nrng.int(below: p.syllables))
            guard trainedSyllables.contains(n.0), trainedSyllables.contains(n.1) else { continue }
            if used.insert(n.0 * p.syllables + n.1).inserted { heldNames.append([n.0, n.1]) }
        }
        return (names, heldNames)
    }

    /// EC-v2 names: `length` distinct syllables; a name is rejected when any unordered pair of its
    /// syllables already occurs in an earlier name, so two entities share at most one syllable.
    static func namedNames(_ p: Parameters, length: Int, rng: inout RandomStream) -> ([[Int]], [[Int]]) {
        let pairsPerName = length * (length - 1) / 2
        precondition(length >= 2 && length <= p.syllables)
        precondition((p.trainingEntities + p.heldOutEntities) * pairsPerName * 2 <= p.syllables * (p.syllables - 1) / 2,
                     "too few syllables for names that share no syllable pair")
        var usedPairs = Set<Int>()
        func draw(allowed: Set<Int>?) -> [Int]? {
            var n: [Int] = []
            while n.count < length {
                let s = rng.int(below: p.syllables)
                if !n.contains(s) { n.append(s) }
            }
            if let allowed, !n.allSatisfy(allowed.contains) { return nil }
            var pairs: [Int] = []
            for i in 0..<length { for j in (i + 1)..<length { pairs.append(min(n[i], n[j]) * p.syllables + max(n[i], n[j])) } }
            guard pairs.allSatisfy({ !usedPairs.contains($0) }) else { return nil }
            usedPairs.formUnion(pairs)
            return n
        }
        var names: [[Int]] = []
        while names.count < p.trainingEntities { if let n = draw(allowed: nil) { names.append(n) } }
        let trained = Set(names.flatMap { $0 })
        var held: [[Int]] = []
        while held.count < p.heldOutEntities { if let n = draw(allowed: trained) { held.append(n) } }
        return (names, held)
    }

    /// EC: a pure function of the parameters (the seed is the generator seed, fixed across runs).
    public static func generate(_ p: Parameters) -> Corpus {
        let root = RandomStream(seed: p.seed, stream: "entity-corpus")
        let v = Vocabulary(p: p)
        var trng = root.child("topics")
        let topics = topicWeights(p, rng: &trng)
        // Names: EC-v1 distinct syllable pairs; EC-v2 `nameLength` distinct syllables, no two names
        // sharing a syllable pair. Held-out names only use syllables seen in training names.
        var nrng = root.child("names")
        let (names, heldNames) = p.named.map { namedNames(p, length: $0.nameLength, rng: &nrng) } ?? pairNames(p, rng: &nrng)
        var erng = root.child("entities")
        func entity(_ name: [Int]) -> Entity {
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
            let slots = d.tokens.indices.filter { v.isFiller(d.tokens[$0]) || (v.isFunction(d.tokens[$0]) && Int(d.tokens[$0]) >= v.functionBase + v.firstFillerFunction) }
            var chosen = slots; rng.shuffle(&chosen)
            for j in chosen.prefix(1 + rng.int(below: 2)) {
                let t = d.tokens[j]
                var r: Int32
                repeat {
                    r = v.isFiller(t) ? v.filler(rng.int(below: p.fillers)) : Int32(v.functionBase + v.firstFillerFunction + rng.int(below: p.functionTokens - v.firstFillerFunction))
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
