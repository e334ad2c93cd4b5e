using GraphSSL.Generators.Tests.Infrastructure;

namespace GraphSSL.Generators.Tests;

/// <summary>
/// The generated text, compared with reviewed snapshots in Snapshots/ — one set, each generated shape pinned once.
/// <list type="bullet">
/// <item><see cref="Cli"/>: every declaration the graphssl tool ships (Examples/GraphSSL.Cli: Models.cs, which is the
/// README example, StudyModels.cs, Scenarios/OwnObjectiveAndView.cs, Recipes/RecipeModels.cs, Vocabulary/Vocabulary.cs and
/// NodeModels.cs), so encoders, built-in and own augmentations, own stateless and stateful objectives, every
/// objective family, one- and two-view models, GraphMAE, SimGRACE, node level and the catalog; and
/// <see cref="Build_output_under_obj_matches_the_generator"/> checks a real build writes the same text.</item>
/// <item>The rest pin only what no shipped declaration uses: the global namespace, a sealed model without heads
/// and GIN options (<see cref="TwoViews"/>), an internal augmentation of two steps (<see cref="ComposedAugmentation"/>),
/// a weighted composed loss and a layer of one's own (<see cref="OpenDeclarations"/>) and a catalog mixing
/// namespaced, global and internal declarations (<see cref="Catalog"/>).</item>
/// </list>
/// Accept a deliberate change with <c>GRAPHSSL_ACCEPT_SNAPSHOTS=1 dotnet test Tests/GraphSSL.Generators.Tests</c>.
/// </summary>
public class SnapshotTests
{
    static readonly string CliDirectory = Repository.Path("Examples", "GraphSSL.Cli");
    static readonly string[] CliDeclarationFiles = ["Models.cs", "StudyModels.cs", "Scenarios/OwnObjectiveAndView.cs", "Recipes/RecipeModels.cs", "Vocabulary/Vocabulary.cs", "NodeModels.cs"];

    private static Dictionary<string, string> Generate(params string[] sources)
    {
        var (_, result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(sources));
        Assert.Empty(result.Diagnostics);
        return GeneratorHarness.Generated(result);
    }

    static Dictionary<string, string> GenerateCli()
        => Generate(CliDeclarationFiles.Select(f => File.ReadAllText(Path.Combine(CliDirectory, f))).ToArray());

    [Fact]
    public void Cli()
    {
        var files = GenerateCli();
        Assert.Equal(70, files.Count); // 69 declarations and the catalog
        foreach (var (hintName, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            Snapshot.VerifySource(text, hintName, nameof(SnapshotTests));
    }

    [Fact]
    public void Build_output_under_obj_matches_the_generator()
    {
        // The CLI project is built before this test project (ProjectReference without assembly), so its
        // obj/generated folder holds what the compiler's own run of the generator wrote.
        var generated = Path.Combine(CliDirectory, "obj", "generated", "GraphSSL.Generators", "GraphSSL.Generators.GraphSslGenerator");
        Assert.True(Directory.Exists(generated), $"{generated} does not exist: EmitCompilerGeneratedFiles is off or the CLI was not built");
        var expected = GenerateCli();
        var onDisk = Directory.GetFiles(generated, "*.g.cs").ToDictionary(f => Path.GetFileName(f)!, f => File.ReadAllText(f).TrimStart('\uFEFF'));
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), onDisk.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, text) in expected)
            Assert.True(TextSnapshot.Normalize(text) == TextSnapshot.Normalize(onDisk[name]),
                $"{name} under obj/ differs from the generator's output:\n{Snapshot.Diff(TextSnapshot.Normalize(text), TextSnapshot.Normalize(onDisk[name]))}");
    }

    [Fact]
    public void Readme()
    {
        // The README example is Examples/GraphSSL.Cli/Models.cs's MolGin, DropNodes and GraphClr: their text is
        // pinned by Cli (SnapshotTests.Cli#GraphSSL.Cli.*); here only that it yields three records and the catalog.
        var files = Generate(Sources.Readme);
        Assert.Equal(new[] { "Chem.DropNodes.Augmentation.g.cs", "Chem.GraphClr.Model.g.cs", "Chem.MolGin.Encoder.g.cs", "GraphSSL.Generated.Catalog.g.cs" },
            files.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void TwoViews()
    {
        // Global namespace, a sealed model without heads, two different view types, GIN with mean pooling and learnt eps.
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
    public void OpenDeclarations()
    {
        // Of the open DSL, only what the CLI's declarations do not pin already: a composed loss with a weight and
        // a layer of one's own. (AlignUniform, QueuedNce and DropColumns generate the same text as the CLI's
        // AlignUniform, MemoryNce and MaskColumns; Mine, Queued, Mae, Grace and Stacked differ from AlignUniformModel,
        // MemoryModel, GraphMaeModel and SimGraceModel only in names.)
        var files = Generate(Sources.Open);
        foreach (var file in new[] { "Lab.Open.Mixed.Model.g.cs", "Lab.Open.Wide.Layer.g.cs" })
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

    /// <summary>
    /// The DSL's attribute classes ([Gin], [NodeDropping], [Projector], …), which the generator writes into the
    /// GraphSSL.Dsl compilation from its attribute table: pinned here, and the real GraphSSL.Dsl build must have written
    /// exactly this (its obj/generated), so what users see in the IDE is what the table says.
    /// </summary>
    [Fact]
    public void Dsl_attributes()
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.DslOnlyReferences).WithAssemblyName("GraphSSL.Dsl");
        var (_, result, _) = GeneratorHarness.Run(compilation);
        var files = GeneratorHarness.Generated(result);
        Assert.Equal(Common.AttributeTable.All.Length, files.Count);
        foreach (var (hintName, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            Snapshot.VerifySource(text, hintName, nameof(SnapshotTests));

        var built = Repository.Path("Dsl", "obj", "generated", "GraphSSL.Generators", "GraphSSL.Generators.GraphSslGenerator");
        Assert.True(Directory.Exists(built), $"{built} does not exist: the GraphSSL.Dsl build did not run the generator");
        var onDisk = Directory.GetFiles(built, "*.g.cs").ToDictionary(f => Path.GetFileName(f)!, f => TextSnapshot.Normalize(File.ReadAllText(f).TrimStart('\uFEFF')));
        Assert.Equal(files.Keys.OrderBy(k => k, StringComparer.Ordinal), onDisk.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, text) in files)
            Assert.True(TextSnapshot.Normalize(text) == onDisk[name], name + " under Dsl/obj differs from the generator's output");
        // Any other compilation gets none of them.
        Assert.DoesNotContain(Generate("namespace Plain; public record NotDeclared(int X);").Keys, k => k.EndsWith("Attribute.g.cs", StringComparison.Ordinal));
    }
}
