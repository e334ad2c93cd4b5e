using GraphSSL.Generators.Tests.Infrastructure;

namespace GraphSSL.Generators.Tests;

/// <summary>
/// The models the graphssl tool ships (Examples/GraphSSL.Cli/Models.cs and StudyModels.cs): their generated
/// sources are pinned by snapshots, and the copies a real build writes under obj/generated/
/// (EmitCompilerGeneratedFiles) are the same text.
/// </summary>
public class ExampleSnapshotTests
{
    static readonly string CliDirectory = Path.Combine(RepoRoot(), "Examples", "GraphSSL.Cli");
    static readonly string[] DeclarationFiles = ["Models.cs", "StudyModels.cs", "Scenarios/OwnObjectiveAndView.cs", "Recipes/RecipeModels.cs", "Vocabulary.cs", "NodeModels.cs"];

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GraphSSL.Dsl.sln not found");
    }

    static Dictionary<string, string> Generate()
    {
        var sources = DeclarationFiles.Select(f => File.ReadAllText(Path.Combine(CliDirectory, f))).ToArray();
        var (_, result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(sources));
        Assert.Empty(result.Diagnostics);
        return GeneratorHarness.Generated(result);
    }

    [Fact]
    public void Cli()
    {
        var files = Generate();
        Assert.Equal(67, files.Count); // 66 declarations and the catalog
        foreach (var (hintName, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            Snapshot.VerifySource(text, hintName, nameof(ExampleSnapshotTests));
    }

    [Fact]
    public void Build_output_under_obj_matches_the_generator()
    {
        // The CLI project is built before this test project (ProjectReference without assembly), so its
        // obj/generated folder holds what the compiler's own run of the generator wrote.
        var generated = Path.Combine(CliDirectory, "obj", "generated", "GraphSSL.Generators", "GraphSSL.Generators.GraphSslGenerator");
        Assert.True(Directory.Exists(generated), $"{generated} does not exist: EmitCompilerGeneratedFiles is off or the CLI was not built");
        var expected = Generate();
        var onDisk = Directory.GetFiles(generated, "*.g.cs").ToDictionary(f => Path.GetFileName(f)!, f => File.ReadAllText(f).TrimStart('\uFEFF'));
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), onDisk.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, text) in expected)
            Assert.True(Normalize(text) == Normalize(onDisk[name]), $"{name} under obj/ differs from the generator's output:\n{Snapshot.Diff(Normalize(text), Normalize(onDisk[name]))}");
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
