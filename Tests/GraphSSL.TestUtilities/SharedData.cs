using Xunit;

namespace GraphSSL.TestUtilities;

/// <summary>
/// The datasets in <c>../shared/datasets</c> beside the repository (absent on some machines). Each lookup comes
/// in two forms: one that returns <see langword="null"/> when the data is absent, and a <c>Require…</c> one that
/// skips the calling <c>[SkippableFact]</c>/<c>[SkippableTheory]</c> VISIBLY (reported SKIPPED, never passed).
/// </summary>
public static class SharedData
{
    /// <summary><c>../shared/datasets</c> beside the repository, whether or not it exists.</summary>
    public static string Root { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.Root, "..", "shared", "datasets"));

    /// <summary><c>../shared/datasets/TU</c>, or, with a name, <c>../shared/datasets/TU/NAME</c>; <see langword="null"/> when absent.</summary>
    public static string? Tu(string? name = null) => ExistingFolder(name is null ? ["TU"] : ["TU", name]);

    /// <summary>
    /// The Planetoid root <c>../shared/datasets/Planetoid</c> (holding <c>cora/</c>, <c>citeseer/</c>, …) when it holds
    /// <paramref name="name"/>'s graph file <c>name/ind.name.graph</c> (any case of the name); otherwise <see langword="null"/>.
    /// </summary>
    public static string? Planetoid(string name)
    {
        var root = System.IO.Path.Combine(Root, "Planetoid");
        var lower = name.ToLowerInvariant();
        return File.Exists(System.IO.Path.Combine(root, lower, $"ind.{lower}.graph")) ? root : null;
    }

    /// <summary><see cref="Tu"/>, or a visible skip when it is absent.</summary>
    public static string RequireTu(string? name = null, string? why = null)
        => Require(Tu(name), name is null ? "TU" : $"TU/{name}", why);

    /// <summary><see cref="Planetoid"/>, or a visible skip when <paramref name="name"/>'s files are absent.</summary>
    public static string RequirePlanetoid(string name, string? why = null)
        => Require(Planetoid(name), $"Planetoid/{name.ToLowerInvariant()}", why);

    /// <summary>The message a test skipped for missing data reports.</summary>
    public static string Missing(string relative, string? why = null)
        => $"../shared/datasets/{relative} is absent beside the repository" + (why is null ? "." : ": " + why);

    static string Require(string? path, string relative, string? why)
    {
        Skip.If(path is null, Missing(relative, why));
        return path!;
    }

    static string? ExistingFolder(string[] parts)
    {
        var path = System.IO.Path.Combine([Root, .. parts]);
        return Directory.Exists(path) ? path : null;
    }
}
