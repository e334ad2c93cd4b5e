using GraphSSL.Generators.Tests.Infrastructure;

namespace GraphSSL.Generators.Tests;

/// <summary>The generated text, compared with reviewed snapshots in Snapshots/.</summary>
public class SnapshotTests
{
    private static Dictionary<string, string> Generate(params string[] sources)
    {
        var (_, result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(sources));
        Assert.Empty(result.Diagnostics);
        return GeneratorHarness.Generated(result);
    }

    [Fact]
    public void Readme()
    {
        var files = Generate(Sources.Readme);
        // Three records, one file each, plus the catalog.
        Assert.Equal(new[] { "Chem.DropNodes.Augmentation.g.cs", "Chem.GraphClr.Model.g.cs", "Chem.MolGin.Encoder.g.cs", "GraphSSL.Generated.Catalog.g.cs" },
            files.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Snapshot.VerifySource(files["Chem.MolGin.Encoder.g.cs"], "Chem.MolGin.Encoder.g.cs", nameof(SnapshotTests));
        Snapshot.VerifySource(files["Chem.DropNodes.Augmentation.g.cs"], "Chem.DropNodes.Augmentation.g.cs", nameof(SnapshotTests));
        Snapshot.VerifySource(files["Chem.GraphClr.Model.g.cs"], "Chem.GraphClr.Model.g.cs", nameof(SnapshotTests));
    }

    [Fact]
    public void TwoViews()
    {
        var files = Generate(Sources.TwoViews);
        Snapshot.VerifySource(files["Asymmetric.Model.g.cs"], "Asymmetric.Model.g.cs", nameof(SnapshotTests));
        Snapshot.VerifySource(files["SmallGin.Encoder.g.cs"], "SmallGin.Encoder.g.cs", nameof(SnapshotTests));
    }

    [Fact]
    public void ComposedAugmentation()
    {
        var files = Generate(Sources.Composed);
        Snapshot.VerifySource(files["Chem.Views.DropTwice.Augmentation.g.cs"], "Chem.Views.DropTwice.Augmentation.g.cs", nameof(SnapshotTests));
    }

    [Fact]
    public void Stateful()
    {
        // MoCo, BYOL, SwAV and SimSiam: the same step shape; their state lives in the objectives' own types.
        var files = Generate(Sources.Stateful);
        foreach (var name in new[] { "Moco", "ByolModel", "Swav", "Siam" })
            Snapshot.VerifySource(files[$"Lab.Stateful.{name}.Model.g.cs"], $"Lab.Stateful.{name}.Model.g.cs", nameof(SnapshotTests));
    }

    [Fact]
    public void OpenDeclarations()
    {
        // A user's objectives (stateless, stateful) and view, a model over them, a composed loss, GraphMAE and SimGRACE.
        var files = Generate(Sources.Open);
        foreach (var file in new[]
        {
            "Lab.Open.AlignUniform.Objective.g.cs", "Lab.Open.QueuedNce.Objective.g.cs", "Lab.Open.DropColumns.Augmentation.g.cs",
            "Lab.Open.Mine.Model.g.cs", "Lab.Open.Queued.Model.g.cs", "Lab.Open.Mixed.Model.g.cs", "Lab.Open.Mae.Model.g.cs", "Lab.Open.Grace.Model.g.cs",
            "Lab.Open.Wide.Layer.g.cs", "Lab.Open.Stacked.Model.g.cs",
        })
            Snapshot.VerifySource(files[file], file, nameof(SnapshotTests));
    }

    [Fact]
    public void Catalog()
    {
        // Declarations from three files, in an order different from the catalog's (kind, then name).
        var files = Generate(Sources.Composed, Sources.TwoViews, Sources.Readme);
        Snapshot.VerifySource(files["GraphSSL.Generated.Catalog.g.cs"], "GraphSSL.Generated.Catalog.g.cs", nameof(SnapshotTests));
    }

    [Fact]
    public void CatalogIsEmptyButPresentWithoutDeclarations()
    {
        var files = Generate("namespace Plain; public record NotDeclared(int X);");
        Assert.Equal(new[] { "GraphSSL.Generated.Catalog.g.cs" }, files.Keys);
        Assert.Contains("global::System.Array.Empty<global::GraphSSL.Declaration>()", files["GraphSSL.Generated.Catalog.g.cs"]);
    }

    [Fact]
    public void NothingIsGeneratedWithoutTheRuntime()
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.DslOnlyReferences, Sources.Composed);
        var (_, result, _) = GeneratorHarness.Run(compilation);
        Assert.Empty(GeneratorHarness.Generated(result));
    }
}
