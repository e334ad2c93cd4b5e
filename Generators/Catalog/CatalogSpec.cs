using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Catalog
{
    /// <summary>One catalog row: what <c>GraphSSL.Declaration</c> needs, as text.</summary>
    /// <param name="Kind">0 encoder, 1 augmentation, 2 model (the order of <c>DeclarationKind</c>).</param>
    /// <param name="Create">The C# lambda that creates a default instance from the components.</param>
    internal sealed record CatalogEntry(
        int Kind, string Name, string FullName, string Attributes, string? Objective,
        EquatableArray<HyperParameterSpec> Defaults, EquatableArray<string> Components, string Create);

    /// <summary>Every valid declaration of the compilation, sorted by kind then name.</summary>
    internal sealed record CatalogSpec(EquatableArray<CatalogEntry> Entries);
}
