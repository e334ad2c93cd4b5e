using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>VICReg: weighted invariance (MSE), variance (hinge on the std) and covariance terms.</summary>
[Objective]
public sealed partial record VicReg(
    [Hyper(ValueRange.NonNegative, "Weight of the VICReg invariance term.")] double Invariance = 25,
    [Hyper(ValueRange.NonNegative, "Weight of the VICReg variance term.")] double Variance = 25,
    [Hyper(ValueRange.NonNegative, "Weight of the VICReg covariance term.")] double Covariance = 1)
{
    /// <summary>The VICReg loss between the two views' projections.</summary>
    public Tensor Loss(Views views) => Losses.VicReg(views.Z1, views.Z2, Invariance, Variance, Covariance);
}

public static partial class Losses
{
    /// <summary>ε added to the variance inside the square root of VICReg's variance term.</summary>
    public const double VicRegEpsilon = 1e-4;
    static readonly Scalar VicRegEpsilonScalar = VicRegEpsilon.ToScalar();

    /// <summary>
    /// VICReg (Bardes, Ponce, LeCun, ICLR 2022), as in the authors' reference implementation:
    /// loss = λ·s(Z1, Z2) + μ·½[v(Z1) + v(Z2)] + ν·[c(Z1) + c(Z2)] with
    /// <list type="bullet">
    /// <item>invariance s(Z1, Z2) = (1/(N·D)) Σ_n Σ_d (z1_nd − z2_nd)² (mean squared error);</item>
    /// <item>variance v(Z) = (1/D) Σ_d max(0, γ − sqrt(Var_n(z_d) + 1e-4)), γ = 1, Var the <b>unbiased</b>
    /// variance over the batch (divisor N − 1);</item>
    /// <item>covariance c(Z) = (1/D) Σ_{i≠j} Cov(Z)_ij², Cov(Z) = (1/(N − 1)) Σ_n (z_n − z̄)(z_n − z̄)ᵀ.</item>
    /// </list>
    /// The variance terms of the two branches are averaged (the paper's formula adds them; the published
    /// coefficients 25/25/1 were tuned with the averaged form of the reference code), the covariance terms
    /// are added. A batch whose rows are all equal has v = γ − sqrt(1e-4) = 0.99.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="invariance">λ ≥ 0, weight of the invariance term. Default 25.</param>
    /// <param name="variance">μ ≥ 0, weight of the variance term. Default 25.</param>
    /// <param name="covariance">ν ≥ 0, weight of the covariance term. Default 1.</param>
    public static Tensor VicReg(Tensor z1, Tensor z2, double invariance = 25, double variance = 25, double covariance = 1)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.NonNegative(invariance, nameof(invariance));
        ObjectiveArguments.NonNegative(variance, nameof(variance));
        ObjectiveArguments.NonNegative(covariance, nameof(covariance));
        long n = z1.shape[0], d = z1.shape[1];
        using var scope = torch.NewDisposeScope();
        var offDiagonal = torch.eye(d, dtype: ScalarType.Bool, device: z1.device).logical_not();
        var s = functional.mse_loss(z1, z2);
        using var lambda = invariance.ToScalar();
        using var mu = variance.ToScalar();
        using var nu = covariance.ToScalar();
        using var degreesOfFreedom = (n - 1).ToScalar();
        using var width = d.ToScalar();
        var v = Hinge(z1).add(Hinge(z2), Scalars.One).div(Scalars.Two);
        var c = Covariance(z1).add(Covariance(z2), Scalars.One);
        return s.mul(lambda).add(v.mul(mu), Scalars.One).add(c.mul(nu), Scalars.One).MoveToOuterDisposeScope();

        static Tensor Hinge(Tensor z) =>
            z.var(0, unbiased: true).add(VicRegEpsilonScalar, Scalars.One).sqrt().neg().add(Scalars.One, Scalars.One).relu().mean();

        Tensor Covariance(Tensor z)
        {
            var centred = z.sub(z.mean(new long[] { 0 }, keepdim: true));
            var cov = centred.t().mm(centred).div(degreesOfFreedom);
            return cov.mul(offDiagonal).pow(Scalars.Two).sum().div(width);
        }
    }
}
