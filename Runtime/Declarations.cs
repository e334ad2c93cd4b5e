namespace GraphSSL;

// The catalog contract: what generated code implements for every declaration and what the generated
// catalogs list. No tensor types here; the model contract (ISslModel) is in Training/ISslModel.cs.

/// <summary>What a declaration is.</summary>
public enum DeclarationKind
{
    /// <summary>A record with <c>[Encoder]</c>.</summary>
    Encoder,
    /// <summary>A record with <c>[Augmentation]</c>.</summary>
    Augmentation,
    /// <summary>A record with <c>[SslModel]</c>.</summary>
    Model,
    /// <summary>A record with <c>[Objective]</c>.</summary>
    Objective,
    /// <summary>A record with <c>[Layer]</c>.</summary>
    Layer,
}

/// <summary>One generated hyperparameter of a declared record.</summary>
/// <param name="Name">Property name, e.g. "Temperature".</param>
/// <param name="Type">C# type, e.g. "double".</param>
/// <param name="Value">Current value as invariant text.</param>
/// <param name="Attribute">Attribute it comes from, e.g. "NtXent".</param>
public sealed record HyperParameter(string Name, string Type, string Value, string Attribute);

/// <summary>
/// A record declared with the DSL, seen as a value: its name, its hyperparameters and a way to vary them
/// by name (what the CLI and sweeps use). Implemented by generated code.
/// </summary>
public interface IDeclared
{
    /// <summary>The record's name, e.g. "GraphClr".</summary>
    string DeclaredName { get; }
    /// <summary>Current values of the record's generated hyperparameters.</summary>
    IReadOnlyList<HyperParameter> HyperParameters { get; }
    /// <summary>A copy with one hyperparameter set from text; <see cref="ArgumentException"/> for an unknown name or bad value.</summary>
    IDeclared WithHyperParameter(string name, string value);
}

/// <summary>A catalog entry for one declared record, emitted by the generator.</summary>
/// <param name="Name">Record name.</param>
/// <param name="FullName">Namespace-qualified name.</param>
/// <param name="Kind">Encoder, augmentation or model.</param>
/// <param name="Attributes">The attribute list as written, e.g. "[SslModel, Projector(Layers = 3)]".</param>
/// <param name="Objective">Models: the objective types they sum, e.g. "NtXent" or "NtXent + VicReg"; objectives: their own name; else null.</param>
/// <param name="Defaults">Hyperparameters with their default values.</param>
/// <param name="Components">A model's record parameter types in order (encoder, views, objectives); empty otherwise.</param>
/// <param name="Create">Makes an instance with default hyperparameters from the components, in order.</param>
public sealed record Declaration(
    string Name,
    string FullName,
    DeclarationKind Kind,
    string Attributes,
    string? Objective,
    IReadOnlyList<HyperParameter> Defaults,
    IReadOnlyList<string> Components,
    Func<IReadOnlyList<object>, IDeclared> Create);
