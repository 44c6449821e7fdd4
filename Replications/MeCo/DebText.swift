import Corpora
import Foundation
import Harness
import LMCore

/// The real-text part (DEB): Debian text collections as bytes, each document's source key playing
/// the URL domain, written as `URL: <source>.<collection>\n\n` (masked from the loss).
struct DebConfig: Codable {
    /// (corpus name, collection written in the metadata).
    var collections: [[String]] = [["GCIDE-1L", "gcide"], ["FOLDOC-CAT", "foldoc"], ["JARGON", "jargon"],
                                   ["FORTUNES", "fortune"], ["WORDNET", "wordnet"]]
    var model: GPTConfig
    var batch: Int
    var steps: Int
    var peakLR: Float
    var warmupFraction: Double = 0.05
    var floorFraction: Float = 0.1
    var weightDecay: Float = 0.033
    var conditioned: Bool
    var stage1Fraction: Double
    var evalDocuments: Int
    /// Held-out documents are cut to this many bytes (so that every layout fits the context).
    var evalBytes: Int
    var checkpointEvery: Int = 0

    var schedule: LRSchedule {
        let w = Int((Double(steps) * warmupFraction).rounded())
        return .warmupCosine(peak: peakLR, floor: peakLR * floorFraction, warmup: w, total: steps)
    }
}

enum DebText {
    struct Doc { var bytes: [Int32]; var source: String; var collection: String }

    static let pad: Int32 = 0

    static func load(_ c: DebConfig) throws -> (train: [Doc], heldOut: [Doc]) {
        let store = try DatasetStore.standard()
        var train: [Doc] = [], held: [Doc] = []
        for pair in c.collections {
            let corpus = try store.corpus(pair[0])
            for d in corpus.train { train.append(Doc(bytes: d.text.utf8.map { Int32($0) }, source: d.source, collection: pair[1])) }
            for d in corpus.evaluation { held.append(Doc(bytes: d.text.utf8.map { Int32($0) }, source: d.source, collection: pair[1])) }
        }
        return (train, held)
    }

    static func layout(_ d: Doc, metadataOf source: Doc? = nil, conditioned: Bool, maxBytes: Int? = nil) -> TokenDocument {
        let body = maxBytes.map { Array(d.bytes.prefix($0)) } ?? d.bytes
        var t: [Int32] = [ByteTokenizer.bos], w: [Float] = [0]
        if conditioned {
            let m = source ?? d
            for b in debMetadata(source: m.source, collection: m.collection).utf8 { t.append(Int32(b)); w.append(0) }
        }
        t += body; w += [Float](repeating: 1, count: body.count)
        t.append(ByteTokenizer.eos); w.append(1)
        return TokenDocument(tokens: t, weights: w)
    }

    static func run(_ c: DebConfig, context: RunContext) throws {
        let (trainDocs, heldDocs) = try load(c)
        // Pools A (stage 1) and B (cooldown): disjoint halves of a seeded shuffle of the training split.
        var order = Array(trainDocs.indices)
        var rng = context.random("data").child("deb-pools")
        rng.shuffle(&order)
        let half = order.count / 2
        let poolA = order[..<half].map { trainDocs[$0] }, poolB = order[half...].map { trainDocs[$0] }
        let cooldownStart = Int((Double(c.steps) * c.stage1Fraction).rounded())
        let ctx = c.model.contextLength
        func pack(_ pool: [Doc], sequences: Int, conditioned: Bool) -> [PackedSequence] {
            guard sequences > 0 else { return [] }
            var out: [PackedSequence] = []
            var start = 0
            while out.count < sequences {
                precondition(start < pool.count, "the DEB pool is too small for \(c.steps) steps")
                let chunk = pool[start..<min(start + 4 * sequences, pool.count)]
                out += Packing.packComplete(chunk.map { layout($0, conditioned: conditioned) }, context: ctx, pad: pad)
                start += chunk.count
            }
            return Array(out.prefix(sequences))
        }
        let stage1 = pack(poolA, sequences: cooldownStart * c.batch, conditioned: c.conditioned)
        let stage2 = pack(poolB, sequences: (c.steps - cooldownStart) * c.batch, conditioned: false)
        context.measure("bos_start_fraction", Double((stage1 + stage2).filter { $0.inputs.first == ByteTokenizer.bos }.count) / Double(stage1.count + stage2.count))

        // Held-out: a fixed sample of the evaluation split, each with a wrong source (another key).
        var erng = RandomStream(seed: 0, stream: "eval").child("deb")
        var heldIdx = Array(heldDocs.indices); erng.shuffle(&heldIdx)
        let held = heldIdx.prefix(c.evalDocuments).map { heldDocs[$0] }
        let keys = Array(Set(trainDocs.map { "\($0.collection)/\($0.source)" })).sorted()
        let representative = Dictionary(trainDocs.map { ("\($0.collection)/\($0.source)", $0) }, uniquingKeysWith: { a, _ in a })
        let wrong = held.map { d -> Doc in
            let own = "\(d.collection)/\(d.source)"
            let others = keys.filter { $0 != own }
            return representative[others[erng.int(below: others.count)]]!
        }
        let maxBytes = c.evalBytes
        func losses(_ model: GPT, _ mode: HeldOutEvaluator.Prefix) -> LossSummary {
            let layouts = zip(held, wrong).map { d, w in
                layout(d, metadataOf: mode == .wrong ? w : nil, conditioned: mode != .none, maxBytes: maxBytes)
            }
            let lengths = held.map { min($0.bytes.count, maxBytes) }
            return LossSummary(HeldOutEvaluator.documentLosses(model, layouts, contentLengths: lengths, pad: pad, rows: 16), withEOS: true)
        }

        let model = GPT(c.model, seed: UInt64(context.seed))
        let optimizer = AdamW(model.parameters, config: .init(beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: c.weightDecay, clip: 1.0))
        func batch(_ step: Int) -> Batch {
            let s = step < cooldownStart ? stage1[(step * c.batch)..<((step + 1) * c.batch)]
                : stage2[((step - cooldownStart) * c.batch)..<((step - cooldownStart + 1) * c.batch)]
            return TwoStageData.batch(s, documentMask: true)
        }
        let phase = context.trainingPhase(
            steps: c.steps, schedule: c.schedule, evalSteps: c.conditioned && cooldownStart < c.steps ? [cooldownStart] : [],
            checkpointEvery: c.checkpointEvery, logEvery: 10,
            probes: { _ in ["pre_lu": losses(model, .none).overall, "pre_lc": losses(model, .truth).overall] })
        let trained = try context.train(phase, model: model, optimizer: optimizer, recordLog: false, batch: batch)
        for (name, points) in trained.log.series {
            for pt in points {
                if name.hasPrefix("pre_") { context.measure(name, pt.value) } else { context.log(name, step: pt.step, value: pt.value) }
            }
        }
        context.measure("lu", losses(model, .none).overall)
        context.measure("lc", losses(model, .truth).overall)
        context.measure("lw", losses(model, .wrong).overall)
    }
}

/// The metadata string of a DEB document: `URL: <source>.<collection>\n\n`, the source lower-cased, a
/// trailing period dropped, spaces and periods inside it replaced by `-`.
func debMetadata(source: String, collection: String) -> String {
    var s = source.lowercased()
    if s.hasSuffix(".") { s.removeLast() }
    s = String(s.map { $0 == " " || $0 == "." ? "-" : $0 })
    return "URL: \(s).\(collection)\n\n"
}
