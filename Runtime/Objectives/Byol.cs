using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using GraphSSL.Training;

namespace GraphSSL.Objectives;

/// <summary>
/// BYOL: the online network (encoder, projector, predictor) predicts the projections of the other view
/// made by a target network (encoder and projector) that is an exponential moving average of the online
/// one: loss = (1/N) Σ_n [‖p̂1_n − t̂2_n‖² + ‖p̂2_n − t̂1_n‖²] with unit vectors. The target momentum follows
/// BYOL's cosine schedule from <see cref="BaseMomentum"/> to 1 over the run. Needs a <c>[Predictor]</c>.
/// </summary>
[Objective(UsesPredictor = true)]
public sealed partial record Byol(
    [Hyper(ValueRange.Ratio, "Target-network momentum at the first step, raised to 1 by a cosine schedule, in [0, 1).")] double BaseMomentum = 0.99)
{
    /// <summary>BYOL's state: the EMA target network.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context) => Target = Register("targetNetwork", context.Online.Copy());

        /// <summary>The EMA target network (encoder and projector).</summary>
        public SslNetwork Target { get; }
    }

    /// <summary>Creates the target network.</summary>
    public State Start(ObjectiveContext context) => new(context);

    /// <summary>Predictions of each view regressed onto the target network's projections of the other.</summary>
    public Tensor Loss(Views views, State state)
    {
        var t1 = state.Target.Forward(views[0].Graph).Z.detach();
        var t2 = state.Target.Forward(views[1].Graph).Z.detach();
        return Losses.Byol(views.P1, views.P2, t1, t2);
    }

    /// <summary>Target ← EMA of the online network, momentum on BYOL's cosine schedule.</summary>
    public void AfterStep(Views views, State state)
        => views.Online.UpdateTowards(state.Target, Ema.CosineMomentum(BaseMomentum, views.Step.Index, views.Step.TotalSteps));
}

public static partial class Losses
{
    /// <summary>
    /// BYOL. Per pair ℓ(p, t) = ‖p/‖p‖ − t/‖t‖‖² = 2 − 2·cos(p, stopgrad(t)); the loss symmetrises by
    /// <b>summing</b> the two directions and averages over the batch:
    /// loss = (1/N) Σ_n [ ℓ(p1_n, t2_n) + ℓ(p2_n, t1_n) ], in [0, 8]. The targets come from the EMA
    /// network and receive no gradient.
    /// </summary>
    /// <param name="p1">Online predictor output for view 1 <c>[N, D]</c>.</param>
    /// <param name="p2">Online predictor output for view 2 <c>[N, D]</c>.</param>
    /// <param name="t1">Target projection of view 1 <c>[N, D]</c> (detached).</param>
    /// <param name="t2">Target projection of view 2 <c>[N, D]</c> (detached).</param>
    public static Tensor Byol(Tensor p1, Tensor p2, Tensor t1, Tensor t2)
    {
        ObjectiveArguments.Pair(p1, nameof(p1), p2, nameof(p2));
        ObjectiveArguments.Pair(p1, nameof(p1), t1, nameof(t1));
        ObjectiveArguments.Pair(p1, nameof(p1), t2, nameof(t2));
        using var scope = torch.NewDisposeScope();
        var l1 = Cosine(p1, t2.detach()).mul(Scalars.MinusTwo).add(Scalars.Two, Scalars.One);
        var l2 = Cosine(p2, t1.detach()).mul(Scalars.MinusTwo).add(Scalars.Two, Scalars.One);
        return l1.add(l2, Scalars.One).mean().MoveToOuterDisposeScope();
    }
}
