using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using GraphSSL.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSSL.Benchmarks;

/// <summary>Timing of the source generator over a synthetic project.</summary>
public sealed record GeneratorResult(
    int Models, int SourceFiles, int GeneratedFiles, double ColdRunMs, double WarmRunMs, double RerunAfterUnrelatedEditMs,
    IReadOnlyDictionary<string, int> RerunStepReasons, IReadOnlyDictionary<string, int> RerunOutputReasons, bool RerunAllCachedOrUnchanged,
    int GeneratorDiagnostics);

/// <summary>Runs <see cref="GraphSslGenerator"/> with <see cref="CSharpGeneratorDriver"/> over <c>models</c> declarations.</summary>
public static class GeneratorBench
{
    static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    /// <summary>Times a cold run, a warm full run (fresh driver) and an incremental rerun after an unrelated edit.</summary>
    public static GeneratorResult Run(int models)
    {
        var trees = new List<SyntaxTree>();
        (string Heads, string Objective)[] objectives = { ("Projector(Layers = 3)", "NtXent"), ("Projector(Layers = 3), Predictor", "SimSiam"), ("Projector(Layers = 3)", "BarlowTwins") };
        string[] augmentations = { "NodeDropping(0.2)", "Subgraph(0.2)", "AttributeMasking(0.2)", "EdgePerturbation(0.2)" };
        for (int i = 0; i < models; i++)
        {
            var source = $$"""
                using GraphSSL;
                namespace Synthetic.Models{{i}};
                [Encoder, Gin(Layers = {{1 + i % 3}}, Hidden = {{32 + i}})] public partial record Gin{{i}};
                [Augmentation, {{augmentations[i % augmentations.Length]}}] public partial record Aug{{i}};
                [SslModel, {{objectives[i % objectives.Length].Heads}}]
                public partial record Model{{i}}(Gin{{i}} Encoder, IAugmentation View, {{objectives[i % objectives.Length].Objective}} Objective);
                """;
            trees.Add(CSharpSyntaxTree.ParseText(source, Parse, path: $"/synthetic/Model{i}.cs", encoding: Encoding.UTF8));
        }
        const string Helper = "namespace Synthetic; public static class Helper { public static int Value => 1; }";
        var helperTree = CSharpSyntaxTree.ParseText(Helper, Parse, path: "/synthetic/Helper.cs", encoding: Encoding.UTF8);
        trees.Add(helperTree);
        var compilation = CSharpCompilation.Create("Synthetic", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var clock = Stopwatch.StartNew();
        var cold = CreateDriver().RunGenerators(compilation);
        double coldMs = clock.Elapsed.TotalMilliseconds;
        int generated = cold.GetRunResult().GeneratedTrees.Length;
        int diagnostics = cold.GetRunResult().Diagnostics.Length;

        clock.Restart();
        var warm = CreateDriver().RunGenerators(compilation);
        double warmMs = clock.Elapsed.TotalMilliseconds;

        // An unrelated edit: the helper's body changes; no declaration does.
        var edited = compilation.ReplaceSyntaxTree(helperTree,
            helperTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Helper.Replace("=> 1", "=> 2"), Encoding.UTF8)));
        clock.Restart();
        var rerun = warm.RunGenerators(edited);
        double rerunMs = clock.Elapsed.TotalMilliseconds;

        var result = rerun.GetRunResult().Results[0];
        // Per named step: how many outputs were Cached / Unchanged / Modified / New / Removed on the rerun.
        var stepReasons = result.TrackedSteps
            .SelectMany(s => s.Value.SelectMany(r => r.Outputs).Select(o => $"{s.Key}:{o.Reason}"))
            .GroupBy(k => k).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var outputReasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .GroupBy(o => o.Reason.ToString()).ToDictionary(g => g.Key, g => g.Count());
        // The generator's own named steps and its outputs must all be Cached or Unchanged. Roslyn's internal steps
        // ("Compilation", "compilationAndGroupedNodes_ForAttributeWithMetadataName", …) legitimately re-run
        // on any edit: they are reported but not judged.
        bool allCached = stepReasons.Keys.Where(k => !IsRoslynInternal(k[..k.LastIndexOf(':')]))
            .Select(k => k[(k.LastIndexOf(':') + 1)..]).Concat(outputReasons.Keys).All(k => k is "Cached" or "Unchanged");
        return new GeneratorResult(models, trees.Count, generated, coldMs, warmMs, rerunMs, stepReasons, outputReasons, allCached, diagnostics);
    }

    static bool IsRoslynInternal(string step) =>
        step is "Compilation" or "CompilationOptions" or "ParseOptions" or "AdditionalTexts" or "AnalyzerConfigOptions" or "MetadataReferences"
        || step.Contains("_ForAttribute", StringComparison.Ordinal);

    static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new GraphSslGenerator().AsSourceGenerator() }, parseOptions: Parse,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    static ImmutableArray<MetadataReference> References()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .ToList();
        foreach (var name in new[] { "GraphSSL.Dsl.dll", "GraphSSL.Runtime.dll", "TorchSharp.dll" })
            paths.Add(Path.Combine(AppContext.BaseDirectory, name));
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
