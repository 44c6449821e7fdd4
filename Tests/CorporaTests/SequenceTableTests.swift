import Foundation
import Testing
@testable import Corpora

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
