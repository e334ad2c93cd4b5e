namespace GraphSSL.Generators.Tests;

/// <summary>User code the tests feed to the generator.</summary>
internal static class Sources
{
    /// <summary>The README example.</summary>
    public const string Readme = """
        using GraphSSL;

        namespace Chem;

        [Encoder, Gin(Layers = 3, Hidden = 64)] public partial record MolGin;
        [Augmentation, NodeDropping(0.2)] public partial record DropNodes;
        [SslModel, Projector(Layers = 3)]
        public partial record GraphClr(MolGin Encoder, IAugmentation View, NtXent Objective);
        """;

    /// <summary>Code using the README example the way the README does.</summary>
    public const string ReadmeUsage = """
        using GraphSSL;

        namespace Chem;

        public static class Usage
        {
            public static TrainResult<GraphClr> Run(GraphData data, System.IProgress<EpochReport> progress)
            {
                var model = new GraphClr(new MolGin { Hidden = 128 }, new DropNodes(), new NtXent { Temperature = 0.2 });
                var other = model with { View = new DropNodes { Ratio = 0.3 } };
                ISslModel untyped = other;
                IDeclared declared = untyped.WithHyperParameter("Temperature", "0.5");
                IGraphEncoder encoder = model.Encoder;
                _ = declared.HyperParameters.Count + encoder.EmbeddingDim;
                model.Validate();
                return model.Train(data, new TrainOptions { Epochs = 20, BatchSize = 128, Seed = 7 }, progress);
            }

            public static int Declarations => GraphSSL.Generated.GraphSslCatalog.All.Count;
        }
        """;

    /// <summary>A model with one augmentation per view, no heads, in the global namespace.</summary>
    public const string TwoViews = """
        using GraphSSL;

        [Encoder, Gin(Hidden = 32, Pooling = Pooling.Mean, JumpingKnowledge = false, LearnEps = true)]
        public partial record SmallGin;

        [Augmentation, NodeDropping(0.1)] public partial record LightDrop;
        [Augmentation, NodeDropping(ratio: 0.4)] public partial record HeavyDrop;

        [SslModel]
        public sealed partial record Asymmetric(SmallGin Gnn, IAugmentation Weak, LightDrop Strong, NtXent Objective);
        """;

    /// <summary>An augmentation applying the same step twice (prefixed, numbered properties).</summary>
    public const string Composed = """
        using GraphSSL;

        namespace Chem.Views;

        /// <summary>Drops a few nodes, then a few more.</summary>
        [Augmentation]
        [NodeDropping(0.1)]
        [NodeDropping(0.25)]
        internal partial record DropTwice;
        """;

    /// <summary>The stateful objectives: MoCo (key network + queue), BYOL (target network, collapse monitor), SwAV (prototypes, queues), SimSiam (collapse monitor).</summary>
    public const string Stateful = """
        using GraphSSL;

        namespace Lab.Stateful;

        [Encoder, Gin(Layers = 2, Hidden = 32)] public partial record Gin2;

        [SslModel, Projector(Layers = 2)]
        public partial record Moco(Gin2 Encoder, IAugmentation View, MoCo Objective);

        [SslModel, Projector(Layers = 2), Predictor]
        public partial record ByolModel(Gin2 Encoder, IAugmentation View, Byol Objective);

        [SslModel, Projector]
        public partial record Swav(Gin2 Encoder, IAugmentation View1, IAugmentation View2, SwAV Objective);

        [SslModel, Projector(Layers = 2), Predictor(Hidden = 16)]
        public partial record Siam(Gin2 Encoder, IAugmentation View, SimSiam Objective);
        """;

    /// <summary>
    /// The open DSL: a user's own stateless objective (Wang &amp; Isola's alignment and uniformity), a stateful one
    /// with a queue of its own, a view of the user's own, a model using them, a composed loss, and the methods
    /// that do not fit two augmented graphs (GraphMAE: one prepared view; SimGRACE: a perturbed encoder).
    /// </summary>
    public const string Open = """
        using GraphSSL;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Lab.Open;

        [Encoder, Gin(Layers = 2, Hidden = 16)] public partial record SmallGin;
        [Augmentation, Identity] public partial record Raw;

        /// <summary>Alignment plus uniformity (Wang and Isola 2020).</summary>
        [Objective]
        public partial record AlignUniform(
            [Hyper(ValueRange.Positive, "Exponent of the alignment term.")] double Alpha = 2,
            [Hyper(ValueRange.Positive, "Scale of the uniformity term.")] double T = 2)
        {
            public Tensor Loss(Views v) => Losses.Align(v.Z1, v.Z2, Alpha) + (Losses.Uniform(v.Z1, T) + Losses.Uniform(v.Z2, T)) / 2;
        }

        /// <summary>NT-Xent against the other view and a queue of past projections.</summary>
        [Objective]
        public partial record QueuedNce([Hyper(ValueRange.AtLeastOne)] int Size = 64, [Hyper(ValueRange.Positive)] double Temperature = 0.5)
        {
            public sealed class Memory : ObjectiveState
            {
                public Memory(ObjectiveContext context, int size) => Queue = Register("queue", new EmbeddingQueue(size, context.ProjectionDim, context.Device, null));
                public EmbeddingQueue Queue { get; }
            }

            public Memory Start(ObjectiveContext context) => new(context, Size);
            public Tensor Loss(Views v, Memory memory) => Losses.MoCo(v.Z1, v.Z2.detach(), memory.Queue.Queue, Temperature);
            public void AfterStep(Views v, Memory memory) => memory.Queue.Enqueue(v.Z2);
        }

        /// <summary>Keeps every node but zeroes a share of the feature columns.</summary>
        [Augmentation]
        public partial record DropColumns([Hyper(ValueRange.Ratio, "Share of feature columns zeroed.")] double Share = 0.1)
        {
            public GraphBatch Apply(GraphBatch g, Generator rng)
                => g with { X = g.X.mul(torch.rand(new long[] { 1, g.X.shape[1] }, generator: rng, device: g.X.device).ge(Share)) };
        }

        [SslModel, Projector(Layers = 2)]
        public partial record Mine(SmallGin Encoder, IAugmentation View, AlignUniform Objective);

        [SslModel, Projector(Layers = 2)]
        public partial record Queued(SmallGin Encoder, DropColumns View, QueuedNce Objective);

        [SslModel, Projector(Layers = 2)]
        public partial record Mixed(SmallGin Encoder, IAugmentation View, NtXent Contrast, [Weight(0.1)] VicReg Regularise);

        [SslModel]
        public partial record Mae(SmallGin Encoder, Raw View, GraphMae Objective);

        /// <summary>A layer of one's own (here a GIN layer under another name), stacked with built-in ones.</summary>
        [Layer]
        public partial record Wide([Hyper(ValueRange.AtLeastOne, "Output width.")] int Hidden = 16)
        {
            public int OutputDim(int inputDim) => Hidden;
            public nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim) => new GinLayer(Hidden).CreateModule(inputDim);
        }

        [SslModel, Projector(Layers = 2)]
        public partial record Stacked(LayerStack Encoder, IAugmentation View, NtXent Objective);

        [SslModel, Projector(Layers = 2, BatchNorm = false)]
        public partial record Grace(SmallGin Encoder, Raw View1, PerturbWeights View2, NtXent Objective);
        """;
}
