/// All trainable parameters of a model in one flat buffer, with a gradient buffer of the same
/// layout. One layout makes the optimizer, clipping, checkpoints and reference tests trivial:
/// each is a loop over a single array, and every tensor is a named slice of it.
public final class ParameterSet {
    public struct Entry: Codable, Hashable, Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Weight decay applies to matrices (≥ 2 dimensions) only, never to biases or norm gains.
        public var decays: Bool { shape.count >= 2 }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var values = FloatBuffer(0)
    public private(set) var grads = FloatBuffer(0)
    private var sealed = false

    public init() {}

    /// Declare a tensor; returns its offset. All declarations come before `seal()`.
    @discardableResult
    public func declare(_ name: String, _ shape: [Int]) -> Int {
        precondition(!sealed, "ParameterSet is sealed")
        precondition(!entries.contains { $0.name == name }, "duplicate parameter \(name)")
        let offset = entries.last.map { $0.offset + $0.count } ?? 0
        entries.append(Entry(name: name, shape: shape, offset: offset))
        return offset
    }

    public func seal() {
        precondition(!sealed)
        sealed = true
        let n = count
        values = FloatBuffer(n)
        grads = FloatBuffer(n)
    }

    public var count: Int { entries.last.map { $0.offset + $0.count } ?? 0 }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    public func value(_ offset: Int) -> UnsafeMutablePointer<Float> { values.ptr + offset }
    public func grad(_ offset: Int) -> UnsafeMutablePointer<Float> { grads.ptr + offset }

    public func zeroGrads() { grads.zero() }

    /// A stable description of the layout (names and shapes), part of a checkpoint's identity.
    public var layoutDescription: String {
        entries.map { "\($0.name)\($0.shape)" }.joined(separator: ";")
    }

    /// Initialise every tensor from N(0, std) or a constant, by a caller-supplied rule.
    public func initialise(_ rule: (Entry) -> ParameterInit, rng: RandomStream) {
        for e in entries {
            var r = rng.child(e.name)
            let p = values.ptr + e.offset
            switch rule(e) {
            case .normal(let std): for i in 0..<e.count { p[i] = r.normal() * std }
            case .uniform(let a): for i in 0..<e.count { p[i] = (r.uniform() * 2 - 1) * a }
            case .constant(let c): for i in 0..<e.count { p[i] = c }
            }
        }
    }
}

public enum ParameterInit {
    case normal(Float)
    case uniform(Float)
    case constant(Float)
}
