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
            requiredHeads: ImmutableArray.Create("Predictor"),
            monitorsCollapse: true);

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

        public static readonly AttributeDefinition MoCo = new AttributeDefinition(
            "MoCo", AttributeRole.Objective,
            "the MoCo (v2) contrastive loss against a momentum key network and a queue of negatives, symmetrised over both view orders",
            "global::GraphSSL.Objectives.MoCo({z1}, {t2}, {queue}, {Temperature}).add(global::GraphSSL.Objectives.MoCo({z2}, {t1}, {queue}, {Temperature})).div(2.0)",
            ImmutableArray.Create(
                new ParameterDefinition("Temperature", ValueKind.Double, "0.2", "Temperature τ of the MoCo loss (greater than 0).", RangeRule.Positive),
                new ParameterDefinition("QueueSize", ValueKind.Int, "4096", "Number of queued negative keys (at least 1).", RangeRule.AtLeastOne),
                new ParameterDefinition("Momentum", ValueKind.Double, "0.99", "EMA momentum m of the key network, in [0, 1).", RangeRule.Momentum)),
            state: ObjectiveState.MomentumQueue);

        public static readonly AttributeDefinition Byol = new AttributeDefinition(
            "Byol", AttributeRole.Objective,
            "the BYOL loss (normalised predictions regressed onto the other view's projections by an EMA target network)",
            "global::GraphSSL.Objectives.Byol({p1}, {p2}, {t1}, {t2})",
            ImmutableArray.Create(
                new ParameterDefinition("BaseMomentum", ValueKind.Double, "0.99", "Target-network momentum at the first step, raised to 1 by a cosine schedule, in [0, 1).", RangeRule.Momentum)),
            requiredHeads: ImmutableArray.Create("Predictor"),
            state: ObjectiveState.MomentumTarget,
            monitorsCollapse: true);

        public static readonly AttributeDefinition SwAV = new AttributeDefinition(
            "SwAV", AttributeRole.Objective,
            "the SwAV swapped-prediction loss over learnable prototypes with Sinkhorn-Knopp codes",
            "global::GraphSSL.Objectives.SwAV({z1}, {z2}, {prototypes}, {Temperature}, {Epsilon}, {SinkhornIterations})",
            ImmutableArray.Create(
                new ParameterDefinition("Prototypes", ValueKind.Int, "30", "Number of SwAV prototypes K (at least 2).", RangeRule.AtLeastTwo),
                new ParameterDefinition("Temperature", ValueKind.Double, "0.1", "Temperature τ of the SwAV prediction softmax (greater than 0).", RangeRule.Positive),
                new ParameterDefinition("Epsilon", ValueKind.Double, "0.05", "Entropy regularisation ε of Sinkhorn-Knopp (greater than 0).", RangeRule.Positive),
                new ParameterDefinition("SinkhornIterations", ValueKind.Int, "3", "Sinkhorn-Knopp iterations (at least 1).", RangeRule.AtLeastOne),
                new ParameterDefinition("FreezePrototypesEpochs", ValueKind.Int, "1", "Epochs at the start during which the prototypes get no gradient (0 or more).", RangeRule.NonNegative),
                new ParameterDefinition("QueueSize", ValueKind.Int, "0", "Rows of each view's embedding queue; 0 means no queue (0 or more).", RangeRule.NonNegative),
                new ParameterDefinition("QueueStartEpoch", ValueKind.Int, "0", "First epoch whose codes use the queues (0 or more).", RangeRule.NonNegative)),
            state: ObjectiveState.Prototypes,
            queueTemplate: "global::GraphSSL.Objectives.SwAV({z1}, {z2}, {prototypes}, {Temperature}, {Epsilon}, {SinkhornIterations}, {queue1}, {queue2})");

        public static readonly ImmutableArray<AttributeDefinition> Objectives = ImmutableArray.Create(NtXent, SimSiam, BarlowTwins, VicReg, MoCo, Byol, SwAV);

        public static readonly ImmutableArray<AttributeDefinition> Heads = ImmutableArray.Create(Projector, Predictor);
    }
}
