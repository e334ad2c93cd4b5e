using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Layers
{
    /// <summary>A [Layer] record: its hyperparameters (the positional parameters); its members are the user's own.</summary>
    internal sealed record LayerSpec(TypeSpec Type, string Attributes, EquatableArray<HyperParameterSpec> Values);
}
