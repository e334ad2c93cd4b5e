using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// Self-supervised objectives as pure functions of tensors. Every loss returns a scalar tensor on the
/// device and in the dtype (float32 or float64) of its inputs, is differentiable where the method wants
/// gradients, and reads nothing back to the host, so it can run inside a training step. Arguments are
/// checked on their shapes, dtypes and devices only (host metadata) and a bad one throws
/// <see cref="ArgumentException"/> naming it.
/// </summary>
/// <remarks>
/// Intermediate tensors are created in a private dispose scope and released before returning; only the
/// loss is moved to the caller's scope (autograd keeps what the backward pass needs).
/// <para>
/// Cosine similarities use <see cref="Unit"/>: each row is first divided by its largest absolute entry
/// (a constant without gradient, so the value and gradient are those of plain normalisation) and then
/// L2-normalised with <see cref="NormEpsilon"/>. The pre-scaling keeps huge inputs (norm² beyond the
/// float32 range) finite; an all-zero row stays zero.
/// </para>
/// </remarks>
public static partial class Losses
{
    /// <summary>The ε of L2 normalisation: a row is divided by max(‖x‖, ε).</summary>
    public const double NormEpsilon = 1e-8;
    static readonly Scalar SmallestScale = 1e-30.ToScalar();

    /// <summary>
    /// Rows of <paramref name="x"/> scaled to unit L2 norm: x / max(‖x‖, <see cref="NormEpsilon"/>), after a
    /// gradient-free division by each row's largest absolute entry (exact, since normalisation ignores
    /// positive scale, and keeps ‖x‖² from overflowing). Rows of zeros stay zero.
    /// </summary>
    public static Tensor Unit(Tensor x)
    {
        var scale = x.detach().abs().amax(new long[] { 1 }, keepdim: true).clamp_min(SmallestScale);
        return functional.normalize(x.div(scale), p: 2, dim: 1, eps: NormEpsilon);
    }

    /// <summary>Row-wise cosine similarity <c>[N]</c> of two <c>[N, D]</c> tensors.</summary>
    public static Tensor Cosine(Tensor a, Tensor b) => Unit(a).mul(Unit(b)).sum(new long[] { 1 });

    static void CheckColumns(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.shape[1] != b.shape[1])
            throw new ArgumentException(
                $"{nameB} must have as many columns as {nameA} ({a.shape[1]}), but has shape [{string.Join(", ", b.shape)}].", nameB);
        ObjectiveArguments.SameKind(a, nameA, b, nameB);
    }

    /// <summary>
    /// Alignment (Wang &amp; Isola 2020): mean over rows of ‖u1 − u2‖^α with u the unit-normalised rows, 0 when
    /// the two views map every graph to the same direction.
    /// </summary>
    /// <param name="z1">View one <c>[N, D]</c>.</param>
    /// <param name="z2">View two <c>[N, D]</c>.</param>
    /// <param name="alpha">Exponent α &gt; 0 (the paper: 2).</param>
    public static Tensor Align(Tensor z1, Tensor z2, double alpha = 2)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2));
        if (!(alpha > 0)) throw new ArgumentException($"alpha must be greater than 0, was {alpha}.", nameof(alpha));
        using var scope = torch.NewDisposeScope();
        using var halfAlpha = (alpha / 2).ToScalar();
        return Unit(z1).sub(Unit(z2)).pow(Scalars.Two).sum(new long[] { 1 }).pow(halfAlpha).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Uniformity (Wang &amp; Isola 2020): log of the mean of exp(−t‖u_i − u_j‖²) over all pairs i &lt; j of
    /// unit-normalised rows; lower means the rows spread more evenly over the sphere.
    /// </summary>
    /// <param name="z">Rows <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="t">Scale t &gt; 0 (the paper: 2).</param>
    public static Tensor Uniform(Tensor z, double t = 2)
    {
        ObjectiveArguments.Matrix(z, nameof(z), minRows: 2);
        if (!(t > 0)) throw new ArgumentException($"t must be greater than 0, was {t}.", nameof(t));
        using var scope = torch.NewDisposeScope();
        var u = Unit(z);
        long n = u.shape[0];
        var squared = u.mm(u.t()).mul(Scalars.MinusTwo).add(Scalars.Two, Scalars.One).clamp_min(Scalars.Zero); // ‖u_i − u_j‖² of unit rows
        var upper = torch.ones(n, n, dtype: ScalarType.Bool, device: u.device).triu(1);
        using var minusT = (-t).ToScalar();
        var values = squared.masked_select(upper).mul(minusT);
        using var logPairs = Math.Log(values.shape[0]).ToScalar();
        return values.logsumexp(0).sub(logPairs).MoveToOuterDisposeScope();
    }
}
