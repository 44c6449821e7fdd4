import Corpora
import Foundation
import LMCore

/// The training data of one arm, laid out in advance so that the batch of a step is a pure
/// function of the step (bit-identical resume):
///
/// - stage 1, steps [0, c·S): documents of pool A, metadata-conditioned (MeCo) or plain (standard),
///   optionally with a share of plain documents mixed in per document (the MIX arm);
/// - stage 2, the cooldown, steps [c·S, S): plain documents of pool B, a pool disjoint from A.
///
/// Sequences are packed "pack_complete" (each starts at a document boundary; the last document
/// is cut at the context end and its rest dropped; the unfilled tail is padding of weight 0).
struct TwoStageData {
    let stage1: [PackedSequence]
    let stage2: [PackedSequence]
    let cooldownStart: Int
    let totalSteps: Int
    let batchSize: Int
    let documentMask: Bool
    /// Pool A / pool B documents actually packed (for the disjointness check).
    let poolA: [MarkovMixture.Document]
    let poolB: [MarkovMixture.Document]

    init(config c: ArmConfig, generator g: MarkovMixture.Generator, writer: MetadataWriter?, seed: Int) {
        totalSteps = c.steps
        batchSize = c.batch
        documentMask = c.documentMask
        cooldownStart = Int((Double(c.steps) * c.stage1Fraction).rounded())
        let context = c.model.contextLength
        let pad = g.parameters.pad
        let mixRNG = RandomStream(seed: UInt64(seed), stream: "data").child("mix")
        /// Pack documents of one pool until `sequences` sequences are full.
        func build(pool: String, sequences: Int, layout: (Int, MarkovMixture.Document) -> TokenDocument) -> ([PackedSequence], [MarkovMixture.Document]) {
            guard sequences > 0 else { return ([], []) }
            let meanTokens = Double(g.parameters.documentLength.lowerBound + g.parameters.documentLength.upperBound) / 2 + 2
            var count = Int(Double(sequences) * (Double(context) / meanTokens + 1.5)) + 8
            while true {
                let docs = g.trainingDocuments(count: count, runSeed: UInt64(seed), pool: pool)
                let packed = Packing.packComplete(docs.enumerated().map { layout($0.offset, $0.element) }, context: context, pad: pad)
                if packed.count >= sequences {
                    let used = Int(packed[sequences - 1].documentIds.max()!) + 1
                    return (Array(packed.prefix(sequences)), Array(docs.prefix(used)))
                }
                count = count * 3 / 2 + 8
            }
        }
        let plain: (Int, MarkovMixture.Document) -> TokenDocument = { g.tokens($1) }
        let first: (Int, MarkovMixture.Document) -> TokenDocument
        if let writer {
            first = { i, d in
                if c.plainMix > 0 { var r = mixRNG.child(i); if r.uniformDouble() < c.plainMix { return g.tokens(d) } }
                return writer.conditioned(d, maskMetadata: c.maskMetadata)
            }
        } else {
            first = plain
        }
        (stage1, poolA) = build(pool: "A", sequences: cooldownStart * c.batch, layout: first)
        (stage2, poolB) = build(pool: "B", sequences: (c.steps - cooldownStart) * c.batch, layout: plain)
    }

    func sequences(step: Int) -> ArraySlice<PackedSequence> {
        step < cooldownStart
            ? stage1[(step * batchSize)..<((step + 1) * batchSize)]
            : stage2[((step - cooldownStart) * batchSize)..<((step - cooldownStart + 1) * batchSize)]
    }

    func batch(step: Int) -> Batch {
        Self.batch(sequences(step: step), documentMask: documentMask)
    }

    static func batch<S: Collection>(_ seqs: S, documentMask: Bool) -> Batch where S.Element == PackedSequence {
        let t = seqs.first!.context
        var tok: [Int32] = [], tgt: [Int32] = [], w: [Float] = [], pos: [Int32] = [], doc: [Int32] = []
        tok.reserveCapacity(seqs.count * t)
        for s in seqs { tok += s.inputs; tgt += s.targets; w += s.weights; pos += s.positions; doc += s.documentIds }
        // Cross-document attention (XDOC) uses plain positions 0..<T over the whole packed sequence.
        return Batch(batchSize: seqs.count, seqLen: t, tokens: tok, targets: tgt, weights: w,
                     positions: documentMask ? pos : nil, documents: documentMask ? doc : nil)
    }

    var allSequences: [PackedSequence] { stage1 + stage2 }
}

/// The method checks M-D1…M-D3, measured on the data an arm actually trains on.
enum DataChecks {
    /// M-D1: on conditioned sequences the loss-bearing targets are exactly the document tokens and
    /// EOS. Returns (violations, fraction of first document tokens that are targets).
    static func mask(_ seqs: [PackedSequence], parameters p: MarkovMixture.Parameters) -> (violations: Int, firstTokenTargets: Double) {
        var violations = 0, firsts = 0, firstTargets = 0
        for s in seqs {
            for i in 0..<s.context where s.documentIds[i] >= 0 {
                let target = s.targets[i]
                let nextInSameDoc = i + 1 < s.context ? s.documentIds[i + 1] == s.documentIds[i] : true
                let input = s.inputs[i]
                let isContent = Int(target) < p.contentTokens
                let isMeta = Int(target) >= p.metadataBase && Int(target) < p.metadataBase + p.metadataSymbols
                let expected: Float
                if input == p.eos { expected = 0 }                                  // after EOS: next document / padding
                else if isContent || target == p.eos { expected = nextInSameDoc || i + 1 == s.context ? 1 : 0 }
                else if isMeta || target == p.sep || target == p.bos { expected = 0 }
                else { expected = 0 }
                if s.weights[i] != expected { violations += 1 }
                if (input == p.sep || input == p.bos) && isContent {
                    firsts += 1
                    if s.weights[i] == 1 { firstTargets += 1 }
                }
            }
        }
        return (violations, firsts > 0 ? Double(firstTargets) / Double(firsts) : .nan)
    }

    /// M-D3: fraction of sequences whose first input is the BOS of a document (position 0).
    static func bosStart(_ seqs: [PackedSequence], parameters p: MarkovMixture.Parameters) -> Double {
        Double(seqs.filter { $0.inputs.first == p.bos && $0.positions.first == 0 && $0.documentIds.first! >= 0 }.count) / Double(max(seqs.count, 1))
    }

    /// M-D2: documents of pool B whose content also occurs in pool A.
    static func overlap(_ a: [MarkovMixture.Document], _ b: [MarkovMixture.Document]) -> Int {
        let set = Set(a.map(\.content))
        return b.filter { set.contains($0.content) }.count
    }

    /// M-D2: the first step whose batch, and every later one, carries no metadata symbol.
    static func firstPlainStep(_ data: TwoStageData, parameters p: MarkovMixture.Parameters) -> Int {
        var first = data.totalSteps
        for step in stride(from: data.totalSteps - 1, through: 0, by: -1) {
            let hasMeta = data.sequences(step: step).contains { s in
                s.inputs.contains { Int($0) >= p.metadataBase && Int($0) < p.metadataBase + p.metadataSymbols }
            }
            if hasMeta { break }
            first = step
        }
        return first
    }
}
