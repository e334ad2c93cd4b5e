using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that stay alive. TorchSharp 0.107 reads a Scalar's native handle and passes it
/// to libtorch without keeping the Scalar reachable, and dispose scopes do not track Scalars; so the temporary
/// Scalar that <c>t * 0.5</c>, <c>t.eq(i)</c> or <c>torch.arange(n)</c> makes can be finalized (freed) by a
/// garbage collection while libtorch still reads it: a crash ("Unknown scalar type", seen in a 100-epoch run) or,
/// worse, another value read silently. The constants below live as long as the process; for a value known only at
/// run time, hold it for the call with <c>using var s = value.ToScalar();</c>. Analyzer GSSL0033 finds the
/// temporaries (docs/DSL.md#gssl0033).
/// </summary>
public static class Scalars
{
    /// <summary>0 (integral: keeps the dtype of integer and floating tensors alike).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1 (integral).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2 (integral).</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>−2 (integral).</summary>
    public static readonly Scalar MinusTwo = (-2).ToScalar();

    /// <summary>0.5.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>−0.5.</summary>
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();

    /// <summary>−∞ (masks logits out of a softmax).</summary>
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>
    /// A new Scalar of <paramref name="value"/> (double). Hold it for as long as calls read it, e.g.
    /// <c>using var weight = Scalars.Create(Weight);</c>, and dispose it after.
    /// </summary>
    /// <param name="value">The value.</param>
    public static Scalar Create(double value) => value.ToScalar();

    /// <summary>
    /// <c>0, 1, …, count − 1</c> as int64 on <paramref name="device"/> (<c>torch.arange</c> with its bound held for
    /// the call).
    /// </summary>
    /// <param name="count">How many indices (at least 0).</param>
    /// <param name="device">Where the tensor lives.</param>
    public static Tensor Range(long count, Device device)
    {
        using var stop = count.ToScalar();
        return torch.arange(stop, dtype: ScalarType.Int64, device: device);
    }

    /// <summary><c>start, …, stop − 1</c> as int64 on <paramref name="device"/>.</summary>
    /// <param name="start">First index.</param>
    /// <param name="stop">One past the last index.</param>
    /// <param name="device">Where the tensor lives.</param>
    public static Tensor Range(long start, long stop, Device device)
    {
        using var from = start.ToScalar();
        using var to = stop.ToScalar();
        return torch.arange(from, to, dtype: ScalarType.Int64, device: device);
    }
}
