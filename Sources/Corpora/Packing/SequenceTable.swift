import LMCore
/// A training run's sequences drawn once, up front, so that the batch of a step is a pure
/// function of the step (what `Trainer` needs for bit-identical resume): `count` sequences of
/// C+1 bytes, each tagged with the index of the source it came from (0 for a single stream; the
/// mixture component for a `MixedStream`).
public struct SequenceTable: Sendable {
    public let context: Int
    public let count: Int
    /// count × (C+1) bytes, row-major.
    public let bytes: [UInt8]
    /// Source index of every sequence.
    public let sources: [UInt8]

    /// Draw `count` sequences from `draw` (called once per sequence, in order).
    public init(count: Int, context: Int, draw: () -> (bytes: [UInt8], source: Int)) {
        precondition(count >= 0 && context > 0)
        var b = [UInt8](), s = [UInt8]()
        b.reserveCapacity(count * (context + 1)); s.reserveCapacity(count)
        for _ in 0..<count {
            let (seq, src) = draw()
            precondition(seq.count == context + 1, "a sequence must have context + 1 bytes")
            b += seq; s.append(UInt8(src))
        }
        self.context = context; self.count = count; bytes = b; sources = s
    }

    /// `count` sequences of one byte stream (advances `stream`).
    public init(count: Int, context: Int, stream: inout ByteStream) {
        var local = stream
        self.init(count: count, context: context) { (local.next(context: context), 0) }
        stream = local
    }

    /// `count` sequences of a mixture (advances `mixture`); `sources` records the component.
    public init(count: Int, context: Int, mixture: inout MixedStream) {
        var local = mixture
        self.init(count: count, context: context) { local.next(context: context) }
        mixture = local
    }

    /// Sequences [first, first + size) as a byte-level batch (inputs = first C, targets = last C).
    public func batch(first: Int, size: Int) -> Batch {
        precondition(first >= 0 && first + size <= count, "sequences \(first)..<\(first + size) outside the table of \(count)")
        let c = context
        var tokens = [Int32](), targets = [Int32]()
        tokens.reserveCapacity(size * c); targets.reserveCapacity(size * c)
        for r in first..<(first + size) {
            let row = r * (c + 1)
            for i in 0..<c { tokens.append(Int32(bytes[row + i])); targets.append(Int32(bytes[row + i + 1])) }
        }
        return Batch(batchSize: size, seqLen: c, tokens: tokens, targets: targets)
    }

    /// The same sequences in a seeded random order, each keeping its source tag. Read in stream
    /// order, the `batchSize` sequences of one step are one contiguous stretch of C·batchSize
    /// bytes — about one dictionary entry at 16 × 64 — so a step's gradient is one entry's,
    /// which biases the losses and adds step-to-step jitter to the validation loss (measured in
    /// the continual-pre-training replications). The shuffle is done within blocks: the table
    /// is cut at `blockStarts` (sequence indices, e.g. where a repeated subset starts a new pass,
    /// so passes stay in order) and each block is permuted; no starts = one block. The
    /// permutation depends only on `rng`, `count` and the starts, so arms of a seed with tables
    /// of one shape stay paired step by step.
    public func shuffled(blockStarts: [Int] = [], rng: RandomStream) -> SequenceTable {
        let cuts = ([0] + blockStarts.filter { $0 > 0 && $0 < count } + [count]).sorted()
        var r = rng
        var order: [Int] = []
        order.reserveCapacity(count)
        for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
            var part = Array(a..<b)
            r.shuffle(&part)
            order += part
        }
        let c = context
        var it = order.makeIterator()
        return SequenceTable(count: count, context: c) {
            let i = it.next()!
            return (Array(bytes[(i * (c + 1))..<((i + 1) * (c + 1))]), Int(sources[i]))
        }
    }

    /// The batch of training step `step` when every step takes `batchSize` consecutive sequences.
    public func batch(step: Int, batchSize: Int) -> Batch { batch(first: step * batchSize, size: batchSize) }

    /// Fraction of the sequences drawn from source `source`.
    public func fraction(of source: Int) -> Double {
        count == 0 ? 0 : Double(sources.lazy.filter { Int($0) == source }.count) / Double(count)
    }
}

extension MixedStream {
    /// Compute-equivalent replay (Ibrahim et al. 2024): every sequence comes from `old` with
    /// probability `fraction`, else from `new`; the total is unchanged, so the new data shrinks by
    /// the replayed amount. Source 0 = new, 1 = old (replayed).
    public static func replay(new: ByteStream, old: ByteStream, fraction: Double, rng: RandomStream) -> MixedStream {
        precondition(fraction >= 0 && fraction <= 1, "replay fraction must lie in [0, 1]")
        return MixedStream(streams: [new, old], weights: [1 - fraction, fraction], rng: rng)
    }
}

extension ByteStream {
    /// Advance past `count` sequences of `context` (continue a stream where an earlier phase stopped).
    public mutating func skip(_ count: Int, context: Int) {
        for _ in 0..<count { _ = next(context: context) }
    }
}

/// Fixed validation windows (C+1 bytes each) cut into batches of `batchSize` windows, in order:
/// the paired evaluation sets every arm of a comparison reads.
public func validationBatches(_ windows: [[UInt8]], batchSize: Int) -> [Batch] {
    precondition(batchSize > 0 && windows.count % batchSize == 0, "\(windows.count) windows do not fill batches of \(batchSize)")
    guard let first = windows.first else { return [] }
    var it = windows.makeIterator()
    let t = SequenceTable(count: windows.count, context: first.count - 1) { (it.next()!, 0) }
    return stride(from: 0, to: windows.count, by: batchSize).map { t.batch(first: $0, size: batchSize) }
}
