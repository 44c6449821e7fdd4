/// One batch of B sequences of length T, flattened row-major (index = b·T + t).
///
/// Token models read `tokens`/`targets`; continuous models (regression sequences) read
/// `inputs`/`targetValues`. `weights` is the per-position loss weight (0 = not a target: padding,
/// metadata prefixes, y-tokens). `positions` overrides the learned-position index (restart at
/// document starts); `documents` turns on the per-document attention mask.
public struct Batch: Sendable {
    public var batchSize: Int
    public var seqLen: Int
    public var tokens: [Int32]?
    public var targets: [Int32]?
    public var inputs: [Float]?
    public var targetValues: [Float]?
    public var weights: [Float]
    public var positions: [Int32]?
    public var documents: [Int32]?

    public init(batchSize: Int, seqLen: Int, tokens: [Int32]? = nil, targets: [Int32]? = nil,
                inputs: [Float]? = nil, targetValues: [Float]? = nil, weights: [Float]? = nil,
                positions: [Int32]? = nil, documents: [Int32]? = nil) {
        self.batchSize = batchSize
        self.seqLen = seqLen
        self.tokens = tokens
        self.targets = targets
        self.inputs = inputs
        self.targetValues = targetValues
        self.weights = weights ?? [Float](repeating: 1, count: batchSize * seqLen)
        self.positions = positions
        self.documents = documents
    }

    public var count: Int { batchSize * seqLen }
    /// Number of positions that carry loss (Σ weights > 0), e.g. for tokens/s accounting.
    public var targetCount: Int { weights.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
}

/// A model the trainer can drive: one flat parameter set, a loss forward, an explicit backward.
public protocol SequenceModel: AnyObject {
    var parameters: ParameterSet { get }
    /// Runs the forward pass and the loss; keeps what backward needs. Returns the weighted mean loss.
    func forward(_ batch: Batch) -> Float
    /// Accumulates the gradient of the last forward's loss into `parameters.grads`.
    func backward()
    /// Per-position loss of the last forward (CE in nats, or squared error per output dim); 0 where weight 0.
    var positionLosses: [Float] { get }
    /// A stable string that identifies the architecture (part of checkpoint identity).
    var architectureDescription: String { get }
}

public enum ModelError: Error, CustomStringConvertible {
    case badBatch(String)
    public var description: String {
        switch self { case .badBatch(let s): return "bad batch: \(s)" }
    }
}
