/// A tokenised document with a loss weight per token: `weights[i]` is the weight of the loss when
/// `tokens[i]` is the *target* (predicted from `tokens[0..<i]`); 0 masks it (metadata, separators).
public struct TokenDocument: Sendable, Equatable {
    public var tokens: [Int32]
    public var weights: [Float]
    public init(tokens: [Int32], weights: [Float]? = nil) {
        self.tokens = tokens
        self.weights = weights ?? [Float](repeating: 1, count: tokens.count)
        precondition(self.weights.count == tokens.count, "one weight per token")
    }
}

/// One training sequence of context C, laid out for a decoder with an optional document mask:
/// position i reads `inputs[i]` and is trained to predict `targets[i]` with weight `weights[i]`.
/// `documentIds[i]` (−1 for padding) says which packed document position i belongs to;
/// `positions[i]` restarts at 0 at every document start.
public struct PackedSequence: Sendable, Equatable {
    public var inputs: [Int32]
    public var targets: [Int32]
    public var weights: [Float]
    public var documentIds: [Int32]
    public var positions: [Int32]
    public var context: Int { inputs.count }

    /// Whether positions i and j (j ≤ i) may attend to each other under document masking.
    public func sameDocument(_ i: Int, _ j: Int) -> Bool { documentIds[i] >= 0 && documentIds[i] == documentIds[j] }
}

public enum Packing {
    /// "Concatenate then cut": documents joined (each followed by `separator` if given, weight
    /// `separatorWeight`), cut into windows of C+1 tokens that advance by C (inputs = first C,
    /// targets = last C). Targets keep their document weights; the stream crosses document
    /// boundaries (attention may too). An incomplete last window is dropped unless `padding` is
    /// given, then it is padded with weight 0. Document ids are indices into `documents`.
    public static func concatenateAndCut(_ documents: [TokenDocument], context: Int, separator: Int32? = nil,
                                         separatorWeight: Float = 1, padding: Int32? = nil) -> [PackedSequence] {
        precondition(context > 0)
        var toks: [Int32] = [], wts: [Float] = [], ids: [Int32] = [], pos: [Int32] = []
        for (d, doc) in documents.enumerated() {
            toks += doc.tokens; wts += doc.weights
            ids += [Int32](repeating: Int32(d), count: doc.tokens.count)
            pos += (0..<doc.tokens.count).map(Int32.init)
            if let s = separator {
                toks.append(s); wts.append(separatorWeight); ids.append(Int32(d)); pos.append(Int32(doc.tokens.count))
            }
        }
        var out: [PackedSequence] = []
        var start = 0
        while start + 1 < toks.count {
            let end = start + context + 1
            if end > toks.count && padding == nil { break }
            var s = PackedSequence(inputs: [], targets: [], weights: [], documentIds: [], positions: [])
            for i in start..<(start + context) {
                let real = i < toks.count
                s.inputs.append(real ? toks[i] : padding!)
                s.documentIds.append(real ? ids[i] : -1)
                s.positions.append(real ? pos[i] : 0)
                if i + 1 < toks.count {
                    s.targets.append(toks[i + 1]); s.weights.append(wts[i + 1])
                } else {
                    s.targets.append(padding ?? 0); s.weights.append(0)
                }
            }
            // Positions restart inside the window only at document starts; a document cut by the
            // window start continues its count (positions are positions within the document).
            out.append(s)
            start += context
        }
        return out
    }

    /// "pack_complete": every sequence starts at a document boundary; documents are appended while
    /// they fit; the document that does not fit is cut at the context end and its remainder dropped
    /// (a document longer than the context is cut the same way); the unfilled rest is padding (input `pad`, weight 0, document id −1). The target of a
    /// document's last token has weight 0 (the next token belongs to another document).
    public static func packComplete(_ documents: [TokenDocument], context: Int, pad: Int32) -> [PackedSequence] {
        precondition(context > 0)
        var out: [PackedSequence] = []
        var cur = PackedSequence(inputs: [], targets: [], weights: [], documentIds: [], positions: [])
        func flush() {
            guard !cur.inputs.isEmpty else { return }
            while cur.inputs.count < context {
                cur.inputs.append(pad); cur.targets.append(pad); cur.weights.append(0)
                cur.documentIds.append(-1); cur.positions.append(0)
            }
            out.append(cur)
            cur = PackedSequence(inputs: [], targets: [], weights: [], documentIds: [], positions: [])
        }
        for (d, doc) in documents.enumerated() where !doc.tokens.isEmpty {
            if cur.inputs.count == context { flush() }
            let room = context - cur.inputs.count
            let n = min(room, doc.tokens.count)
            for i in 0..<n {
                cur.inputs.append(doc.tokens[i])
                cur.documentIds.append(Int32(d))
                cur.positions.append(Int32(i))
                if i + 1 < doc.tokens.count {
                    cur.targets.append(doc.tokens[i + 1]); cur.weights.append(doc.weights[i + 1])
                } else {
                    cur.targets.append(pad); cur.weights.append(0)
                }
            }
            if n < doc.tokens.count || cur.inputs.count == context { flush() }
        }
        flush()
        return out
    }

    /// One document per row, padded (or cut) to `length` (per-batch padding).
    public static func padded(_ doc: TokenDocument, length: Int, pad: Int32, documentId: Int32 = 0) -> PackedSequence {
        packComplete([doc], context: length, pad: pad).first.map { s in
            var s = s; for i in s.documentIds.indices where s.documentIds[i] >= 0 { s.documentIds[i] = documentId }; return s
        } ?? PackedSequence(inputs: [Int32](repeating: pad, count: length), targets: [Int32](repeating: pad, count: length),
                            weights: [Float](repeating: 0, count: length), documentIds: [Int32](repeating: -1, count: length),
                            positions: [Int32](repeating: 0, count: length))
    }
}
