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
}
