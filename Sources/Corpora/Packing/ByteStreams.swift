import LMCore
/// The byte-stream conventions for real text: training streams read in seeded shuffled order
/// joined by "\n\n", sequences of C+1 bytes advancing by C, reshuffled at every epoch; fixed
/// validation windows from the evaluation documents in key order.
public struct ByteStream: Sendable {
    public let documents: [[UInt8]]
    public let separator: [UInt8]
    public private(set) var rng: RandomStream
    public private(set) var epoch = 0
    private var buffer: [UInt8] = []
    private var cursor = 0

    /// `documents` in any fixed order (e.g. `corpus.train.map(\.text)`), shuffled with `rng`
    /// (the run's `data` stream, or a child of it per corpus).
    public init(texts: [String], rng: RandomStream, separator: String = "\n\n") {
        precondition(!texts.isEmpty, "a stream needs documents")
        self.documents = texts.map { Array($0.utf8) }
        self.separator = Array(separator.utf8)
        self.rng = rng
        refill()
    }

    private mutating func refill() {
        var order = Array(documents.indices)
        rng.shuffle(&order)
        var next = [UInt8]()
        next.reserveCapacity(documents.reduce(0) { $0 + $1.count + separator.count })
        for (k, i) in order.enumerated() {
            if k > 0 || epoch > 0 { next += separator }
            next += documents[i]
        }
        buffer = Array(buffer[cursor...]) + next
        cursor = 0
        epoch += 1
    }

    /// The next training sequence: C+1 bytes (inputs = first C, targets = last C); the stream
    /// then advances by C.
    public mutating func next(context: Int) -> [UInt8] {
        while buffer.count - cursor < context + 1 { refill() }
        let s = Array(buffer[cursor..<(cursor + context + 1)])
        cursor += context
        if cursor > 1 << 24 { buffer.removeFirst(cursor); cursor = 0 }
        return s
    }
}

/// Fixed validation windows: evaluation documents (in the given order — key order from
/// `Corpus.evaluation`) joined by the separator and cut into consecutive non-overlapping windows
/// of `context + 1` bytes (inputs = first C, targets = last C); the first `count` windows.
public func validationWindows(texts: [String], context: Int, count: Int, separator: String = "\n\n") -> [[UInt8]] {
    var joined = [UInt8]()
    let sep = Array(separator.utf8)
    for (k, t) in texts.enumerated() {
        if k > 0 { joined += sep }
        joined += Array(t.utf8)
        if joined.count >= count * (context + 1) { break }
    }
    var out: [[UInt8]] = []
    var p = 0
    while out.count < count && p + context + 1 <= joined.count {
        out.append(Array(joined[p..<(p + context + 1)]))
        p += context + 1
    }
    precondition(out.count == count, "only \(out.count) validation windows of \(context + 1) bytes available, \(count) asked")
    return out
}

extension Corpus {
    /// The pinned validation windows of this corpus (rewarm/stability-gap: 8 batches × 16 × 64 → count 128, context 64).
    public func validationWindows(context: Int, count: Int) -> [[UInt8]] {
        Corpora.validationWindows(texts: evaluation.map(\.text), context: context, count: count)
    }

    /// A training stream over the train split (documents in source order, then shuffled by `rng`).
    public func trainingStream(rng: RandomStream) -> ByteStream {
        ByteStream(texts: train.map(\.text), rng: rng)
    }
}

/// Per-sequence mixture of streams ("A p% + B q%"): the source of every sequence is drawn with
/// the given probabilities from the `mix` stream, then the next sequence of that source is taken.
public struct MixedStream: Sendable {
    public var streams: [ByteStream]
    public let weights: [Double]
    public private(set) var rng: RandomStream
    public private(set) var drawn: [Int]

    public init(streams: [ByteStream], weights: [Double], rng: RandomStream) {
        precondition(streams.count == weights.count && !streams.isEmpty)
        self.streams = streams; self.weights = weights; self.rng = rng
        self.drawn = [Int](repeating: 0, count: streams.count)
    }

    /// The next sequence and the index of the stream it came from.
    public mutating func next(context: Int) -> (bytes: [UInt8], source: Int) {
        let k = rng.categorical(weights)
        drawn[k] += 1
        return (streams[k].next(context: context), k)
    }
}
