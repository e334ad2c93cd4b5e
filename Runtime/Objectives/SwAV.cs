using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL.Objectives;

/// <summary>
/// SwAV (swapped assignments between views): projections are scored against K learnable, L2-normalised
/// prototypes; each view's codes are computed with Sinkhorn-Knopp (equal partition, no gradient) and
/// predicted from the other view with a softmax at temperature τ. The prototypes, and the optional per-view
/// embedding queues that enlarge Sinkhorn's batch, are in <see cref="State"/>.
/// </summary>
[Objective]
public sealed partial record SwAV(
    [Hyper(ValueRange.AtLeastTwo, "Number of SwAV prototypes K.")] int Prototypes = 30,
    [Hyper(ValueRange.Positive, "Temperature τ of the SwAV prediction softmax.")] double Temperature = 0.1,
    [Hyper(ValueRange.Positive, "Entropy regularisation ε of Sinkhorn-Knopp.")] double Epsilon = 0.05,
    [Hyper(ValueRange.AtLeastOne, "Sinkhorn-Knopp iterations.")] int SinkhornIterations = 3,
    [Hyper(ValueRange.NonNegative, "Epochs at the start during which the prototypes get no gradient.")] int FreezePrototypesEpochs = 1,
    [Hyper(ValueRange.NonNegative, "Rows of each view's embedding queue; 0 means no queue.")] int QueueSize = 0,
    [Hyper(ValueRange.NonNegative, "First epoch whose codes use the queues.")] int QueueStartEpoch = 0)
{
    /// <summary>SwAV's state: the learnable prototypes and, with <see cref="QueueSize"/> &gt; 0, one embedding queue per view.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context, int prototypes, int queueSize)
        {
            PrototypeVectors = Register("prototypes", new Prototypes(prototypes, context.ProjectionDim, context.Device), trainable: true);
            if (queueSize > 0)
            {
                Queue1 = Register("queue1", new EmbeddingQueue(queueSize, context.ProjectionDim, context.Device, null));
                Queue2 = Register("queue2", new EmbeddingQueue(queueSize, context.ProjectionDim, context.Device, null));
            }
        }

        /// <summary>The K prototype vectors (trainable).</summary>
        public Prototypes PrototypeVectors { get; }

        /// <summary>View one's embedding queue, or null.</summary>
        public EmbeddingQueue? Queue1 { get; }

        /// <summary>View two's embedding queue, or null.</summary>
        public EmbeddingQueue? Queue2 { get; }
    }

    /// <summary>Creates the prototypes and the queues.</summary>
    public State Start(ObjectiveContext context) => new(context, Prototypes, QueueSize);

    /// <summary>
    /// Normalises the prototypes, then the swapped prediction; the prototypes get no gradient during the first
    /// <see cref="FreezePrototypesEpochs"/> epochs, and the queues are used from <see cref="QueueStartEpoch"/> on,
    /// once they are full of real embeddings (the reference's queue starts empty and is used when its last row
    /// is filled; ours starts with random rows, which are never used).
    /// </summary>
    public Tensor Loss(Views views, State state)
    {
        state.PrototypeVectors.Normalize();
        var prototypes = views.Step.Epoch <= FreezePrototypesEpochs ? state.PrototypeVectors.Weight.detach() : (Tensor)state.PrototypeVectors.Weight;
        return state.Queue1 is { IsFull: true } && state.Queue2 is { IsFull: true } && views.Step.Epoch >= QueueStartEpoch
            ? Losses.SwAV(views.Z1, views.Z2, prototypes, Temperature, Epsilon, SinkhornIterations, state.Queue1.Queue, state.Queue2.Queue)
            : Losses.SwAV(views.Z1, views.Z2, prototypes, Temperature, Epsilon, SinkhornIterations);
    }

    /// <summary>Both views' projections join their queues (normalised and detached by the queue).</summary>
    public void AfterStep(Views views, State state)
    {
        state.Queue1?.Enqueue(views.Z1);
        state.Queue2?.Enqueue(views.Z2);
    }
}

public static partial class Losses
{
    /// <summary>
    /// SwAV swapped prediction. With ẑ the L2-normalised embeddings and C the prototypes,
    /// scores_v = ẑ_v Cᵀ <c>[N, K]</c>; codes q_v = <see cref="Sinkhorn"/>(scores_v, ε, iterations) are
    /// computed without gradient; p_v = softmax(scores_v / τ) over the prototypes; and
    /// loss = −½ · (1/N) Σ_n [ Σ_k q2_nk log p1_nk + Σ_k q1_nk log p2_nk ]
    /// (each view predicts the other view's code). Gradients flow to the embeddings and the prototypes
    /// through the log-probabilities only.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="prototypes">Prototype vectors <c>[K, D]</c>, rows assumed L2-normalised (see <see cref="NormalizePrototypes"/>).</param>
    /// <param name="temperature">τ &gt; 0 (SwAV: 0.1).</param>
    /// <param name="epsilon">Sinkhorn entropy ε &gt; 0 (SwAV: 0.05).</param>
    /// <param name="sinkhornIterations">Sinkhorn iterations ≥ 1 (SwAV: 3).</param>
    public static Tensor SwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations)
    {
        CheckSwAV(z1, z2, prototypes, temperature, epsilon, sinkhornIterations);
        using var scope = torch.NewDisposeScope();
        var s1 = Unit(z1).mm(prototypes.t());
        var s2 = Unit(z2).mm(prototypes.t());
        var q1 = Sinkhorn(s1, epsilon, sinkhornIterations);
        var q2 = Sinkhorn(s2, epsilon, sinkhornIterations);
        return SwappedPrediction(s1, s2, q1, q2, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SwAV with queues of past embeddings (for small batches): the codes of view v are computed by
    /// Sinkhorn over the stacked scores [queue_v Cᵀ; scores_v] (Q + N samples share the equal partition),
    /// and only the rows of the current batch are kept. Otherwise as
    /// <see cref="SwAV(Tensor, Tensor, Tensor, double, double, int)"/>.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="prototypes">Prototype vectors <c>[K, D]</c>, rows assumed L2-normalised.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="epsilon">Sinkhorn entropy ε &gt; 0.</param>
    /// <param name="sinkhornIterations">Sinkhorn iterations ≥ 1.</param>
    /// <param name="queue1">Past normalised embeddings of view 1 <c>[Q, D]</c> (e.g. <see cref="EmbeddingQueue.Queue"/>).</param>
    /// <param name="queue2">Past normalised embeddings of view 2 <c>[Q', D]</c>.</param>
    public static Tensor SwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations,
        Tensor queue1, Tensor queue2)
    {
        CheckSwAV(z1, z2, prototypes, temperature, epsilon, sinkhornIterations);
        ObjectiveArguments.Matrix(queue1, nameof(queue1));
        ObjectiveArguments.Matrix(queue2, nameof(queue2));
        CheckColumns(z1, nameof(z1), queue1, nameof(queue1));
        CheckColumns(z1, nameof(z1), queue2, nameof(queue2));
        long n = z1.shape[0];
        using var scope = torch.NewDisposeScope();
        var s1 = Unit(z1).mm(prototypes.t());
        var s2 = Unit(z2).mm(prototypes.t());
        Tensor q1, q2;
        using (torch.no_grad())
        {
            var c = prototypes.detach().t();
            q1 = Sinkhorn(torch.cat(new[] { queue1.detach().mm(c), s1.detach() }, 0), epsilon, sinkhornIterations).narrow(0, queue1.shape[0], n);
            q2 = Sinkhorn(torch.cat(new[] { queue2.detach().mm(c), s2.detach() }, 0), epsilon, sinkhornIterations).narrow(0, queue2.shape[0], n);
        }
        return SwappedPrediction(s1, s2, q1, q2, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sinkhorn–Knopp equal-partition codes (SwAV). With Q = exp(scores/ε)ᵀ <c>[K, N]</c> normalised to
    /// total mass 1, each iteration scales every prototype's row to mass 1/K and then every sample's
    /// column to mass 1/N; the result is N·Q transposed: <c>[N, K]</c>, each row a probability vector
    /// (sums to 1), each column summing to ≈ N/K (exactly so in the limit of many iterations).
    /// Computed without gradient.
    /// </summary>
    /// <remarks>Runs in the log domain (every normalisation is a log-sum-exp, which subtracts the maximum
    /// before exponentiating), so no ε or score range can overflow or underflow to an all-zero row.</remarks>
    /// <param name="scores">Sample–prototype scores <c>[N, K]</c>.</param>
    /// <param name="epsilon">Entropy regularisation ε &gt; 0 (SwAV: 0.05).</param>
    /// <param name="iterations">Iterations ≥ 1 (SwAV: 3).</param>
    public static Tensor Sinkhorn(Tensor scores, double epsilon, int iterations)
    {
        ObjectiveArguments.Matrix(scores, nameof(scores));
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentException($"The Sinkhorn epsilon must be a finite number > 0, but was {epsilon}.", nameof(epsilon));
        if (iterations < 1)
            throw new ArgumentException($"Sinkhorn needs at least one iteration, but was given {iterations}.", nameof(iterations));
        long n = scores.shape[0], k = scores.shape[1];
        using var logK = Math.Log(k).ToScalar();
        using var logN = Math.Log(n).ToScalar();
        using var epsilonScalar = epsilon.ToScalar();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // log Q, [K, N]. The initial division by the total mass is absorbed by the first row step.
        var logQ = scores.detach().t().div(epsilonScalar);
        for (int it = 0; it < iterations; it++)
        {
            logQ = logQ.sub(logQ.logsumexp(1, keepdim: true)).sub(logK); // each prototype: mass 1/K
            logQ = logQ.sub(logQ.logsumexp(0, keepdim: true)).sub(logN); // each sample: mass 1/N
        }
        // N·Q: every sample's column then sums to 1.
        return logQ.add(logN, Scalars.One).exp().t().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>L2-normalises every row of <paramref name="prototypes"/> <c>[K, D]</c> in place, without
    /// gradient (SwAV does this before every step).</summary>
    public static void NormalizePrototypes(Tensor prototypes)
    {
        ObjectiveArguments.Matrix(prototypes, nameof(prototypes));
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        prototypes.copy_(Unit(prototypes));
    }

    static Tensor SwappedPrediction(Tensor s1, Tensor s2, Tensor q1, Tensor q2, double temperature)
    {
        using var tau = temperature.ToScalar();
        var logP1 = s1.div(tau).log_softmax(1);
        var logP2 = s2.div(tau).log_softmax(1);
        var t1 = q2.mul(logP1).sum(new long[] { 1 }).mean();
        var t2 = q1.mul(logP2).sum(new long[] { 1 }).mean();
        return t1.add(t2, Scalars.One).mul(Scalars.MinusHalf);
    }

    static void CheckSwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2));
        ObjectiveArguments.Matrix(prototypes, nameof(prototypes));
        CheckColumns(z1, nameof(z1), prototypes, nameof(prototypes));
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentException($"The Sinkhorn epsilon must be a finite number > 0, but was {epsilon}.", nameof(epsilon));
        if (sinkhornIterations < 1)
            throw new ArgumentException($"Sinkhorn needs at least one iteration, but was given {sinkhornIterations}.", nameof(sinkhornIterations));
    }
}
