import Foundation

/// A versioned binary checkpoint: parameters, AdamW moments, step, RNG state, the training log so
/// far and a hash of the configuration, written to a temporary file and renamed into place so a
/// kill never leaves a torn file. Layout:
///   "LMCKPT01" | UInt64 header length | JSON header | Float32 values | m | v | UInt64 FNV-1a of all before
public struct Checkpoint {
    public static let magic = Array("LMCKPT01".utf8)

    public struct Header: Codable, Equatable {
        public var version: Int = 1
        public var step: Int
        public var configHash: String
        public var layout: String
        public var parameterCount: Int
        public var optimizerStep: Int
        public var rng: [String: RandomStream]
        public var log: TrainingLog
        public var extra: [String: String]
    }

    public var header: Header
    public var values: [Float]
    public var m: [Float]
    public var v: [Float]

    public init(header: Header, values: [Float], m: [Float], v: [Float]) {
        self.header = header; self.values = values; self.m = m; self.v = v
    }

    /// Capture a model + optimizer.
    public init(step: Int, configHash: String, model: SequenceModel, optimizer: AdamW,
                rng: [String: RandomStream] = [:], log: TrainingLog = TrainingLog(), extra: [String: String] = [:]) {
        let p = model.parameters
        header = Header(step: step, configHash: configHash, layout: p.layoutDescription, parameterCount: p.count,
                        optimizerStep: optimizer.t, rng: rng, log: log, extra: extra)
        values = p.values.array
        m = optimizer.m.array
        v = optimizer.v.array
    }

    /// Restore into a model and optimizer of the same architecture.
    public func restore(into model: SequenceModel, optimizer: AdamW?) throws {
        let p = model.parameters
        guard header.layout == p.layoutDescription, values.count == p.count else {
            throw CheckpointError.mismatch("parameter layout differs from the model's")
        }
        values.withUnsafeBufferPointer { p.values.ptr.update(from: $0.baseAddress!, count: p.count) }
        optimizer?.load(m: m, v: v, t: header.optimizerStep)
    }

    public func write(to url: URL) throws {
        var data = Data(Checkpoint.magic)
        let json = try JSONEncoder.sorted.encode(header)
        var len = UInt64(json.count).littleEndian
        data.append(Data(bytes: &len, count: 8))
        data.append(json)
        for arr in [values, m, v] { arr.withUnsafeBytes { data.append(contentsOf: $0) } }
        var sum = Checkpoint.fnv(data).littleEndian
        data.append(Data(bytes: &sum, count: 8))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do { try data.write(to: tmp) } catch {
            // A partial temporary file would keep a full disk full.
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
        // rename(2) replaces atomically: readers see the old file or the new one, never a torn one.
        guard rename(tmp.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: tmp)
            throw CheckpointError.unreadable("\(url.path): cannot write (errno \(errno))")
        }
    }

    public static func read(from url: URL) throws -> Checkpoint {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw CheckpointError.unreadable("\(url.path): \(error.localizedDescription)") }
        guard data.count >= 24, Array(data.prefix(8)) == magic else {
            throw CheckpointError.corrupted("\(url.path) is not a checkpoint (bad magic); delete it to start the run afresh")
        }
        let body = data.prefix(data.count - 8)
        let stored = data.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
        guard fnv(body) == stored else {
            throw CheckpointError.corrupted("\(url.path) fails its checksum; delete it to start the run afresh")
        }
        let len = Int(data.subdata(in: 8..<16).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        let header = try JSONDecoder().decode(Header.self, from: data.subdata(in: 16..<(16 + len)))
        let n = header.parameterCount
        var off = 16 + len
        func floats() -> [Float] {
            let bytes = data.subdata(in: off..<(off + 4 * n))
            off += 4 * n
            return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        guard data.count == off + 12 * n + 8 else { throw CheckpointError.corrupted("\(url.path) has the wrong size") }
        let values = floats(), m = floats(), v = floats()
        return Checkpoint(header: header, values: values, m: m, v: v)
    }

    /// FNV-1a over 8-byte words (fast enough for tens of MB).
    static func fnv(_ data: Data) -> UInt64 {
        data.withUnsafeBytes { raw -> UInt64 in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            let words = raw.count / 8
            for i in 0..<words { h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x0000_0100_0000_01B3 }
            for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3 }
            return h
        }
    }
}

public enum CheckpointError: Error, CustomStringConvertible {
    case unreadable(String), corrupted(String), mismatch(String)
    public var description: String {
        switch self {
        case .unreadable(let s): return "cannot read checkpoint \(s)"
        case .corrupted(let s): return "corrupted checkpoint: \(s)"
        case .mismatch(let s): return "checkpoint does not fit this run: \(s)"
        }
    }
}

extension JSONEncoder {
    /// Deterministic JSON (sorted keys): the same value always gives the same bytes.
    public static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
