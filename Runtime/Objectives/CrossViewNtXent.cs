using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// The one-directional, cross-view NT-Xent of GraphCL's and SimGRACE's unsupervised TU code (their
/// <c>loss_cal</c>): view one's projections are the anchors, each graph's view-two projection its positive,
/// and the other graphs' view-two projections its only negatives (no same-view negatives, the positive not in
/// the denominator, no symmetrisation): loss = mean_i −log( e^{s_ii/τ} / Σ_{j≠i} e^{s_ij/τ} ),
/// s_ij = cos(z1_i, z2_j) (<see cref="Losses.CrossViewNtXent"/>).
/// </summary>
[Objective]
public sealed partial record CrossViewNtXent(
    [Hyper(ValueRange.Positive, "Temperature τ of the softmax.")] double Temperature = 0.2)
{
    /// <summary>The loss of view one's projections against view two's.</summary>
    public Tensor Loss(Views views) => Losses.CrossViewNtXent(views.Z1, views.Z2, Temperature);
}

public static partial class Losses
{
    /// <summary>
    /// mean_i [ −s_ii/τ + log Σ_{j≠i} exp(s_ij/τ) ] with s = cosine similarities between the rows of
    /// <paramref name="z1"/> (anchors) and <paramref name="z2"/> (row i the positive of anchor i, the others
    /// its negatives); computed with a log-sum-exp, so small τ does not overflow.
    /// </summary>
    /// <param name="z1">Anchors <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Positives and negatives <c>[N, D]</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    public static Tensor CrossViewNtXent(Tensor z1, Tensor z2, double temperature)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        long n = z1.shape[0];
        using var scope = torch.NewDisposeScope();
        using var tau = temperature.ToScalar();
        var logits = Unit(z1).mm(Unit(z2).t()).div(tau);
        var diagonal = torch.eye(n, dtype: ScalarType.Bool, device: z1.device);
        var positive = logits.diagonal();
        var negatives = logits.masked_fill(diagonal, Scalars.NegativeInfinity).logsumexp(1);
        return negatives.sub(positive).mean().MoveToOuterDisposeScope();
    }
}
