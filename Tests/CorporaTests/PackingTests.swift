import Testing
@testable import Corpora
import LMCore

@Suite struct PackingTests {
    func docs() -> [TokenDocument] {
        var rng = RandomStream(seed: 1, stream: "pack")
        return (0..<40).map { d in
            let n = 1 + rng.int(below: 30)
            let toks = (0..<n).map { _ in Int32(3 + rng.int(below: 50)) }
            let w = (0..<n).map { i -> Float in i < 2 ? 0 : 1 }       // e.g. masked metadata
            return TokenDocument(tokens: toks, weights: w)
        }
    }

    @Test func byteTokenizer() {
        let t = ByteTokenizer(bos: true, eos: true)
        #expect(t.vocabularySize == 258 && ByteTokenizer().vocabularySize == 256)
        let ids = t.encode("hé")
        #expect(ids == [256, 104, 195, 169, 257])
        #expect(t.decode(ids) == "hé")
    }

    @Test func concatenateAndCutInvariants() {
        let d = docs()
        let C = 16
        let seqs = Packing.concatenateAndCut(d, context: C, separator: 1, separatorWeight: 1)
        let stream: [Int32] = d.flatMap { (x: TokenDocument) -> [Int32] in x.tokens + [Int32(1)] }
        #expect(seqs.count == (stream.count - 1) / C)
        for (i, s) in seqs.enumerated() {
            #expect(s.inputs.count == C && s.targets.count == C && s.weights.count == C)
            let lo: Int = i * C
            let want: [Int32] = Array(stream[lo..<(lo + C)])
            let wantTargets: [Int32] = Array(stream[(lo + 1)..<(lo + C + 1)])
            #expect(s.inputs == want)
            #expect(s.targets == wantTargets)
            for j in 1..<C where s.documentIds[j] != s.documentIds[j - 1] {
                #expect(s.positions[j] == 0)                                       // restart at a boundary
                #expect(s.inputs[j - 1] == 1)                                      // after the separator
            }
            for j in 1..<C where s.documentIds[j] == s.documentIds[j - 1] { #expect(s.positions[j] == s.positions[j - 1] + 1) }
        }
        let padded = Packing.concatenateAndCut(d, context: C, separator: 1, padding: 0)
        #expect(padded.count == seqs.count + ((stream.count - 1) % C == 0 ? 0 : 1))
        #expect(padded.last!.weights.last == 0)
        #expect(padded.allSatisfy { s in zip(s.documentIds, s.weights).allSatisfy { $0.0 >= 0 || $0.1 == 0 } })
    }

    @Test func packCompleteInvariants() {
        let d = docs()
        let C = 24
        let seqs = Packing.packComplete(d, context: C, pad: 0)
        var seenStarts = Set<Int32>()
        for s in seqs {
            #expect(s.inputs.count == C)
            #expect(s.positions[0] == 0 && s.documentIds[0] >= 0)                 // starts at a boundary
            for j in 0..<C {
                let id = s.documentIds[j]
                if id < 0 { #expect(s.weights[j] == 0 && s.inputs[j] == 0); continue }
                let doc = d[Int(id)]
                let p = Int(s.positions[j])
                #expect(doc.tokens[p] == s.inputs[j])
                if p + 1 < doc.tokens.count {
                    #expect(s.targets[j] == doc.tokens[p + 1] && s.weights[j] == doc.weights[p + 1])
                } else {
                    #expect(s.weights[j] == 0)                                    // no cross-document target
                }
                if p == 0 { #expect(seenStarts.insert(id).inserted) }              // every document starts once
                if j > 0 && s.documentIds[j - 1] == id { #expect(s.positions[j - 1] + 1 == s.positions[j]) }
            }
            // Padding only at the end.
            if let firstPad = s.documentIds.firstIndex(of: -1) { #expect(s.documentIds[firstPad...].allSatisfy { $0 == -1 }) }
        }
        #expect(seenStarts.count == d.count)
        // Masked metadata targets stay masked.
        #expect(seqs[0].weights[0] == 0 && seqs[0].weights[1] == (d[0].tokens.count > 2 ? 1 : 0))
    }

    @Test func sameDocumentMask() {
        let s = Packing.packComplete([TokenDocument(tokens: [5, 6]), TokenDocument(tokens: [7, 8, 9])], context: 8, pad: 0)[0]
        #expect(s.documentIds == [0, 0, 1, 1, 1, -1, -1, -1])
        #expect(s.positions == [0, 1, 0, 1, 2, 0, 0, 0])
        #expect(s.sameDocument(1, 0) && !s.sameDocument(2, 1) && !s.sameDocument(6, 5))
        #expect(s.weights == [1, 0, 1, 1, 0, 0, 0, 0])
        let padded = Packing.padded(TokenDocument(tokens: [1, 9, 2], weights: [1, 0, 1]), length: 5, pad: 0)
        #expect(padded.targets == [9, 2, 0, 0, 0] && padded.weights == [0, 1, 0, 0, 0])
    }

    @Test func byteStreamsAreSeededAndWindowsFixed() {
        let texts = (0..<50).map { "document \($0) " + String(repeating: "x", count: $0 % 13) }
        var a = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "data"))
        var b = ByteStream(texts: texts, rng: RandomStream(seed: 1, stream: "data"))
        var c = ByteStream(texts: texts, rng: RandomStream(seed: 2, stream: "data"))
        var sa: [[UInt8]] = [], sb: [[UInt8]] = [], sc: [[UInt8]] = []
        for _ in 0..<200 { sa.append(a.next(context: 64)); sb.append(b.next(context: 64)); sc.append(c.next(context: 64)) }
        #expect(sa == sb && sa != sc)
        #expect(a.epoch > 1)                                                    // wrapped into later epochs
        for i in 1..<sa.count { #expect(sa[i - 1].last == sa[i].first) }       // advance by C: overlap of one byte
        let w = validationWindows(texts: texts, context: 16, count: 10)
        #expect(w.count == 10 && w.allSatisfy { $0.count == 17 })
        #expect(w == validationWindows(texts: texts, context: 16, count: 10))
        #expect(String(decoding: w[0], as: UTF8.self) == "document 0 \n\ndocu")
        var mixed = MixedStream(streams: [a, c], weights: [0.9, 0.1], rng: RandomStream(seed: 1, stream: "mix"))
        for _ in 0..<1000 { _ = mixed.next(context: 8) }
        #expect(mixed.drawn[0] > 850 && mixed.drawn[0] < 950)
    }
}
