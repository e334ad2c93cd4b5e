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
/// <para>Cosine similarities use <see cref="Unit"/>, which says how it matches PyTorch's <c>F.normalize</c>.</para>
/// </remarks>
public static partial class Losses
{
    /// <summary>
    /// The ε of L2 normalisation: a row is divided by max(‖x‖, ε). 1e-12, the default of PyTorch's <c>F.normalize</c>, which
    /// the reference objectives call (e.g. THUDM/GraphMAE graphmae/models/loss_func.py <c>sce_loss</c>): a row of zeros then
    /// gets a gradient of at most 1/ε = 1e12 per unit of upstream gradient, as theirs does.
    /// </summary>
    public const double NormEpsilon = 1e-12;

    /// <summary>
    /// The smallest pre-scale. A row whose largest absolute entry is below it is divided by it instead, so the effective ε
    /// stays <see cref="NormEpsilon"/>: before, the pre-scale could shrink to 1e-30, a row of zeros got a gradient near
    /// 1e38, Adam's second moment overflowed to infinity and froze the parameter for good (GraphMAE's zero-initialised
    /// decoder bias on Cora, whose reconstruction of a node masked with all its neighbours is exactly zero).
    /// </summary>
    internal const double ScaleFloor = 1e-4;
    static readonly Scalar ScaleFloorScalar = ScaleFloor.ToScalar();
    const double InnerEpsilon = NormEpsilon / ScaleFloor;

    /// <summary>
    /// Rows of <paramref name="x"/> scaled to unit L2 norm: x / max(‖x‖, <see cref="NormEpsilon"/>) (PyTorch's
    /// <c>F.normalize</c>). Computed as <c>normalize(x / s, ε / ScaleFloor)</c> with s = max(max|x|, <see cref="ScaleFloor"/>)
    /// held constant: a row with max|x| ≥ ScaleFloor has ‖x / s‖ ≥ 1, so the ε never binds and the result is exact; below it
    /// s = ScaleFloor and the two ε coincide. The pre-scale keeps ‖x‖² from overflowing. Rows of zeros stay zero.
    /// </summary>
    public static Tensor Unit(Tensor x)
    {
        var scale = x.detach().abs().amax(new long[] { 1 }, keepdim: true).clamp_min(ScaleFloorScalar);
        return functional.normalize(x.div(scale), p: 2, dim: 1, eps: InnerEpsilon);
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
