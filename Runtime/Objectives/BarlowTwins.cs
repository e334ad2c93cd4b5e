using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// Barlow Twins: standardise each view's projections per dimension over the batch, C = Z_Aᵀ Z_B / N,
/// loss = scale · (Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²).
/// </summary>
[Objective]
public sealed partial record BarlowTwins(
    [Hyper(ValueRange.NonNegative, "Weight λ of the Barlow Twins off-diagonal (redundancy) term.")] double Lambda = 0.0039,
    [Hyper(ValueRange.Positive, "Factor on the whole Barlow Twins loss.")] double Scale = 0.03125)
{
    /// <summary>The Barlow Twins loss between the two views' projections.</summary>
    public Tensor Loss(Views views) => Losses.BarlowTwins(views.Z1, views.Z2, Lambda, Scale);
}

public static partial class Losses
{
    /// <summary>ε added to the variance inside the square root when Barlow Twins standardises a view.</summary>
    public const double BarlowTwinsEpsilon = 1e-5;
    static readonly Scalar BarlowTwinsEpsilonScalar = BarlowTwinsEpsilon.ToScalar();

    /// <summary>
    /// Barlow Twins. Each view is standardised per dimension over the batch with the <b>biased</b>
    /// variance (as <c>BatchNorm1d(affine: false)</c> in training mode):
    /// ẑ_nd = (z_nd − mean_n z_nd) / sqrt(var_n z_nd + 1e-5), var_n = (1/N) Σ_n (z_nd − mean)².
    /// Then C = Ẑ1ᵀ Ẑ2 / N <c>[D, D]</c> and
    /// loss = scale · ( Σ_i (1 − C_ii)² + λ Σ_i Σ_{j≠i} C_ij² ).
    /// The study used λ = 3.9e-3 and scale = 1/32.
    /// </summary>
    /// <param name="z1">Projections of view 1 <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Projections of view 2 <c>[N, D]</c>.</param>
    /// <param name="lambda">Weight λ ≥ 0 of the off-diagonal (redundancy) term.</param>
    /// <param name="scale">Factor ≥ 0 on the whole loss.</param>
    public static Tensor BarlowTwins(Tensor z1, Tensor z2, double lambda, double scale)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.NonNegative(lambda, nameof(lambda));
        ObjectiveArguments.NonNegative(scale, nameof(scale));
        long n = z1.shape[0], d = z1.shape[1];
        using var scope = torch.NewDisposeScope();
        using var batchSize = n.ToScalar();
        using var offWeight = lambda.ToScalar();
        using var factor = scale.ToScalar();
        var c = Standardise(z1).t().mm(Standardise(z2)).div(batchSize);
        var onDiagonal = c.diagonal().sub(Scalars.One).pow(Scalars.Two).sum();
        var offDiagonal = c.masked_fill(torch.eye(d, dtype: ScalarType.Bool, device: z1.device), Scalars.Zero).pow(Scalars.Two).sum();
        return onDiagonal.add(offDiagonal.mul(offWeight), Scalars.One).mul(factor).MoveToOuterDisposeScope();

        static Tensor Standardise(Tensor z)
        {
            var centred = z.sub(z.mean(new long[] { 0 }, keepdim: true));
            var variance = centred.pow(Scalars.Two).mean(new long[] { 0 }, keepdim: true);
            return centred.div(variance.add(BarlowTwinsEpsilonScalar, Scalars.One).sqrt());
        }
    }
}
