/// Vectorised exp and tanh for the elementwise hot paths (softmax, GELU).
///
/// libm's scalar `expf`/`tanhf` would dominate a training step of a small model; these use the
/// Cephes range reduction and polynomial (relative error ≈ 2e-7 over the float range) on 8 lanes.
public enum FastMath {
    public typealias V = SIMD8<Float>

    /// exp clamps its argument below here, so every x < expClampLow gives exp(expClampLow).
    @inlinable public static var expClampLow: Float { -87.33 }

    @inlinable @inline(__always) public static func exp(_ xIn: V) -> V {
        var x = xIn
        x.replace(with: V(repeating: expClampLow), where: x .< expClampLow)
        x.replace(with: V(repeating: 88.37), where: x .> 88.37)
        // n = round(x·log2 e) by the 1.5·2²³ trick: the sum's low mantissa bits hold n exactly,
        // which keeps the whole function in vector registers (no scalar float→int conversion).
        let magic = V(repeating: 12_582_912)
        let t = x * 1.442_695_04 + magic
        let fx = t - magic
        x = x - fx * 0.693_359_375
        x = x + fx * 2.121_944_4e-4
        let z = x * x
        var y = V(repeating: 1.987_569_15e-4)
        y = y * x + 1.398_199_950_7e-3
        y = y * x + 8.333_451_907_3e-3
        y = y * x + 4.166_579_589_4e-2
        y = y * x + 1.666_666_545_9e-1
        y = y * x + 5.000_000_120_1e-1
        y = y * z + x + 1
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((n &+ 127) &<< 23, to: V.self)
        return y * scale
    }

    @inlinable @inline(__always) public static func exp(_ x: Float) -> Float {
        exp(V(repeating: x))[0]
    }

    /// tanh(x) = 1 − 2/(e^{2x} + 1), exact at ±∞ through the clamp inside exp.
    @inline(__always) public static func tanh(_ x: V) -> V {
        let e = exp(x + x)
        return 1 - 2 / (e + 1)
    }

    /// y[i] = exp(x[i] − shift), returns Σ y. Used by the softmaxes.
    @inline(__always)
    public static func expShiftSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = V.zero
        var i = 0
        let s = V(repeating: shift)
        while i + 8 <= n {
            let v = exp(UnsafeRawPointer(x + i).loadUnaligned(as: V.self) - s)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: V.self)
            acc += v
            i += 8
        }
        var total = acc.sum()
        while i < n {
            let v = exp(x[i] - shift)
            y[i] = v
            total += v
            i += 1
        }
        return total
    }
}
