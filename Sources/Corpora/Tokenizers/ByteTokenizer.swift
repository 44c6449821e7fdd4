/// Bytes as tokens (ids 0…255), with optional BOS = 256 and EOS = 257 (vocabulary 258).
public struct ByteTokenizer: Sendable, Equatable {
    public static let bos: Int32 = 256
    public static let eos: Int32 = 257
    public var addBOS: Bool
    public var addEOS: Bool
    /// 256 without special tokens, 258 with either.
    public var vocabularySize: Int { addBOS || addEOS ? 258 : 256 }

    public init(bos: Bool = false, eos: Bool = false) { addBOS = bos; addEOS = eos }

    public func encode(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count + 2)
        if addBOS { out.append(Self.bos) }
        for b in text.utf8 { out.append(Int32(b)) }
        if addEOS { out.append(Self.eos) }
        return out
    }

    /// Special tokens are dropped; invalid UTF-8 is repaired with U+FFFD.
    public func decode(_ tokens: [Int32]) -> String {
        String(decoding: tokens.compactMap { $0 >= 0 && $0 < 256 ? UInt8($0) : nil }, as: UTF8.self)
    }
}
