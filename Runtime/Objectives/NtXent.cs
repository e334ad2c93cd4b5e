using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// NT-Xent (SimCLR, GraphCL): the 2N projections of both views are anchors; each anchor's positive is the
/// other view of its graph and its negatives are every other projection of the batch (see <see cref="Losses.NtXent"/>).
/// </summary>
[Objective]
public sealed partial record NtXent(
    [Hyper(ValueRange.Positive, "Temperature τ of the NT-Xent softmax.")] double Temperature = 0.2)
{
    /// <summary>NT-Xent between the two views' projections.</summary>
    public Tensor Loss(Views views) => Losses.NtXent(views.Z1, views.Z2, Temperature);
}

public static partial class Losses
{
    /// <summary>
    /// NT-Xent (SimCLR). The 2N rows u = [normalise(z1); normalise(z2)] are anchors; anchor i's positive is
    /// the other view of the same graph (i ± N). With s_ik = u_i·u_k (cosine similarity),
    /// loss_i = −log( exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ) ), the denominator running over all 2N − 1 other
    /// rows, the positive included (as in SimCLR). Returns the mean of loss_i over all 2N anchors.
    /// </summary>
    /// <remarks>Computed as a cross-entropy over the similarity logits with the diagonal masked to −∞,
    /// i.e. a log-softmax, so large logits (small τ) never overflow.</remarks>
    /// <param name="z1">Projections of the first view <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Projections of the second view <c>[N, D]</c>; row i is the same graph as row i of <paramref name="z1"/>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    public static Tensor NtXent(Tensor z1, Tensor z2, double temperature)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        long n = z1.shape[0];
        using var scope = torch.NewDisposeScope();
        var device = z1.device;
        var u = Unit(torch.cat(new[] { z1, z2 }, 0));
        using var tau = temperature.ToScalar();
        using var half = n.ToScalar();
        using var rows = (2 * n).ToScalar();
        var logits = u.mm(u.t()).div(tau);
        var self = torch.eye(2 * n, dtype: ScalarType.Bool, device: device);
        logits = logits.masked_fill(self, Scalars.NegativeInfinity);
        var positive = Scalars.Range(2 * n, device).add(half, Scalars.One).remainder(rows);
        return functional.cross_entropy(logits, positive).MoveToOuterDisposeScope();
    }
}
