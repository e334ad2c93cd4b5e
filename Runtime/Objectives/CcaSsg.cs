using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// CCA-SSG (Zhang et al., NeurIPS 2021, "From Canonical Correlation Analysis to Self-supervised Graph Neural
/// Networks"): standardise each view's outputs per dimension over the batch (or the graph's nodes), then pull the
/// two views together along every dimension while pushing each view's dimensions to be uncorrelated.
/// No negatives, no predictor, no target network. Written for node-level models (the paper's setting, Z = node
/// outputs of a <c>[SslModel(NodeLevel = true)]</c> model) and usable on graph embeddings alike.
/// </summary>
[Objective]
public sealed partial record CcaSsg(
    [Hyper(ValueRange.NonNegative, "Weight λ of CCA-SSG's decorrelation term.")] double Lambda = 1e-3)
{
    /// <summary>The CCA-SSG loss between the two views' projections.</summary>
    public Tensor Loss(Views views) => Losses.CcaSsg(views.Z1, views.Z2, Lambda);
}

public static partial class Losses
{
    /// <summary>
    /// CCA-SSG. Each view is standardised per dimension with the unbiased standard deviation,
    /// ẑ_nd = (z_nd − mean_n z_nd) / std_n z_nd; then with C = Ẑ1ᵀẐ2 / N, C1 = Ẑ1ᵀẐ1 / N, C2 = Ẑ2ᵀẐ2 / N
    /// (<c>[D, D]</c>): loss = −tr(C) + λ (‖I − C1‖²_F + ‖I − C2‖²_F). The invariance term −tr(C) equals
    /// ½‖Ẑ1 − Ẑ2‖²_F / N up to a constant, the paper's form.
    /// </summary>
    /// <param name="z1">Outputs of view 1 <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Outputs of view 2 <c>[N, D]</c>.</param>
    /// <param name="lambda">Weight λ ≥ 0 of the decorrelation term.</param>
    public static Tensor CcaSsg(Tensor z1, Tensor z2, double lambda)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.NonNegative(lambda, nameof(lambda));
        long n = z1.shape[0], d = z1.shape[1];
        using var scope = torch.NewDisposeScope();
        var h1 = Standardise(z1);
        var h2 = Standardise(z2);
        var identity = torch.eye(d, dtype: z1.dtype, device: z1.device);
        using var rows = n.ToScalar();
        using var weight = lambda.ToScalar();
        var invariance = h1.t().mm(h2).div(rows).diagonal().sum().neg();
        var decorrelation = identity.sub(h1.t().mm(h1).div(rows)).pow(Scalars.Two).sum()
            .add(identity.sub(h2.t().mm(h2).div(rows)).pow(Scalars.Two).sum(), Scalars.One);
        return invariance.add(decorrelation.mul(weight), Scalars.One).MoveToOuterDisposeScope();

        static Tensor Standardise(Tensor z)
            => z.sub(z.mean(new long[] { 0 }, keepdim: true)).div(z.std(0, unbiased: true, keepdim: true));
    }
}
