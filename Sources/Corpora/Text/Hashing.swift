/// FNV-1a-64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3): the stable document key.
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inlinable public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    @inlinable public static func hash(_ s: String) -> UInt64 { hash(s.utf8) }
}
