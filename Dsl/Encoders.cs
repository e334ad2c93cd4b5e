using System;

namespace GraphSSL
{
    /// <summary>How node representations are pooled into one vector per graph.</summary>
    public enum Pooling
    {
        /// <summary>Sum over the graph's nodes (the study's and GraphCL's readout).</summary>
        Sum = 0,
        /// <summary>Mean over the graph's nodes.</summary>
        Mean = 1,
        /// <summary>Element-wise maximum over the graph's nodes.</summary>
        Max = 2,
    }

    /// <summary>The nonlinearity after each layer of a <see cref="GcnAttribute"/> or <see cref="GatAttribute"/> encoder.</summary>
    public enum Activation
    {
        /// <summary>max(0, x) (the graph-level encoders' default).</summary>
        Relu = 0,
        /// <summary>Parametric ReLU with one learnable slope per layer, initialised to 0.25 (DGI, BGRL, GraphMAE).</summary>
        PRelu = 1,
        /// <summary>Exponential linear unit, α = 1.</summary>
        Elu = 2,
    }

    /// <summary>
    /// Graph Isomorphism Network encoder (Xu et al., 2019) in the study's form: each layer is
    /// <c>MLP(Linear, ReLU, Linear)</c> applied to <c>(1 + ε)·x_v + Σ_{u∈N(v)} x_u</c>, followed by ReLU and
    /// batch normalisation. The graph embedding is the pooled output of every layer, concatenated
    /// (dimension <see cref="Hidden"/> × <see cref="Layers"/>), unless <see cref="JumpingKnowledge"/> is false.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class GinAttribute : Attribute
    {
        /// <summary>Number of GIN layers (at least 1). Default 3.</summary>
        public int Layers { get; set; } = 3;
        /// <summary>Hidden size of every layer (at least 1). Default 64.</summary>
        public int Hidden { get; set; } = 64;
        /// <summary>Readout applied to each layer's node representations. Default <see cref="GraphSSL.Pooling.Sum"/>.</summary>
        public Pooling Pooling { get; set; } = Pooling.Sum;
        /// <summary>When true (default) the embedding concatenates every layer's readout; when false only the last layer's.</summary>
        public bool JumpingKnowledge { get; set; } = true;
        /// <summary>When true ε is a learnable parameter per layer (initialised to 0); when false (default) ε = 0.</summary>
        public bool LearnEps { get; set; }
    }

    /// <summary>
    /// Graph Convolutional Network encoder (Kipf and Welling, 2017): each layer aggregates symmetric-normalised
    /// neighbour features (with self-loops), then ReLU and batch normalisation. Readout as for <see cref="GinAttribute"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class GcnAttribute : Attribute
    {
        /// <summary>Number of layers (at least 1). Default 3.</summary>
        public int Layers { get; set; } = 3;
        /// <summary>Hidden size of every layer (at least 1). Default 64.</summary>
        public int Hidden { get; set; } = 64;
        /// <summary>Readout applied to each layer's node representations. Default <see cref="GraphSSL.Pooling.Sum"/>.</summary>
        public Pooling Pooling { get; set; } = Pooling.Sum;
        /// <summary>When true (default) the embedding concatenates every layer's readout; when false only the last layer's.</summary>
        public bool JumpingKnowledge { get; set; } = true;
        /// <summary>Nonlinearity after each layer. Default <see cref="GraphSSL.Activation.Relu"/>.</summary>
        public Activation Activation { get; set; } = Activation.Relu;
        /// <summary>Batch normalisation after each layer's activation (default true; the node-level papers' GCNs mostly use none).</summary>
        public bool BatchNorm { get; set; } = true;
    }

    /// <summary>
    /// GraphSAGE encoder (Hamilton et al., 2017) with mean aggregation: each layer combines a node's features
    /// with the mean of its neighbours', then ReLU and batch normalisation. Readout as for <see cref="GinAttribute"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class GraphSageAttribute : Attribute
    {
        /// <summary>Number of layers (at least 1). Default 3.</summary>
        public int Layers { get; set; } = 3;
        /// <summary>Hidden size of every layer (at least 1). Default 64.</summary>
        public int Hidden { get; set; } = 64;
        /// <summary>Readout applied to each layer's node representations. Default <see cref="GraphSSL.Pooling.Sum"/>.</summary>
        public Pooling Pooling { get; set; } = Pooling.Sum;
        /// <summary>When true (default) the embedding concatenates every layer's readout; when false only the last layer's.</summary>
        public bool JumpingKnowledge { get; set; } = true;
    }

    /// <summary>
    /// Graph Attention Network encoder (Veličković et al., 2018): each layer attends over a node's neighbours
    /// with <see cref="Heads"/> attention heads, then ReLU and batch normalisation. Readout as for <see cref="GinAttribute"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class GatAttribute : Attribute
    {
        /// <summary>Number of layers (at least 1). Default 3.</summary>
        public int Layers { get; set; } = 3;
        /// <summary>Hidden size of every layer (at least 1). Default 64.</summary>
        public int Hidden { get; set; } = 64;
        /// <summary>Readout applied to each layer's node representations. Default <see cref="GraphSSL.Pooling.Sum"/>.</summary>
        public Pooling Pooling { get; set; } = Pooling.Sum;
        /// <summary>When true (default) the embedding concatenates every layer's readout; when false only the last layer's.</summary>
        public bool JumpingKnowledge { get; set; } = true;
        /// <summary>Attention heads per layer (at least 1). Default 4.</summary>
        public int Heads { get; set; } = 4;
        /// <summary>Nonlinearity after each layer. Default <see cref="GraphSSL.Activation.Relu"/>.</summary>
        public Activation Activation { get; set; } = Activation.Relu;
        /// <summary>Batch normalisation after each layer's activation. Default true.</summary>
        public bool BatchNorm { get; set; } = true;
        /// <summary>
        /// False (default): every head is <see cref="Hidden"/> wide and the heads are averaged. True: every head is
        /// <see cref="Hidden"/> / <see cref="Heads"/> wide and the heads are concatenated (GAT's and GraphMAE's hidden layers;
        /// <see cref="Hidden"/> must be a multiple of <see cref="Heads"/>).
        /// </summary>
        public bool ConcatHeads { get; set; }
    }
}
