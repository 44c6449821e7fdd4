import Foundation
import Corpora
import LMCore

/// One entry of the domain pool (the "KenLM-selected RefinedWeb" analogue).
struct PoolEntry: Sendable, Equatable {
    var text: String
    var key: UInt64
    /// From GCIDE-M (carries a medical label); otherwise an off-target specialist entry (GCIDE-N).
    var medical: Bool
    var bytes: Int { text.utf8.count }
}

/// The byte-trigram language model that stands in for Guo's KenLM filter: trained on the
/// reference corpus, it scores every pool entry by its mean negative log-likelihood per byte;
/// the lowest-scoring entries form the high-quality subset (Strategy II).
///
/// p(c | a, b) = (n(a, b, c) + k) / (n(a, b, ·) + 256·k) with add-k smoothing over the 256 byte
/// values; every text starts with two padding symbols (index 256), so the first byte is scored
/// in the context (pad, pad) and the second in (pad, b₀).
struct ByteTrigramModel: Sendable {
    static let pad = 256
    let k: Double
    private(set) var counts: [Int: UInt32] = [:]
    private(set) var contextTotals: [UInt32]

    init(texts: [String], k: Double) {
        precondition(k > 0, "add-k smoothing needs k > 0")
        self.k = k
        contextTotals = [UInt32](repeating: 0, count: 257 * 257)
        for t in texts {
            var a = Self.pad, b = Self.pad
            for c in t.utf8 {
                let ctx = a * 257 + b
                counts[ctx * 256 + Int(c), default: 0] += 1
                contextTotals[ctx] += 1
                a = b; b = Int(c)
            }
        }
    }

    /// Mean negative log-likelihood per byte (nats); +∞ for an empty text.
    func meanNLL(_ text: String) -> Double {
        var a = Self.pad, b = Self.pad, total = 0.0, n = 0
        let denomK = 256 * k
        for c in text.utf8 {
            let ctx = a * 257 + b
            let num = Double(counts[ctx * 256 + Int(c)] ?? 0) + k
            total -= log(num / (Double(contextTotals[ctx]) + denomK))
            n += 1
            a = b; b = Int(c)
        }
        return n == 0 ? .infinity : total / Double(n)
    }
}

/// The data of the miniature (README) that depend only on the corpora: the domain pool, the reference corpus,
/// and the two subsets of Strategies I and II.
struct DomainData: Sendable {
    /// (GCIDE-M train minus the reference corpus) ∪ GCIDE-N train, in key order.
    let pool: [PoolEntry]
    /// The first `Design.referenceEntries` GCIDE-M training entries in key order.
    let reference: [String]

    init(medicalTrain: [Document], specialistTrain: [Document], referenceCount: Int = Design.referenceEntries) {
        let m = medicalTrain.sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) }
        precondition(m.count > referenceCount, "GCIDE-M has only \(m.count) training entries; the reference corpus needs \(referenceCount)")
        reference = m.prefix(referenceCount).map(\.text)
        let entries = m.dropFirst(referenceCount).map { PoolEntry(text: $0.text, key: $0.key, medical: true) }
            + specialistTrain.map { PoolEntry(text: $0.text, key: $0.key, medical: false) }
        pool = entries.sorted { ($0.key, $0.medical ? 0 : 1, $0.text) < ($1.key, $1.medical ? 0 : 1, $1.text) }
    }

    /// Entries taken in `order` until their total size reaches `budget` bytes.
    static func take(_ entries: [PoolEntry], budget: Int) -> [PoolEntry] {
        var out: [PoolEntry] = [], total = 0
        for e in entries {
            if total >= budget { break }
            out.append(e); total += e.bytes
        }
        return out
    }

    /// Strategy II: the pool sorted by trigram score (ascending, ties by key), up to `budget` bytes.
    func highQualitySubset(budget: Int, k: Double = Design.trigramK) -> [PoolEntry] {
        let model = ByteTrigramModel(texts: reference, k: k)
        let scored = pool.map { (entry: $0, score: model.meanNLL($0.text)) }
            .sorted { ($0.score, $0.entry.key) < ($1.score, $1.entry.key) }
        return Self.take(scored.map(\.entry), budget: budget)
    }

    /// Strategy I: the pool in seeded random order, up to `budget` bytes.
    func randomSubset(budget: Int, rng: RandomStream) -> [PoolEntry] {
        var order = Array(pool.indices)
        var r = rng
        r.shuffle(&order)
        return Self.take(order.map { pool[$0] }, budget: budget)
    }

    static func medicalFraction(_ entries: [PoolEntry]) -> Double {
        entries.isEmpty ? 0 : Double(entries.filter(\.medical).count) / Double(entries.count)
    }
}

/// One quiz evaluation item: `"\n" + "Q: <headword> means? A: "` and exactly 30 answer bytes.
struct QuizItem: Sendable, Equatable {
    var headword: String
    var prompt: [UInt8]
    var answer: [UInt8]
    var bytes: [UInt8] { prompt + answer }

    static let marker = " means? A: "

    /// Parse `Q: <headword> means? A: <answer>`; nil if the line is not a quiz line, its answer is
    /// shorter than `answerBytes` (the design scores "the 30 answer bytes"; its ≈230 usable medQ
    /// items are the validation lines with at least 30), or the item does not fit `maxBytes`
    /// (prefix "\n" included).
    init?(quizLine: String, answerBytes: Int = Design.answerBytes, maxBytes: Int = Design.maxItemBytes) {
        guard quizLine.hasPrefix("Q: "), let r = quizLine.range(of: Self.marker) else { return nil }
        headword = String(quizLine[quizLine.index(quizLine.startIndex, offsetBy: 3)..<r.lowerBound])
        prompt = Array(("\nQ: " + headword + Self.marker).utf8)
        answer = Array(Array(quizLine[r.upperBound...].utf8).prefix(answerBytes))
        guard !headword.isEmpty, answer.count == answerBytes, prompt.count + answer.count <= maxBytes else { return nil }
    }

    /// The items of a list of quiz lines (in the given order) that fit, at most `limit`.
    static func items(_ lines: [String], limit: Int? = nil) -> [QuizItem] {
        var out: [QuizItem] = []
        for l in lines {
            if let limit, out.count >= limit { break }
            if let item = QuizItem(quizLine: l) { out.append(item) }
        }
        return out
    }
}

/// Scoring rows (prompt, answer) with the loss on the answer bytes only.
enum QuizBatches {
    /// Rows laid out from position 0 (inputs = bytes[0..<L−1], targets = bytes[1..<L]), padded
    /// with weight 0 to the context; weight 1 exactly on the targets that are answer bytes. The
    /// last batch is filled with rows of weight 0.
    static func batches(_ rows: [(prompt: [UInt8], answer: [UInt8])], context c: Int, batchSize b: Int) -> [Batch] {
        var out: [Batch] = []
        var start = 0
        while start < rows.count {
            var tokens = [Int32](repeating: 0, count: b * c), targets = [Int32](repeating: 0, count: b * c)
            var weights = [Float](repeating: 0, count: b * c)
            for r in 0..<min(b, rows.count - start) {
                let row = rows[start + r]
                let s = row.prompt + row.answer
                precondition(s.count <= c + 1 && row.prompt.count >= 1, "a quiz row of \(s.count) bytes does not fit context \(c)")
                for i in 0..<(s.count - 1) {
                    tokens[r * c + i] = Int32(s[i]); targets[r * c + i] = Int32(s[i + 1])
                    if i + 1 >= row.prompt.count { weights[r * c + i] = 1 }
                }
            }
            out.append(Batch(batchSize: b, seqLen: c, tokens: tokens, targets: targets, weights: weights))
            start += b
        }
        return out
    }

    /// Mean NLL per answer byte of every row (teacher forced), in row order.
    static func rowLosses(_ model: GPT, rows: [(prompt: [UInt8], answer: [UInt8])], context c: Int, batchSize b: Int) -> [Double] {
        var out: [Double] = []
        for (k, batch) in batches(rows, context: c, batchSize: b).enumerated() {
            model.forward(batch)
            let losses = model.positionLosses
            for r in 0..<min(b, rows.count - k * b) {
                var sum = 0.0, n = 0.0
                for i in 0..<c where batch.weights[r * c + i] > 0 { sum += Double(losses[r * c + i]); n += 1 }
                out.append(sum / n)
            }
        }
        return out
    }
}

/// The report-only 4-way multiple choice on the quiz items: candidates are the true answer and
/// three answers of other items of the same set (seeded); raw = lowest mean NLL given the prompt,
/// PMI = lowest NLL given the prompt minus NLL given the bare prefix `"\nA: "`.
struct MultipleChoice: Sendable {
    /// Per item: candidate item indices, the true one first.
    let candidates: [[Int]]

    init(items: Int, choices: Int = Design.choices, rng: RandomStream) {
        precondition(items >= choices, "multiple choice needs at least \(choices) items")
        var r = rng
        candidates = (0..<items).map { i in
            var picked = [i]
            while picked.count < choices {
                let j = r.int(below: items)
                if !picked.contains(j) { picked.append(j) }
            }
            return picked
        }
    }

    static let barePrefix = Array("\nA: ".utf8)

    /// (raw accuracy, PMI accuracy). Ties count against the true answer.
    func accuracy(_ model: GPT, items: [QuizItem], context c: Int, batchSize b: Int) -> (raw: Double, pmi: Double) {
        var rows: [(prompt: [UInt8], answer: [UInt8])] = []
        for (i, cands) in candidates.enumerated() { for j in cands { rows.append((items[i].prompt, items[j].answer)) } }
        let given = QuizBatches.rowLosses(model, rows: rows, context: c, batchSize: b)
        let bare = QuizBatches.rowLosses(model, rows: items.map { (Self.barePrefix, $0.answer) }, context: c, batchSize: b)
        var raw = 0, pmi = 0
        for (i, cands) in candidates.enumerated() {
            let g = Array(given[(i * cands.count)..<((i + 1) * cands.count)])
            let p = zip(g, cands).map { $0 - bare[$1] }
            if g.dropFirst().allSatisfy({ $0 > g[0] }) { raw += 1 }
            if p.dropFirst().allSatisfy({ $0 > p[0] }) { pmi += 1 }
        }
        return (Double(raw) / Double(items.count), Double(pmi) / Double(items.count))
    }
}
