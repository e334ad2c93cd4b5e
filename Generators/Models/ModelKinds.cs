using System.Collections.Immutable;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>Objectives ([NtXent] …) and heads ([Projector] …): one table entry each.</summary>
    internal static class ModelKinds
    {
        public static readonly AttributeDefinition NtXent = new AttributeDefinition(
            "NtXent", AttributeRole.Objective,
            "the NT-Xent (SimCLR) contrastive loss",
            "global::GraphSSL.Objectives.NtXent({z1}, {z2}, {Temperature})",
            ImmutableArray.Create(
                new ParameterDefinition("Temperature", ValueKind.Double, "0.2", "Temperature τ of the NT-Xent loss (greater than 0).", RangeRule.Positive)));

        public static readonly AttributeDefinition Projector = new AttributeDefinition(
            "Projector", AttributeRole.Head,
            "a projection head",
            "global::GraphSSL.Heads.Projector({input}, {Hidden} > 0 ? {Hidden} : {input}, {Layers}, {BatchNorm})",
            ImmutableArray.Create(
                new ParameterDefinition("Layers", ValueKind.Int, "3", "Number of linear layers of the projection head (at least 1).", RangeRule.AtLeastOne),
                new ParameterDefinition("Hidden", ValueKind.Int, "0", "Width of the projection head's layers; 0 means the encoder's embedding size.", RangeRule.NonNegative),
                new ParameterDefinition("BatchNorm", ValueKind.Bool, "true", "Whether batch norm follows each linear layer of the projection head.")),
            stage: HeadStage.Projector,
            outputDim: "{Hidden} > 0 ? {Hidden} : {input}");

        public static readonly AttributeDefinition SimSiam = new AttributeDefinition(
            "SimSiam", AttributeRole.Objective,
            "the SimSiam loss (negative cosine similarity of predictions to the other view's stop-gradient projections)",
            "global::GraphSSL.Objectives.SimSiam({p1}, {p2}, {z1}, {z2})",
            ImmutableArray<ParameterDefinition>.Empty,
            requiredHeads: ImmutableArray.Create("Predictor"));

        public static readonly AttributeDefinition BarlowTwins = new AttributeDefinition(
            "BarlowTwins", AttributeRole.Objective,
            "the Barlow Twins redundancy-reduction loss",
            "global::GraphSSL.Objectives.BarlowTwins({z1}, {z2}, {Lambda}, {Scale})",
            ImmutableArray.Create(
                new ParameterDefinition("Lambda", ValueKind.Double, "0.0039", "Weight λ of the Barlow Twins off-diagonal term (0 or more).", RangeRule.NonNegative),
                new ParameterDefinition("Scale", ValueKind.Double, "0.03125", "Factor on the whole Barlow Twins loss (greater than 0).", RangeRule.Positive)));

        public static readonly AttributeDefinition VicReg = new AttributeDefinition(
            "VicReg", AttributeRole.Objective,
            "the VICReg variance-invariance-covariance loss",
            "global::GraphSSL.Objectives.VicReg({z1}, {z2}, {Invariance}, {Variance}, {Covariance})",
            ImmutableArray.Create(
                new ParameterDefinition("Invariance", ValueKind.Double, "25", "Weight of the VICReg invariance term (0 or more).", RangeRule.NonNegative),
                new ParameterDefinition("Variance", ValueKind.Double, "25", "Weight of the VICReg variance term (0 or more).", RangeRule.NonNegative),
                new ParameterDefinition("Covariance", ValueKind.Double, "1", "Weight of the VICReg covariance term (0 or more).", RangeRule.NonNegative)));

        public static readonly AttributeDefinition Predictor = new AttributeDefinition(
            "Predictor", AttributeRole.Head,
            "a prediction head",
            "global::GraphSSL.Heads.Predictor({input}, {Hidden} > 0 ? {Hidden} : {input}, {Layers})",
            ImmutableArray.Create(
                new ParameterDefinition("Layers", ValueKind.Int, "2", "Number of linear layers of the prediction head (at least 1).", RangeRule.AtLeastOne),
                new ParameterDefinition("Hidden", ValueKind.Int, "0", "Width of the prediction head's hidden layers; 0 means the projection size.", RangeRule.NonNegative)),
            stage: HeadStage.Predictor,
            outputDim: "{input}");

        public static readonly ImmutableArray<AttributeDefinition> Objectives = ImmutableArray.Create(NtXent, SimSiam, BarlowTwins, VicReg);

        public static readonly ImmutableArray<AttributeDefinition> Heads = ImmutableArray.Create(Projector, Predictor);
    }
}
