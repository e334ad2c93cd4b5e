// The encoder kinds themselves ([Gin], [Gcn], [GraphSage], [Gat]) are written by the generator from its attribute
// table (Generators/Encoders/EncoderKinds.cs), where their hyperparameters are stated once; see obj/generated.
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

    /// <summary>The nonlinearity of a <see cref="GinAttribute"/> (inside and after each layer's MLP), <see cref="GcnAttribute"/> or <see cref="GatAttribute"/> encoder.</summary>
    public enum Activation
    {
        /// <summary>max(0, x) (the graph-level encoders' default).</summary>
        Relu = 0,
        /// <summary>Parametric ReLU with one learnable slope per layer, initialised to 0.25 (DGI, BGRL, GraphMAE).</summary>
        PRelu = 1,
        /// <summary>Exponential linear unit, α = 1.</summary>
        Elu = 2,
    }

    /// <summary>How a <see cref="GatAttribute"/> encoder's weights and attention vectors start (biases start at 0 either way).</summary>
    public enum GatInit
    {
        /// <summary>Glorot-uniform with gain 1, the attention vectors as [heads, width] matrices (PyG's <c>GATConv</c>).</summary>
        PyG = 0,
        /// <summary>
        /// Xavier-normal with gain √2 (<c>calculate_gain("relu")</c>), the attention vectors' fans those of a
        /// [1, heads, width] tensor (DGL's <c>GATConv.reset_parameters</c>, copied by GraphMAE's graphmae/models/gat.py).
        /// </summary>
        Dgl = 1,
    }
}
