using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Catalog
{
    /// <summary>One catalog row: what <c>GraphSSL.Declaration</c> needs, as text.</summary>
    /// <param name="Kind">0 encoder, 1 augmentation, 2 model, 3 objective, 4 layer (the order of <c>DeclarationKind</c>).</param>
    /// <param name="Create">The C# lambda that creates a default instance from the components.</param>
    internal sealed record CatalogEntry(
        int Kind, string Name, string FullName, string Attributes, string? Objective,
        EquatableArray<HyperParameterSpec> Defaults, EquatableArray<string> Components, string Create);

    /// <summary>Where the catalog goes: GraphSSL.Runtime's own is the public BuiltInCatalog; every other assembly's includes it.</summary>
    /// <param name="IsRuntime">This compilation is GraphSSL.Runtime (its declarations are the built-ins).</param>
    /// <param name="HasBuiltIns">GraphSSL.Runtime's BuiltInCatalog is referenced, so the built-ins are listed too.</param>
    internal sealed record CatalogPlacement(bool IsRuntime, bool HasBuiltIns);

    /// <summary>Every valid declaration of the compilation, sorted by kind then name, and where the catalog goes.</summary>
    internal sealed record CatalogSpec(EquatableArray<CatalogEntry> Entries, CatalogPlacement Placement);
}
