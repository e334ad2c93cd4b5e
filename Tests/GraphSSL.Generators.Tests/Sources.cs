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
        [SslModel, NtXent(Temperature = 0.2), Projector(Layers = 3)]
        public partial record GraphClr(MolGin Encoder, IAugmentation View);
        """;

    /// <summary>Code using the README example the way the README does.</summary>
    public const string ReadmeUsage = """
        using GraphSSL;

        namespace Chem;

        public static class Usage
        {
            public static TrainResult<GraphClr> Run(GraphData data, System.IProgress<EpochReport> progress)
            {
                var model = new GraphClr(new MolGin { Hidden = 128 }, new DropNodes());
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

        [SslModel, NtXent(Temperature = 1e-3)]
        public sealed partial record Asymmetric(SmallGin Gnn, IAugmentation Weak, LightDrop Strong);
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

        [SslModel, MoCo(Temperature = 0.2, QueueSize = 256, Momentum = 0.99), Projector(Layers = 2)]
        public partial record Moco(Gin2 Encoder, IAugmentation View);

        [SslModel, Byol(BaseMomentum = 0.99), Projector(Layers = 2), Predictor]
        public partial record Byol(Gin2 Encoder, IAugmentation View);

        [SslModel, SwAV(Prototypes = 10, QueueSize = 128, QueueStartEpoch = 2), Projector]
        public partial record Swav(Gin2 Encoder, IAugmentation View1, IAugmentation View2);

        [SslModel, SimSiam, Projector(Layers = 2), Predictor(Hidden = 16)]
        public partial record Siam(Gin2 Encoder, IAugmentation View);
        """;
}
