using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using GraphSSL.Training;

namespace GraphSSL.Objectives;

/// <summary>
/// MoCo (v2) with a momentum key network and a queue of negatives. Queries come from the online network,
/// keys from its EMA copy (encoder and projector, no gradient); the loss is InfoNCE against the positive key
/// and every queued key, symmetrised over both view orders: ½·[MoCo(q1, k2) + MoCo(q2, k1)]. After every
/// optimiser step the key network moves towards the online one (θ_k ← m·θ_k + (1 − m)·θ_q) and both views'
/// keys join the queue. Everything the method keeps is in <see cref="State"/>.
/// </summary>
/// <remarks>
/// MoCo v2 uses K = 65,536 and m = 0.999 on ImageNet's 1.28 M images; a TU dataset has 188 (MUTAG) to
/// 4,110 (NCI1) graphs, so a queue of that size would hold each graph hundreds of times. The default queue
/// of 4,096 keys still holds a small dataset several times over; size it below the dataset for MUTAG.
/// </remarks>
[Objective]
public sealed partial record MoCo(
    [Hyper(ValueRange.Positive, "Temperature τ of the MoCo loss.")] double Temperature = 0.2,
    [Hyper(ValueRange.AtLeastOne, "Number of queued negative keys.")] int QueueSize = 4096,
    [Hyper(ValueRange.Ratio, "EMA momentum m of the key network, in [0, 1).")] double Momentum = 0.99)
{
    /// <summary>MoCo's state: the key network (an EMA copy of encoder and projector) and the queue of past keys.</summary>
    public sealed class State : ObjectiveState
    {
        internal State(ObjectiveContext context, int queueSize)
        {
            KeyNetwork = Register("keyNetwork", context.Online.Copy());
            Queue = Register("queue", new EmbeddingQueue(queueSize, context.ProjectionDim, context.Device, null));
        }

        /// <summary>The EMA key network.</summary>
        public SslNetwork KeyNetwork { get; }

        /// <summary>Negatives: random unit rows until keys replace them.</summary>
        public EmbeddingQueue Queue { get; }

        /// <summary>This step's keys of view one and two, enqueued after the step.</summary>
        internal Tensor? K1, K2;
    }

    /// <summary>Creates the key network and the queue.</summary>
    public State Start(ObjectiveContext context) => new(context, QueueSize);

    /// <summary>Keys from the key network, then InfoNCE of each view's queries against the other view's keys and the queue.</summary>
    public Tensor Loss(Views views, State state)
    {
        state.K1 = state.KeyNetwork.Forward(views[0].Graph).Z.detach();
        state.K2 = state.KeyNetwork.Forward(views[1].Graph).Z.detach();
        return Losses.MoCo(views.Z1, state.K2, state.Queue.Queue, Temperature)
            .add(Losses.MoCo(views.Z2, state.K1, state.Queue.Queue, Temperature), Scalars.One).div(Scalars.Two);
    }

    /// <summary>Key network ← EMA of the online network; this step's keys join the queue.</summary>
    public void AfterStep(Views views, State state)
    {
        views.Online.UpdateTowards(state.KeyNetwork, Momentum);
        state.Queue.Enqueue(torch.cat(new[] { state.K1!, state.K2! }, 0));
    }
}

public static partial class Losses
{
    /// <summary>
    /// MoCo (v2) InfoNCE with a queue of negatives. With q̂, k̂ the L2-normalised queries and keys,
    /// logits_n = [ q̂_n·k̂_n, q̂_n·queue_1, …, q̂_n·queue_K ] / τ, and
    /// loss = (1/N) Σ_n −log softmax(logits_n)_0 (cross-entropy with the positive at index 0).
    /// Keys and queue receive no gradient. The queue rows are used as given (they are normalised keys,
    /// as <see cref="EmbeddingQueue"/> stores them).
    /// </summary>
    /// <param name="q">Query projections <c>[N, D]</c> (online encoder).</param>
    /// <param name="k">Key projections <c>[N, D]</c> (momentum encoder; detached here).</param>
    /// <param name="queue">Past normalised keys <c>[K, D]</c>, K ≥ 1.</param>
    /// <param name="temperature">τ &gt; 0 (MoCo v2: 0.2).</param>
    public static Tensor MoCo(Tensor q, Tensor k, Tensor queue, double temperature)
    {
        ObjectiveArguments.Pair(q, nameof(q), k, nameof(k));
        ObjectiveArguments.Matrix(queue, nameof(queue));
        CheckColumns(q, nameof(q), queue, nameof(queue));
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        long n = q.shape[0];
        using var scope = torch.NewDisposeScope();
        var qn = Unit(q);
        var positive = qn.mul(Unit(k.detach())).sum(new long[] { 1 }, keepdim: true);
        var negative = qn.mm(queue.detach().t());
        using var tau = temperature.ToScalar();
        var logits = torch.cat(new[] { positive, negative }, 1).div(tau);
        var labels = torch.zeros(n, dtype: ScalarType.Int64, device: q.device);
        return functional.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }
}
