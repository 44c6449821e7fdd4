import Corpora
import Foundation

/// The closed-form predictors of the paper: the in-context n-gram with backoff (the reference
/// code's `backoff=True, addone=False` rule, drawn as Figure 1's reference lines) and the true
/// next-symbol law of the automaton (uniform over the current state's outgoing symbols).
///
/// Token conventions of `RegBench`: pad `.` = 0, letters 1…L, separator `|` = L+1. The n-gram
/// model's left padding symbol `_` is stored as token 0 (it never occurs inside an instance).
public enum InContextNGram {
    /// Next-symbol distributions over the whole vocabulary after every prefix x_0…x_t of an
    /// instance (t = 0 ..< tokens.count), *as the rule gives them* (they may sum to less than 1;
    /// see `renormalised`). Letters never seen in the prefix, the separator and the pad get 0.
    ///
    /// The rule, for order N and a prefix:
    /// 1. split the prefix on the separator into strings; the last (maybe empty) one is current;
    /// 2. left-pad every string with N−1 pads and count every substring of length 1…N
    ///    ("everygrams"; unigram counts include the pads);
    /// 3. candidates = the letters seen so far; context h = the last N−1 symbols of the padded
    ///    current string;
    /// 4. P_n(a | h) = c_n(h·a) / c_{n−1}(h) if h·a was seen (for n = 1: c_1(a) / Σ c_1);
    ///    otherwise β·P_{n−1}(a | h[1:]) / Σ_{b unseen after h} P_{n−1}(b | h[1:]) with
    ///    β = 1 − Σ_{b seen after h} P_n(b | h), the lower order computed by the same rule.
    public static func distributions(tokens: [Int32], order N: Int, separator: Int32, vocabularySize V: Int) -> [[Double]] {
        precondition(N >= 1, "n-gram order must be ≥ 1")
        var model = Counts(order: N)
        model.startString()
        var seen = [Bool](repeating: false, count: V)
        var out: [[Double]] = []
        out.reserveCapacity(tokens.count)
        for x in tokens {
            precondition(x > 0 && Int(x) < V, "token \(x) is not a letter or the separator of a vocabulary of \(V)")
            if x == separator {
                model.startString()
            } else {
                model.append(x)
                seen[Int(x)] = true
            }
            let candidates = (1..<V).filter { seen[$0] && Int32($0) != separator }.map { Int32($0) }
            let context = Array(model.current.suffix(N - 1))
            let p = model.probabilities(order: N, context: context[...], candidates: candidates)
            var row = [Double](repeating: 0, count: V)
            for (a, q) in zip(candidates, p) { row[Int(a)] = q }
            out.append(row)
        }
        return out
    }

    /// A distribution rescaled to sum 1 (the novelty mass left when every candidate was seen
    /// after the context is spread proportionally); what TVD and likelihoods use.
    public static func renormalised(_ p: [Double]) -> [Double] {
        let s = p.reduce(0, +)
        return s > 0 ? p.map { $0 / s } : p
    }

    /// Everygram counts over the padded strings of a prefix, updated one symbol at a time.
    struct Counts {
        let order: Int
        /// n-gram → count; the key is the n-gram in base 64 behind a leading 1 (so lengths differ).
        var counts: [Int: Int] = [:]
        var unigramTotal = 0
        /// The padded current string.
        var current: [Int32] = []

        init(order: Int) { self.order = order }

        static func key<C: Collection>(_ gram: C) -> Int where C.Element == Int32 {
            var k = 1
            for s in gram { k = k << 6 | Int(s) }
            return k
        }

        func count<C: Collection>(_ gram: C) -> Int where C.Element == Int32 { counts[Self.key(gram)] ?? 0 }

        mutating func startString() {
            current = []
            for _ in 0..<(order - 1) { append(0) }
        }

        /// Appends a symbol to the current string and counts the n-grams that end on it.
        mutating func append(_ s: Int32) {
            current.append(s)
            let p = current.count - 1
            for n in 1...order where n <= p + 1 {
                counts[Self.key(current[(p - n + 1)...p]), default: 0] += 1
            }
            unigramTotal += 1
        }

        /// P_n(a | context) for every candidate, context of length n−1.
        func probabilities(order n: Int, context: ArraySlice<Int32>, candidates: [Int32]) -> [Double] {
            if n == 1 {
                return candidates.map { Double(count([$0])) / Double(unigramTotal) }
            }
            let ch = count(context)
            precondition(ch > 0, "the context of an n-gram query is always part of the counted current string")
            var p = [Double](repeating: 0, count: candidates.count)
            var seenMass = 0
            var unseen: [Int] = []
            var gram = Array(context) + [0]
            for (i, a) in candidates.enumerated() {
                gram[gram.count - 1] = a
                let c = count(gram)
                if c > 0 { p[i] = Double(c) / Double(ch); seenMass += c } else { unseen.append(i) }
            }
            guard !unseen.isEmpty else { return p }
            // β > 0: c_{n−1}(h) also counts occurrences of h with no continuation (the current one).
            precondition(ch > seenMass, "backoff mass must be positive")
            let beta = Double(ch - seenMass) / Double(ch)
            let lower = probabilities(order: n - 1, context: context.dropFirst(), candidates: candidates)
            let z = unseen.reduce(0.0) { $0 + lower[$1] }
            for i in unseen { p[i] = beta * lower[i] / z }
            return p
        }
    }
}

/// The true next-symbol law of an instance: after each prefix, uniform over the outgoing symbols
/// of the automaton state reached by the current string (state 0 after a separator).
public enum TrueDistribution {
    /// For every prefix x_0…x_t: the valid next letters (token ids) under the automaton.
    public static func validNext(tokens: [Int32], automaton a: RegBench.Automaton, separator: Int32) -> [[Int32]] {
        var state = 0
        var out: [[Int32]] = []
        out.reserveCapacity(tokens.count)
        for x in tokens {
            if x == separator {
                state = 0
            } else {
                guard let next = a.step(state, Int(x) - 1) else {
                    preconditionFailure("the instance leaves its automaton at token \(x)")
                }
                state = next
            }
            out.append(a.nextSymbols(state).map { Int32($0 + 1) })
        }
        return out
    }
}

/// The two metrics of the paper, pooled over every scored position of every instance.
///
/// A position is scored when its target (the next token) is a letter: separator targets are
/// unpredictable when every state accepts, and padding is no target.
public struct ICLScore: Sendable, Equatable {
    /// Greedy next-symbol validity: the arg-max token (ties: lowest id) is a valid transition.
    public var correct = 0
    /// Σ over positions of ½‖p − p_true‖₁ (p over the full vocabulary).
    public var tvdSum = 0.0
    public var positions = 0

    public init() {}

    public var accuracy: Double { positions > 0 ? Double(correct) / Double(positions) : .nan }
    public var tvd: Double { positions > 0 ? tvdSum / Double(positions) : .nan }

    /// Adds one position: `argmaxFrom` decides accuracy, `tvdFrom` (a distribution summing 1)
    /// the distance to the uniform law over `valid`.
    public mutating func add(argmaxFrom scores: [Double], tvdFrom p: [Double], valid: [Int32]) {
        let best = ICLScore.argmax(scores)
        if valid.contains(Int32(best)) { correct += 1 }
        tvdSum += ICLScore.tvd(p, valid: valid)
        positions += 1
    }

    public static func argmax(_ v: [Double]) -> Int {
        var best = 0
        for i in v.indices where v[i] > v[best] { best = i }
        return best
    }

    /// ½‖p − uniform(valid)‖₁ over the vocabulary.
    public static func tvd(_ p: [Double], valid: [Int32]) -> Double {
        let q = 1 / Double(valid.count)
        var d = 0.0
        for (i, pi) in p.enumerated() { d += abs(pi - (valid.contains(Int32(i)) ? q : 0)) }
        return d / 2
    }

    /// ½‖p − q‖₁.
    public static func tvd(_ p: [Double], _ q: [Double]) -> Double {
        zip(p, q).reduce(0) { $0 + abs($1.0 - $1.1) } / 2
    }

    public static func + (a: ICLScore, b: ICLScore) -> ICLScore {
        var s = a; s.correct += b.correct; s.tvdSum += b.tvdSum; s.positions += b.positions; return s
    }
}

/// Scores the in-context n-gram baselines on a set of instances.
public enum BaselineScores {
    /// Accuracy (raw arg-max) and TVD (renormalised) of the order-N baseline on the instances.
    public static func score(_ instances: [RegBench.Instance], automata: [RegBench.Automaton], order: Int,
                             parameters p: RegBench.Parameters) -> ICLScore {
        var total = ICLScore()
        for inst in instances {
            let d = InContextNGram.distributions(tokens: inst.tokens, order: order, separator: p.separator, vocabularySize: p.vocabularySize)
            let valid = TrueDistribution.validNext(tokens: inst.tokens, automaton: automata[inst.automaton], separator: p.separator)
            for t in 0..<(inst.tokens.count - 1) where inst.tokens[t + 1] != p.separator {
                total.add(argmaxFrom: d[t], tvdFrom: InContextNGram.renormalised(d[t]), valid: valid[t])
            }
        }
        return total
    }
}
