import Testing
@testable import Corpora
import LMCore

@Suite struct SplitTests {
    func docs(_ n: Int) -> [Document] {
        (0..<n).map { Document(text: "document number \($0) about \($0 % 7)", ordinal: $0, source: "s\($0 % 3)") }
    }

    @Test func s1CountsAndMinimum() {
        #expect(SplitRule.s1ValidationCount(96_022) == 4802)
        #expect(SplitRule.s1ValidationCount(5174) == 259)
        #expect(SplitRule.s1ValidationCount(12_014) == 601)
        #expect(SplitRule.s1ValidationCount(1000) == 200)       // the minimum
        #expect(SplitRule.s1ValidationCount(300) == 150)        // never more than half
    }

    @Test(arguments: [SplitRule.s1, .s2])
    func splitsDoNotDependOnReadingOrder(rule: SplitRule) {
        var a = docs(5000)
        rule.apply(&a)
        var b = docs(5000)
        var rng = RandomStream(seed: 7, stream: "test")
        rng.shuffle(&b)
        rule.apply(&b)
        let byKeyA = Dictionary(uniqueKeysWithValues: a.map { ($0.key, $0.split) })
        #expect(b.allSatisfy { byKeyA[$0.key] == $0.split })
        let held = a.filter { $0.split != .train }.count
        if rule == .s1 { #expect(held == 250) } else { #expect(held > 150 && held < 350) }
        // S1: validation = the smallest keys.
        if rule == .s1 {
            let maxV = a.filter { $0.split == .validation }.map(\.key).max()!
            let minT = a.filter { $0.split == .train }.map(\.key).min()!
            #expect(maxV <= minT)
        }
    }

    @Test func s2IsAPureFunctionOfTheKey() {
        var a = docs(2000)
        SplitRule.s2.apply(&a)
        #expect(a.allSatisfy { ($0.key % 10_000 < 500) == ($0.split == .heldOut) })
    }

    @Test func deduplicationKeepsFirstInSourceOrder() {
        let d = [Document(text: "same", ordinal: 5, source: "b"), Document(text: "same", ordinal: 2, source: "a"),
                 Document(text: "other", ordinal: 3, source: "c")]
        let out = deduplicateTexts(d)
        #expect(out.map(\.source) == ["a", "c"])
    }
}
