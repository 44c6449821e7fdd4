import Foundation
import Testing
@testable import Corpora
import LMCore

/// Pre-drawn sequence tables, replay mixtures and paired validation batches.
struct SequenceTableTests {
    let texts = (0..<50).map { "document number \($0) with some words" }

    @Test func tableIsTheStreamInOrderAndBatchesAreShifted() {
        var a = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "d"))
        var b = a
        let t = SequenceTable(count: 6, context: 8, stream: &a)
        let direct = (0..<6).map { _ in b.next(context: 8) }
        #expect(t.bytes == direct.flatMap { $0 })
        let batch = t.batch(step: 1, batchSize: 3)
        #expect(batch.tokens! == direct[3].prefix(8).map(Int32.init) + direct[4].prefix(8).map(Int32.init) + direct[5].prefix(8).map(Int32.init))
        #expect(batch.targets!.prefix(8) == ArraySlice(direct[3].suffix(8).map(Int32.init)))
        // the stream continues where the table stopped, like skip
        var c = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "d"))
        c.skip(6, context: 8)
        #expect(c.next(context: 8) == a.next(context: 8))
    }

    @Test func shuffleIsASeededPermutationWithinBlocks() {
        let new = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "new"))
        let old = ByteStream(texts: ["old text " + String(repeating: "x", count: 40)], rng: RandomStream(seed: 1, stream: "old"))
        var mix = MixedStream.replay(new: new, old: old, fraction: 0.25, rng: RandomStream(seed: 1, stream: "mix"))
        let t = SequenceTable(count: 70, context: 8, mixture: &mix)
        let rng = RandomStream(seed: 1, stream: "batch-order")
        func tagged(_ x: SequenceTable, _ r: Range<Int>) -> [String] {
            r.map { "\(x.sources[$0]):\(Array(x.bytes[($0 * 9)..<(($0 + 1) * 9)]))" }
        }
        // One block: a permutation of all sequences, sources travelling with them.
        let whole = t.shuffled(rng: rng)
        #expect(tagged(whole, 0..<70).sorted() == tagged(t, 0..<70).sorted())
        #expect(whole.bytes != t.bytes)                                   // the order did change
        #expect(whole.bytes == t.shuffled(rng: rng).bytes)                // deterministic in the seed
        // Blocks cut at 20 and 50: each block holds exactly its own sequences (passes stay in order).
        let blocks = t.shuffled(blockStarts: [50, 20], rng: rng)
        for r in [0..<20, 20..<50, 50..<70] { #expect(tagged(blocks, r).sorted() == tagged(t, r).sorted()) }
        #expect(t.shuffled(blockStarts: Array(1..<70), rng: rng).bytes == t.bytes)   // blocks of one
    }

    @Test func replayFractionAndSources() {
        let new = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "new"))
        let old = ByteStream(texts: ["old text " + String(repeating: "x", count: 40)], rng: RandomStream(seed: 1, stream: "old"))
        var mix = MixedStream.replay(new: new, old: old, fraction: 0.25, rng: RandomStream(seed: 1, stream: "mix"))
        let t = SequenceTable(count: 4000, context: 8, mixture: &mix)
        #expect(abs(t.fraction(of: 1) - 0.25) < 3 * (0.25 * 0.75 / 4000).squareRoot())
        var none = MixedStream.replay(new: new, old: old, fraction: 0, rng: RandomStream(seed: 1, stream: "mix"))
        #expect(SequenceTable(count: 100, context: 8, mixture: &none).fraction(of: 1) == 0)
    }

    @Test func validationBatchesKeepWindowOrder() {
        let w = validationWindows(texts: texts, context: 8, count: 4)
        let b = validationBatches(w, batchSize: 2)
        #expect(b.count == 2 && b[1].tokens!.prefix(8) == ArraySlice(w[2].prefix(8).map(Int32.init)))
    }
}
