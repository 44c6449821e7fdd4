import LMCore
/// REGBENCH (icll): random deterministic automata with uniform transition probabilities, all
/// states accepting, no self-loops; instances are strings sampled from one automaton joined by `|`.
public enum RegBench {
    public struct Parameters: Sendable, Equatable, Codable {
        public var letters: Int
        public var states: ClosedRange<Int>
        public var alphabetSize: ClosedRange<Int>
        public var edgesPerState: ClosedRange<Int>
        public var stringsPerInstance: ClosedRange<Int>
        public var stringLength: ClosedRange<Int>
        public var trainInstances: Int
        public var testInstances: Int
        /// Generator seed: the corpus is the same for every training seed.
        public var seed: UInt64

        /// The icll default: 8 letters, states 4–8, alphabet 4–8, 1–3 edges, 6–10 strings of 1–15.
        public static let miniature = Parameters(letters: 8, states: 4...8, alphabetSize: 4...8, edgesPerState: 1...3,
                                                 stringsPerInstance: 6...10, stringLength: 1...15,
                                                 trainInstances: 2000, testInstances: 200, seed: 0)
        /// Paper scale (used only for the training-free check): 18 letters, states 4–12, …
        public static let paper = Parameters(letters: 18, states: 4...12, alphabetSize: 4...18, edgesPerState: 1...3,
                                             stringsPerInstance: 10...19, stringLength: 1...49,
                                             trainInstances: 2000, testInstances: 200, seed: 0)
        /// Vocabulary: `.` = 0 (pad), letters 1…L, `|` = L+1.
        public var vocabularySize: Int { letters + 2 }
        public var pad: Int32 { 0 }
        public var separator: Int32 { Int32(letters + 1) }
    }

    /// A trimmed, minimised deterministic automaton: `edges[state]` = (symbol, target) sorted by
    /// symbol; symbols are letter indices 0..<L (token = symbol + 1); start state 0.
    public struct Automaton: Sendable, Equatable, Hashable {
        public var edges: [[Edge]]
        public struct Edge: Sendable, Equatable, Hashable { public var symbol: Int; public var target: Int }
        public var stateCount: Int { edges.count }

        /// Canonical key: states renumbered in breadth-first order from 0, edges in symbol order.
        public var canonicalKey: String {
            var number = [Int](repeating: -1, count: edges.count)
            var queue = [0]; number[0] = 0
            var q = 0
            while q < queue.count {
                let s = queue[q]; q += 1
                for e in edges[s] where number[e.target] < 0 { number[e.target] = queue.count; queue.append(e.target) }
            }
            return queue.map { s in edges[s].map { "\($0.symbol)>\(number[$0.target])" }.joined(separator: ",") }.joined(separator: ";")
        }

        /// The next-letter distribution in a state: uniform over its outgoing symbols.
        public func nextSymbols(_ state: Int) -> [Int] { edges[state].map(\.symbol) }

        public func step(_ state: Int, _ symbol: Int) -> Int? { edges[state].first { $0.symbol == symbol }?.target }
    }

    public struct Instance: Sendable, Equatable {
        public var automaton: Int          // index into `Corpus.automata`
        public var strings: [[Int]]        // symbols 0..<L
        /// Tokens: strings joined by the separator (no BOS, no trailing separator).
        public var tokens: [Int32]
        /// Loss weight of each token as a target: 0 for the separator, 1 for letters.
        public var weights: [Float]
        public var document: TokenDocument { TokenDocument(tokens: tokens, weights: weights) }
    }

    public struct Corpus: Sendable {
        public var parameters: Parameters
        public var automata: [Automaton]
        public var train: [Instance]
        public var test: [Instance]
    }

    /// A random automaton before minimisation (may have unreachable states).
    public static func randomAutomaton(_ p: Parameters, rng: inout RandomStream) -> Automaton {
        let n = p.states.lowerBound + rng.int(below: p.states.count)
        let a = p.alphabetSize.lowerBound + rng.int(below: p.alphabetSize.count)
        var letters = Array(0..<p.letters); rng.shuffle(&letters)
        let alphabet = Array(letters.prefix(a)).sorted()
        var edges: [[Automaton.Edge]] = []
        for s in 0..<n {
            let k = min(p.edgesPerState.lowerBound + rng.int(below: p.edgesPerState.count), a, n - 1)
            var syms = alphabet; rng.shuffle(&syms)
            var targets = (0..<n).filter { $0 != s }; rng.shuffle(&targets)
            edges.append((0..<k).map { Automaton.Edge(symbol: syms[$0], target: targets[$0]) }.sorted { $0.symbol < $1.symbol })
        }
        return Automaton(edges: edges)
    }

    /// Trim (keep states reachable from 0) and minimise (Moore partition refinement; all states
    /// accepting, missing transitions go to an implicit reject state).
    public static func minimise(_ a: Automaton) -> Automaton {
        var reach = [0]; var seen: Set<Int> = [0]; var q = 0
        while q < reach.count { for e in a.edges[reach[q]] where seen.insert(e.target).inserted { reach.append(e.target) }; q += 1 }
        let states = reach.sorted()
        var cls = Dictionary(uniqueKeysWithValues: states.map { ($0, 0) })
        var classCount = 1
        while true {
            var sigs: [String: Int] = [:]
            var next: [Int: Int] = [:]
            for s in states {
                let sig = "\(cls[s]!)|" + a.edges[s].map { "\($0.symbol):\(cls[$0.target]!)" }.joined(separator: ",")
                if let c = sigs[sig] { next[s] = c } else { sigs[sig] = sigs.count; next[s] = sigs.count - 1 }
            }
            let stable = sigs.count == classCount
            cls = next; classCount = sigs.count
            if stable { break }
        }
        // Renumber classes so the start state's class is 0 (then in order of first state).
        var renum: [Int: Int] = [cls[0]!: 0]
        for s in states where renum[cls[s]!] == nil { renum[cls[s]!] = renum.count }
        var edges = [[Automaton.Edge]](repeating: [], count: classCount)
        var done = Set<Int>()
        for s in states where done.insert(renum[cls[s]!]!).inserted {
            edges[renum[cls[s]!]!] = a.edges[s].map { Automaton.Edge(symbol: $0.symbol, target: renum[cls[$0.target]!]!) }
        }
        return Automaton(edges: edges)
    }

    /// A walk from state 0 choosing uniformly among the outgoing symbols.
    public static func sampleString(_ a: Automaton, length: Int, rng: inout RandomStream) -> [Int] {
        var s = 0
        var out: [Int] = []
        for _ in 0..<length {
            let e = a.edges[s][rng.int(below: a.edges[s].count)]
            out.append(e.symbol); s = e.target
        }
        return out
    }

    public static func sampleInstance(_ a: Automaton, index: Int, _ p: Parameters, rng: inout RandomStream) -> Instance {
        let count = p.stringsPerInstance.lowerBound + rng.int(below: p.stringsPerInstance.count)
        var strings: [[Int]] = []
        var tokens: [Int32] = [], weights: [Float] = []
        for i in 0..<count {
            let len = p.stringLength.lowerBound + rng.int(below: p.stringLength.count)
            let s = sampleString(a, length: len, rng: &rng)
            strings.append(s)
            if i > 0 { tokens.append(p.separator); weights.append(0) }
            for x in s { tokens.append(Int32(x + 1)); weights.append(1) }
        }
        return Instance(automaton: index, strings: strings, tokens: tokens, weights: weights)
    }

    /// The corpus: distinct automata (by canonical key after minimisation) until train + test
    /// exist, shuffled; the first `trainInstances` are the training automata, the rest test
    /// (disjoint); one instance per automaton.
    public static func generate(_ p: Parameters) -> Corpus {
        let root = RandomStream(seed: p.seed, stream: "regbench")
        var gen = root.child("automata")
        var keys = Set<String>()
        var automata: [Automaton] = []
        let total = p.trainInstances + p.testInstances
        var attempts = 0
        while automata.count < total {
            attempts += 1
            precondition(attempts < total * 1000, "cannot find \(total) distinct automata with these parameters")
            let m = minimise(randomAutomaton(p, rng: &gen))
            if keys.insert(m.canonicalKey).inserted { automata.append(m) }
        }
        var shuffler = root.child("split")
        shuffler.shuffle(&automata)
        var strings = root.child("strings")
        let instances = automata.enumerated().map { i, a in sampleInstance(a, index: i, p, rng: &strings) }
        return Corpus(parameters: p, automata: automata,
                      train: Array(instances[..<p.trainInstances]), test: Array(instances[p.trainInstances...]))
    }
}
