/// Vectorised exp and tanh for the elementwise hot paths (softmax, GELU).
///
/// libm's scalar `expf`/`tanhf` would dominate a training step of a small model; these use the
/// Cephes range reduction and polynomial (relative error ≈ 2e-7 over the float range) on 8 lanes.
public enum FastMath {
    public typealias V = SIMD8<Float>

    @inline(__always) public static func exp(_ xIn: V) -> V {
        // Clamp and floor with lane selects: `clamped` and `rounded(.down)` compile to per-lane calls.
        let lo = V(repeating: -87.33), hi = V(repeating: 88.37)
        var x = xIn.replacing(with: lo, where: xIn .< lo).replacing(with: hi, where: xIn .> hi)
        let u = x * 1.442_695_04 + 0.5
        let r = (u + 12_582_912) - 12_582_912          // round to nearest (|u| < 2²²)
        let fx = r.replacing(with: r - 1, where: r .> u)  // = floor(u)
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
        // 2^fx via the exponent bits. fx is an integer in [−126, 128]; adding 1.5·2²³ puts it in the
        // low mantissa bits, so the conversion is a bit cast (SIMD8<Int32>(fx, rounding:) is not
        // lowered to a vector instruction and cost more than the polynomial; same result).
        let n = unsafeBitCast(fx + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127
        let scale = unsafeBitCast(n &<< 23, to: V.self)
        return y * scale
    }

    @inline(__always) public static func exp(_ x: Float) -> Float {
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
