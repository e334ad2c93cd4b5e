using System.Collections.Immutable;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Encoders
{
    /// <summary>Encoder kinds ([Gin] …): one table entry each.</summary>
    internal static class EncoderKinds
    {
        /// <summary>Every encoder's embedding size: a call to the runtime, where the formula lives.</summary>
        private const string EmbeddingDim = "global::GraphSSL.Layers.EncoderShape.EmbeddingDim({Hidden}, {Layers}, {JumpingKnowledge})";

        public static readonly AttributeDefinition Gin = new AttributeDefinition(
            "Gin", AttributeRole.EncoderKind,
            "a Graph Isomorphism Network (GIN) encoder",
            "new global::GraphSSL.Layers.GinEncoderModule({inputDim}, {Hidden}, {Layers}, {Pooling}, {JumpingKnowledge}, {LearnEps}, {Dropout}, {Activation}, {MlpBatchNorm}, {BatchNormFirst})",
            ImmutableArray.Create(
                new ParameterDefinition("Layers", ValueKind.Int, "3", "Number of GIN layers (at least 1).", ValueRange.AtLeastOne),
                new ParameterDefinition("Hidden", ValueKind.Int, "64", "Hidden size of every GIN layer (at least 1).", ValueRange.AtLeastOne),
                new ParameterDefinition("Pooling", ValueKind.Enum, "Sum", "Readout applied to each layer's node representations.", enumType: "Pooling"),
                new ParameterDefinition("JumpingKnowledge", ValueKind.Bool, "true", "Whether the embedding concatenates every layer's readout (true) or only the last layer's (false)."),
                new ParameterDefinition("LearnEps", ValueKind.Bool, "false", "Whether ε is learned per layer (true) or fixed at 0 (false)."),
                DropoutParameter(),
                new ParameterDefinition("Activation", ValueKind.Enum, "Relu", "Nonlinearity inside each layer's MLP and after it (GraphMAE: PRelu).", enumType: "Activation"),
                new ParameterDefinition("MlpBatchNorm", ValueKind.Bool, "false", "Whether the MLP normalises its hidden layer before the activation (GraphMAE)."),
                new ParameterDefinition("BatchNormFirst", ValueKind.Bool, "false", "Whether batch norm comes before the layer's last activation (GraphMAE) instead of after it.")),
            embeddingDim: EmbeddingDim);

        public static readonly AttributeDefinition Gcn = new AttributeDefinition(
            "Gcn", AttributeRole.EncoderKind,
            "a Graph Convolutional Network (GCN) encoder",
            "new global::GraphSSL.Layers.GcnEncoderModule({inputDim}, {Hidden}, {Layers}, {Pooling}, {JumpingKnowledge}, {Activation}, {BatchNorm}, {InnerHidden}, {LastActivation}, {BatchNormFirst}, {SharedActivation})",
            CommonParameters("GCN", " (the last layer's when InnerHidden is set)").AddRange(NodeLevelParameters()).AddRange(ImmutableArray.Create(
                new ParameterDefinition("InnerHidden", ValueKind.Int, "0", "Width of every layer but the last; 0: Hidden (GRACE: 2 × Hidden).", ValueRange.NonNegative),
                new ParameterDefinition("LastActivation", ValueKind.Bool, "true", "Whether the last layer is followed by the activation (and batch norm); false: a linear last layer (CCA-SSG)."),
                new ParameterDefinition("BatchNormFirst", ValueKind.Bool, "false", "Whether batch norm comes before the activation (BGRL) instead of after it."),
                new ParameterDefinition("SharedActivation", ValueKind.Bool, "false", "Whether one activation module serves every layer (GRACE: one PReLU slope for all layers) instead of one per layer."))),
            embeddingDim: "global::GraphSSL.Layers.EncoderShape.EmbeddingDim({Hidden}, {Layers}, {JumpingKnowledge}, {InnerHidden})");

        public static readonly AttributeDefinition GraphSage = MessagePassing("GraphSage", "a GraphSAGE (mean aggregation) encoder", "SageEncoderModule", "GraphSAGE");

        public static readonly AttributeDefinition Gat = new AttributeDefinition(
            "Gat", AttributeRole.EncoderKind,
            "a Graph Attention Network (GAT) encoder",
            "new global::GraphSSL.Layers.GatEncoderModule({inputDim}, {Hidden}, {Layers}, {Pooling}, {JumpingKnowledge}, {Heads}, {Activation}, {BatchNorm}, {ConcatHeads}, {Dropout}, {AttentionDropout}, {Init})",
            CommonParameters("GAT").Add(
                new ParameterDefinition("Heads", ValueKind.Int, "4", "Attention heads per GAT layer, averaged unless ConcatHeads (at least 1).", ValueRange.AtLeastOne))
                .AddRange(NodeLevelParameters())
                .Add(new ParameterDefinition("ConcatHeads", ValueKind.Bool, "false", "Whether the heads are concatenated (each Hidden / Heads wide) instead of averaged (each Hidden wide)."))
                .Add(DropoutParameter())
                .Add(new ParameterDefinition("AttentionDropout", ValueKind.Double, "0", "Dropout on the attention coefficients while training, in [0, 1).", ValueRange.Ratio))
                .Add(new ParameterDefinition("Init", ValueKind.Enum, "PyG", "How the weights and attention vectors start: PyG (Glorot-uniform) or Dgl (Xavier-normal, gain √2; GraphMAE).", enumType: "GatInit")),
            embeddingDim: EmbeddingDim);

        public static readonly ImmutableArray<AttributeDefinition> All = ImmutableArray.Create(Gin, Gcn, GraphSage, Gat);

        /// <summary>Dropout on every layer's input while training (GraphMAE's in_drop).</summary>
        private static ParameterDefinition DropoutParameter() =>
            new ParameterDefinition("Dropout", ValueKind.Double, "0", "Dropout on every layer's input while training, in [0, 1) (GraphMAE: 0.2).", ValueRange.Ratio);

        /// <summary>Activation and BatchNorm: what the node-level papers vary in their GCN and GAT encoders.</summary>
        private static ImmutableArray<ParameterDefinition> NodeLevelParameters() => ImmutableArray.Create(
            new ParameterDefinition("Activation", ValueKind.Enum, "Relu", "Nonlinearity after each layer.", enumType: "Activation"),
            new ParameterDefinition("BatchNorm", ValueKind.Bool, "true", "Whether batch normalisation follows each layer's activation."));

        /// <summary>Layers, Hidden, Pooling, JumpingKnowledge: what every message-passing encoder has.</summary>
        private static ImmutableArray<ParameterDefinition> CommonParameters(string display, string hiddenNote = "") => ImmutableArray.Create(
            new ParameterDefinition("Layers", ValueKind.Int, "3", "Number of " + display + " layers (at least 1).", ValueRange.AtLeastOne),
            new ParameterDefinition("Hidden", ValueKind.Int, "64", "Hidden size of every " + display + " layer" + hiddenNote + " (at least 1).", ValueRange.AtLeastOne),
            new ParameterDefinition("Pooling", ValueKind.Enum, "Sum", "Readout applied to each layer's node representations.", enumType: "Pooling"),
            new ParameterDefinition("JumpingKnowledge", ValueKind.Bool, "true", "Whether the embedding concatenates every layer's readout (true) or only the last layer's (false)."));

        private static AttributeDefinition MessagePassing(string name, string summary, string module, string display) => new AttributeDefinition(
            name, AttributeRole.EncoderKind, summary,
            "new global::GraphSSL.Layers." + module + "({inputDim}, {Hidden}, {Layers}, {Pooling}, {JumpingKnowledge})",
            CommonParameters(display),
            embeddingDim: EmbeddingDim);
    }
}
