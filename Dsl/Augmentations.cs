using System;

namespace GraphSSL
{
    /// <summary>
    /// Node dropping: from every graph, removes ⌊ratio·n + 0.5⌋ nodes chosen uniformly at random (at
    /// most n − 1, so every graph keeps at least one node), together with every edge touching them.
    /// Dropped nodes are really removed: they do not appear in the pooled readout. Randomness is drawn
    /// per graph from the training run's seeded generator.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class NodeDroppingAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="ratio">Share of each graph's nodes to drop, in [0, 1).</param>
        public NodeDroppingAttribute(double ratio) { Ratio = ratio; }
        /// <summary>Share of each graph's nodes to drop, in [0, 1).</summary>
        public double Ratio { get; }
    }
}

namespace GraphSSL
{
    /// <summary>
    /// Edge perturbation: removes a share of each graph's edge entries chosen uniformly at random and, when
    /// <see cref="AddEdges"/> is true, adds as many random ones. Randomness is drawn per graph.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class EdgePerturbationAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="ratio">Share of each graph's edge entries to remove, in [0, 1).</param>
        public EdgePerturbationAttribute(double ratio) { Ratio = ratio; }
        /// <summary>Share of each graph's edge entries to remove (and to add), in [0, 1).</summary>
        public double Ratio { get; }
        /// <summary>Whether to add as many random edges as were removed. Default false (the study: removal only).</summary>
        public bool AddEdges { get; set; }
    }

    /// <summary>
    /// Attribute masking: replaces the whole feature rows of a share of each graph's nodes, chosen uniformly at
    /// random, by noise or zeros (<see cref="Mode"/>). Structure is untouched.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class AttributeMaskingAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="ratio">Share of each graph's nodes to mask, in [0, 1).</param>
        public AttributeMaskingAttribute(double ratio) { Ratio = ratio; }
        /// <summary>Share of each graph's nodes to mask, in [0, 1).</summary>
        public double Ratio { get; }
        /// <summary>What masked rows become. Default <see cref="MaskMode.Gaussian"/>.</summary>
        public MaskMode Mode { get; set; } = MaskMode.Gaussian;
        /// <summary>Mean of the Gaussian noise. Default 0.5 (the study's value).</summary>
        public double Mean { get; set; } = 0.5;
        /// <summary>Standard deviation of the Gaussian noise (at least 0). Default 0.5 (the study's value).</summary>
        public double Std { get; set; } = 0.5;
    }

    /// <summary>
    /// Subgraph: keeps the nodes reached by expanding a neighbourhood from a random node of each graph until
    /// a share 1 − ratio of its nodes is kept; the others are removed with their edges.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class SubgraphAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="ratio">Share of each graph's nodes to drop, in [0, 1).</param>
        public SubgraphAttribute(double ratio) { Ratio = ratio; }
        /// <summary>Share of each graph's nodes to drop, in [0, 1).</summary>
        public double Ratio { get; }
    }

    /// <summary>Feature dropout: zeroes each node feature element independently with probability p (no rescaling).</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class FeatureDropoutAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="p">Probability of zeroing an element, in [0, 1].</param>
        public FeatureDropoutAttribute(double p) { P = p; }
        /// <summary>Probability of zeroing an element, in [0, 1].</summary>
        public double P { get; }
    }

    /// <summary>Edge adding: adds random undirected edges inside each graph, a share of its edge entries.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class AddEdgesAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="ratio">Number of edges to add as a share of the graph's edge entries, in [0, 1).</param>
        public AddEdgesAttribute(double ratio) { Ratio = ratio; }
        /// <summary>Number of edges to add as a share of the graph's edge entries, in [0, 1).</summary>
        public double Ratio { get; }
    }

    /// <summary>The identity augmentation: the view is the graph itself (e.g. one raw view, one augmented, as in the study).</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
    public sealed class IdentityAttribute : Attribute { }
}
