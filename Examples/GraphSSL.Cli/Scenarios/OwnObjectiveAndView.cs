// Scenario: declare your own objective and your own view, and train them like the built-ins.
//
//   dotnet run --project Examples/GraphSSL.Cli -c Release -- train --model AlignUniformModel \
//       --dataset MUTAG --data-dir ../shared/datasets/TU --epochs 20 --seed 0
//   dotnet run --project Examples/GraphSSL.Cli -c Release -- train --model MemoryModel \
//       --dataset MUTAG --data-dir ../shared/datasets/TU --epochs 20 --seed 0 --checkpoint-dir runs/memory
//
// Dataset: MUTAG (188 molecules, 7 node features) from ../shared/datasets/TU, or any TU dataset; fixed seed 0.
// `graphssl list` shows AlignUniform, MemoryNce and MaskColumns next to the built-ins; `--set Objective.T=3`
// changes a hyperparameter. The generated trainers are under obj/generated/ (Lab.*.Model.g.cs).
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;

namespace GraphSSL.Cli.Scenarios;

/// <summary>Alignment and uniformity on the hypersphere (Wang &amp; Isola, ICML 2020): a stateless objective of one's own.</summary>
[Objective]
public partial record AlignUniform(
    [Hyper(ValueRange.Positive, "Exponent α of the alignment term.")] double Alpha = 2,
    [Hyper(ValueRange.Positive, "Scale t of the uniformity term.")] double T = 2)
{
    /// <summary>align(z1, z2) + ½·[uniform(z1) + uniform(z2)].</summary>
    // Every Scalar held: a + b would make TorchSharp create alpha = 1 on the fly (docs/DSL.md#gssl0033).
    public Tensor Loss(Views v) => Losses.Align(v.Z1, v.Z2, Alpha)
        .add(Losses.Uniform(v.Z1, T).add(Losses.Uniform(v.Z2, T), Scalars.One).div(Scalars.Two), Scalars.One);
}

/// <summary>A view of one's own: zeroes a random share of the feature columns, the same columns for every node (GRACE's feature masking).</summary>
[Augmentation]
public partial record MaskColumns([Hyper(ValueRange.Ratio, "Share of feature columns zeroed.")] double Share = 0.2)
{
    /// <summary>The batch with a random share of its feature columns set to 0.</summary>
    public GraphBatch Apply(GraphBatch g, Generator rng)
    {
        // A number passed to TorchSharp becomes a Scalar; 'using' keeps it alive until libtorch is done (GSSL0033).
        using var share = Share.ToScalar();
        return g with { X = g.X.mul(torch.rand(new long[] { 1, g.X.shape[1] }, generator: rng, device: g.X.device).ge(share).to(g.X.dtype)) };
    }
}

/// <summary>
/// A stateful objective of one's own: InfoNCE of view one against view two, with the projections of earlier
/// steps as extra negatives, kept in a queue that is checkpointed with the run (a resume replays it exactly).
/// </summary>
[Objective]
public partial record MemoryNce(
    [Hyper(ValueRange.AtLeastOne, "Past projections kept as negatives.")] int Size = 128,
    [Hyper(ValueRange.Positive, "Temperature τ.")] double Temperature = 0.5)
{
    /// <summary>The queue of past projections.</summary>
    public sealed class Memory : ObjectiveState
    {
        internal Memory(ObjectiveContext c, int size) => Queue = Register("queue", new EmbeddingQueue(size, c.ProjectionDim, c.Device, null));

        /// <summary>Unit rows, oldest overwritten first.</summary>
        public EmbeddingQueue Queue { get; }
    }

    /// <summary>Creates the queue.</summary>
    public Memory Start(ObjectiveContext context) => new(context, Size);

    /// <summary>InfoNCE of z1 against z2 (positive) and the queue (negatives).</summary>
    public Tensor Loss(Views v, Memory m) => Losses.MoCo(v.Z1, v.Z2, m.Queue.Queue, Temperature);

    /// <summary>This step's view-two projections join the queue.</summary>
    public void AfterStep(Views v, Memory m) => m.Queue.Enqueue(v.Z2);
}

/// <summary>The study's GIN with the user's objective and view, through the same generated step as every built-in.</summary>
[SslModel, Projector(Layers = 2)]
public partial record AlignUniformModel(MolGin Encoder, MaskColumns View, AlignUniform Objective);

/// <summary>The user's stateful objective over any augmentation (default: node dropping); checkpoints and resumes like the built-ins.</summary>
[SslModel, Projector(Layers = 2)]
public partial record MemoryModel(MolGin Encoder, IAugmentation View, MemoryNce Objective);
