using System.Collections.Immutable;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>Heads ([Projector], [Predictor]): one table entry each. Objectives are records of their own ([Objective]).</summary>
    internal static class ModelKinds
    {
        public static readonly AttributeDefinition Projector = new AttributeDefinition(
            "Projector", AttributeRole.Head,
            "a projection head",
            "global::GraphSSL.Layers.Heads.Projector({input}, global::GraphSSL.Layers.Heads.Width({Hidden}, {input}), {Layers}, {BatchNorm})",
            ImmutableArray.Create(
                new ParameterDefinition("Layers", ValueKind.Int, "3", "Number of linear layers of the projection head (at least 1).", ValueRange.AtLeastOne),
                new ParameterDefinition("Hidden", ValueKind.Int, "0", "Width of the projection head's layers; 0 means the encoder's embedding size.", ValueRange.NonNegative),
                new ParameterDefinition("BatchNorm", ValueKind.Bool, "true", "Whether batch norm follows each linear layer of the projection head.")),
            stage: HeadStage.Projector,
            outputDim: "global::GraphSSL.Layers.Heads.Width({Hidden}, {input})");

        public static readonly AttributeDefinition Predictor = new AttributeDefinition(
            "Predictor", AttributeRole.Head,
            "a prediction head",
            "global::GraphSSL.Layers.Heads.Predictor({input}, global::GraphSSL.Layers.Heads.Width({Hidden}, {input}), {Layers}, {BatchNorm}, {Activation})",
            ImmutableArray.Create(
                new ParameterDefinition("Layers", ValueKind.Int, "2", "Number of linear layers of the prediction head (at least 1).", ValueRange.AtLeastOne),
                new ParameterDefinition("Hidden", ValueKind.Int, "0", "Width of the prediction head's hidden layers; 0 means the projection size.", ValueRange.NonNegative),
                new ParameterDefinition("BatchNorm", ValueKind.Bool, "true", "Whether batch norm follows each hidden linear layer of the prediction head (BGRL: false)."),
                new ParameterDefinition("Activation", ValueKind.Enum, "Relu", "Nonlinearity after each hidden layer of the prediction head (BGRL: PRelu).", enumType: "Activation")),
            stage: HeadStage.Predictor,
            outputDim: "{input}");

        public static readonly ImmutableArray<AttributeDefinition> Heads = ImmutableArray.Create(Projector, Predictor);
    }
}
