/// A fixed-size, zero-initialised Float32 buffer with a stable address.
///
/// The core keeps activations, parameters and gradients in such flat buffers (one visible memory
/// layout, as in llm.c) and hands raw pointers to the kernels; no copy-on-write, no hidden copies.
public final class FloatBuffer {
    public let count: Int
    public let ptr: UnsafeMutablePointer<Float>

    public init(_ count: Int) {
        self.count = count
        ptr = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        ptr.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { ptr.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { ptr.deallocate() }

    public func zero() { ptr.update(repeating: 0, count: count) }

    public var array: [Float] { Array(UnsafeBufferPointer(start: ptr, count: count)) }

    public subscript(i: Int) -> Float {
        get { ptr[i] }
        set { ptr[i] = newValue }
    }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "buffer size mismatch")
        ptr.update(from: other.ptr, count: count)
    }
}

/// A buffer that grows to the largest size asked of it (activations for a batch of B×T).
public final class Workspace {
    private(set) var buffer = FloatBuffer(0)
    public init() {}
    /// A zeroed pointer to at least `count` floats.
    public func get(_ count: Int, zeroed: Bool = false) -> UnsafeMutablePointer<Float> {
        if buffer.count < count { buffer = FloatBuffer(count) } else if zeroed { buffer.ptr.update(repeating: 0, count: count) }
        return buffer.ptr
    }
}
