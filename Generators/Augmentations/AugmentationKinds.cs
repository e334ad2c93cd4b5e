using System.Collections.Immutable;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>Augmentation steps ([NodeDropping] …): one table entry each.</summary>
    internal static class AugmentationKinds
    {
        public static readonly AttributeDefinition NodeDropping = new AttributeDefinition(
            "NodeDropping", AttributeRole.Augmentation,
            "node dropping",
            "global::GraphSSL.Augmentations.Augment.DropNodes({batch}, {Ratio}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("Ratio", ValueKind.Double, "0", "Share of each graph's nodes to drop, in [0, 1).", ValueRange.Ratio, constructorIndex: 0)));

        public static readonly AttributeDefinition EdgePerturbation = new AttributeDefinition(
            "EdgePerturbation", AttributeRole.Augmentation,
            "edge perturbation",
            "global::GraphSSL.Augmentations.Augment.PerturbEdges({batch}, {Ratio}, {AddEdges}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("Ratio", ValueKind.Double, "0", "Share of each graph's edge entries to remove (and to add), in [0, 1).", ValueRange.Ratio, constructorIndex: 0),
                new ParameterDefinition("AddEdges", ValueKind.Bool, "false", "Whether edge perturbation adds as many random edges as it removes.")));

        public static readonly AttributeDefinition AttributeMasking = new AttributeDefinition(
            "AttributeMasking", AttributeRole.Augmentation,
            "attribute masking",
            "global::GraphSSL.Augmentations.Augment.MaskAttributes({batch}, {Ratio}, {Mode}, {Mean}, {Std}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("Ratio", ValueKind.Double, "0", "Share of each graph's nodes whose features are masked, in [0, 1).", ValueRange.Ratio, constructorIndex: 0),
                new ParameterDefinition("Mode", ValueKind.Enum, "Gaussian", "What masked feature rows become.", enumType: "MaskMode"),
                new ParameterDefinition("Mean", ValueKind.Double, "0.5", "Mean of the masking noise."),
                new ParameterDefinition("Std", ValueKind.Double, "0.5", "Standard deviation of the masking noise (0 or more).", ValueRange.NonNegative)));

        public static readonly AttributeDefinition Subgraph = new AttributeDefinition(
            "Subgraph", AttributeRole.Augmentation,
            "subgraph sampling",
            "global::GraphSSL.Augmentations.Augment.Subgraph({batch}, {Ratio}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("Ratio", ValueKind.Double, "0", "Share of each graph's nodes left out of the sampled subgraph, in [0, 1).", ValueRange.Ratio, constructorIndex: 0)));

        public static readonly AttributeDefinition FeatureDropout = new AttributeDefinition(
            "FeatureDropout", AttributeRole.Augmentation,
            "feature dropout",
            "global::GraphSSL.Augmentations.Augment.FeatureDropout({batch}, {P}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("P", ValueKind.Double, "0", "Probability of zeroing each node feature element, in [0, 1].", ValueRange.Probability, constructorIndex: 0)));

        public static readonly AttributeDefinition AddEdges = new AttributeDefinition(
            "AddEdges", AttributeRole.Augmentation,
            "edge adding",
            "global::GraphSSL.Augmentations.Augment.AddEdges({batch}, {Ratio}, {generator})",
            ImmutableArray.Create(
                new ParameterDefinition("Ratio", ValueKind.Double, "0", "Number of edges to add as a share of each graph's edge entries, in [0, 1).", ValueRange.Ratio, constructorIndex: 0)));

        public static readonly AttributeDefinition Identity = new AttributeDefinition(
            "Identity", AttributeRole.Augmentation,
            "the identity (the graph itself)",
            "global::GraphSSL.Augmentations.Augment.Identity({batch})",
            ImmutableArray<ParameterDefinition>.Empty);

        public static readonly ImmutableArray<AttributeDefinition> All = ImmutableArray.Create(
            NodeDropping, EdgePerturbation, AttributeMasking, Subgraph, FeatureDropout, AddEdges, Identity);
    }
}
