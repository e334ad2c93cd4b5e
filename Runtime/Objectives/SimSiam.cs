using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// SimSiam: D(p, z) = −cos(p, stopgrad(z)); loss = D(p1, z2)/2 + D(p2, z1)/2. Needs a <c>[Predictor]</c> head.
/// </summary>
[Objective(UsesPredictor = true)]
public sealed partial record SimSiam
{
    /// <summary>The symmetrised negative cosine of predictions to the other view's stop-gradient projections.</summary>
    public Tensor Loss(Views views) => Losses.SimSiam(views.P1, views.P2, views.Z1, views.Z2);
}

public static partial class Losses
{
    /// <summary>
    /// SimSiam. D(p, z) = −mean_n cos(p_n, stopgrad(z_n)); loss = D(p1, z2)/2 + D(p2, z1)/2, in [−1, 1]
    /// (−1 when every prediction points the same way as the other view's projection).
    /// <paramref name="z1"/> and <paramref name="z2"/> receive no gradient from this loss.
    /// </summary>
    /// <param name="p1">Predictor output for view 1 <c>[N, D]</c>.</param>
    /// <param name="p2">Predictor output for view 2 <c>[N, D]</c>.</param>
    /// <param name="z1">Projection of view 1 <c>[N, D]</c> (stop-gradient).</param>
    /// <param name="z2">Projection of view 2 <c>[N, D]</c> (stop-gradient).</param>
    public static Tensor SimSiam(Tensor p1, Tensor p2, Tensor z1, Tensor z2)
    {
        ObjectiveArguments.Pair(p1, nameof(p1), p2, nameof(p2));
        ObjectiveArguments.Pair(p1, nameof(p1), z1, nameof(z1));
        ObjectiveArguments.Pair(p1, nameof(p1), z2, nameof(z2));
        using var scope = torch.NewDisposeScope();
        var d1 = Cosine(p1, z2.detach()).mean().neg();
        var d2 = Cosine(p2, z1.detach()).mean().neg();
        return d1.add(d2, Scalars.One).div(Scalars.Two).MoveToOuterDisposeScope();
    }
}
