import Foundation

/// A counter-based random stream (Philox-4x32-10).
///
/// Every draw is a pure function of (key, counter), so a stream is fully described by two
/// integers: it checkpoints exactly, and named streams (`init`, `data`, `eval`, …) derived from
/// one seed never shift each other — changing one arm's data order cannot move another's init.
public struct RandomStream: Sendable, Hashable, Codable {
    public private(set) var key: UInt64
    public private(set) var counter: UInt64
    /// Buffered outputs of the last Philox block (4 words) and how many are used.
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var used: Int = 4

    enum CodingKeys: String, CodingKey { case key, counter, used, b0, b1, b2, b3 }

    /// The root stream of a run: seed plus a stream name ("init", "data", "eval", "pool", …).
    public init(seed: UInt64, stream: String) {
        self.key = RandomStream.mix(seed &+ 0x9E37_79B9_7F4A_7C15 &* (RandomStream.fnv1a(stream) | 1))
        self.counter = 0
    }

    public init(key: UInt64, counter: UInt64 = 0) {
        self.key = key
        self.counter = counter
    }

    /// An independent child stream, e.g. one per layer or per grid point.
    public func child(_ name: String) -> RandomStream {
        RandomStream(key: RandomStream.mix(key ^ RandomStream.fnv1a(name)), counter: 0)
    }

    public func child(_ index: Int) -> RandomStream { child("#\(index)") }

    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// SplitMix64 finaliser: a bijective 64-bit mixer.
    @inline(__always) public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) static func philox(_ ctr: UInt64, _ key: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var c0 = UInt32(truncatingIfNeeded: ctr), c1 = UInt32(truncatingIfNeeded: ctr >> 32)
        var c2: UInt32 = 0, c3: UInt32 = 0
        var k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let n0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0
            let n1 = UInt32(truncatingIfNeeded: p1)
            let n2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1
            let n3 = UInt32(truncatingIfNeeded: p0)
            c0 = n0; c1 = n1; c2 = n2; c3 = n3
            k0 = k0 &+ 0x9E37_79B9; k1 = k1 &+ 0xBB67_AE85
        }
        return (c0, c1, c2, c3)
    }

    /// The next 32 random bits.
    @inline(__always) public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            buffer = RandomStream.philox(counter, key)
            counter &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    public mutating func nextUInt64() -> UInt64 {
        UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())
    }

    /// Uniform in [0, 1) with 24 bits (exactly representable in Float).
    @inline(__always) public mutating func uniform() -> Float {
        Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 bits.
    public mutating func uniformDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform integer in 0..<n (Lemire's unbiased method).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0")
        let bound = UInt64(n)
        var x = nextUInt64()
        var m = x.multipliedFullWidth(by: bound)
        if m.low < bound {
            let t = (0 &- bound) % bound
            while m.low < t {
                x = nextUInt64()
                m = x.multipliedFullWidth(by: bound)
            }
        }
        return Int(m.high)
    }

    /// Standard normal (Box–Muller, both outputs of a pair are not cached to keep state simple).
    public mutating func normal() -> Float {
        let u1 = max(uniformDouble(), 1e-300)
        let u2 = uniformDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    public mutating func normalDouble() -> Double {
        let u1 = max(uniformDouble(), 1e-300)
        let u2 = uniformDouble()
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if i != j { a.swapAt(i, j) }
        }
    }

    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// Index drawn from unnormalised non-negative weights.
    public mutating func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniformDouble() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return weights.count - 1
    }

    // Codable: the buffer is derived from (key, counter-1) but stored to keep it trivial.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(UInt64.self, forKey: .key)
        counter = try c.decode(UInt64.self, forKey: .counter)
        used = try c.decode(Int.self, forKey: .used)
        buffer = (try c.decode(UInt32.self, forKey: .b0), try c.decode(UInt32.self, forKey: .b1),
                  try c.decode(UInt32.self, forKey: .b2), try c.decode(UInt32.self, forKey: .b3))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key); try c.encode(counter, forKey: .counter); try c.encode(used, forKey: .used)
        try c.encode(buffer.0, forKey: .b0); try c.encode(buffer.1, forKey: .b1)
        try c.encode(buffer.2, forKey: .b2); try c.encode(buffer.3, forKey: .b3)
    }

    public static func == (a: RandomStream, b: RandomStream) -> Bool {
        a.key == b.key && a.counter == b.counter && a.used == b.used && a.buffer == b.buffer
    }

    public func hash(into h: inout Hasher) { h.combine(key); h.combine(counter); h.combine(used) }
}
