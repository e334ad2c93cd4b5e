using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Tests;

/// <summary>Broken, half-typed declarations never make the generator or the analyzer throw.</summary>
public class RobustnessTests
{
    private const string Valid = """
        using GraphSSL;
        namespace Lab;
        [Encoder, Gin(Layers = 2, Hidden = 16, Pooling = Pooling.Max)] public partial record G;
        [Augmentation, NodeDropping(0.2), EdgePerturbation(0.1, AddEdges = true)] public partial record A;
        [SslModel, Projector(Layers = 2, Hidden = 8)] public partial record M(G Encoder, IAugmentation View, NtXent Objective);
        """;

    /// <summary>Every prefix cut at a few dozen points, plus hand-made mutations.</summary>
    public static TheoryData<string> Mutations()
    {
        var data = new TheoryData<string>();
        // 30 truncations spread over the text (most cut a declaration in half).
        for (int i = 1; i <= 30; i++) data.Add(Valid[..(Valid.Length * i / 31)]);
        foreach (var (from, to) in new[]
        {
            ("0.2)", "\"x\")"), ("0.2)", ")"), ("0.2)", "0.2, 0.3)"), ("Layers = 2", "Layers = \"two\""), ("Layers = 2", "Layers ="),
            ("Pooling.Max", "(Pooling)42"), ("Pooling.Max", "Pooling.Nope"), ("G Encoder", "Missing Encoder"), ("G Encoder", "G"),
            ("IAugmentation View", "IAugmentation View, IAugmentation View"), ("(G Encoder, IAugmentation View)", "("),
            ("partial record G;", "partial record G<"), ("partial record M", "partial record struct M"), ("partial record A;", "partial interface A { }"),
            ("[SslModel,", "[SslModel(1),"), ("Temperature = 0.5", "Temperature = double.NaN"), ("Temperature = 0.5", "Temperature = 1 / 0.0"),
            ("Hidden = 16", "Hidden = int.MaxValue"), ("namespace Lab;", "namespace ;"), ("NodeDropping(0.2)", "NodeDropping(ratio: 0.2, ratio: 0.3)"),
            ("[Encoder,", "[Encoder, Encoder,"), ("record G;", "record G { public G(int x) { } }"), ("M(G Encoder", "M(G? Encoder"),
        })
        {
            data.Add(Valid.Replace(from, to));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void GeneratorAndAnalyzerNeverThrow(string source)
    {
        var (_, generator, analyzer, _) = GeneratorHarness.Build(source);
        // Generator exceptions surface as CS8785 warnings; analyzer exceptions as AD0001.
        Assert.DoesNotContain(generator, d => d.Id == "CS8785");
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
        var (_, result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        Assert.All(result.Results, r => Assert.Null(r.Exception));
    }

    [Fact]
    public void GeneratedCodeOfAnAcceptedMutationCompiles()
    {
        // When a declaration is accepted (code generated), the generated code itself has no errors: the
        // errors of a broken declaration stay in the user's file.
        foreach (var source in ((IEnumerable<object[]>)Mutations()).Select(row => (string)row[0]))
        {
            var (output, _, _, compiler) = GeneratorHarness.Build(source);
            var generatedTrees = output.SyntaxTrees.Skip(1).ToHashSet();
            var inGenerated = compiler.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t && generatedTrees.Contains(t)).ToList();
            Assert.True(inGenerated.Count == 0, "Generated code has errors for:\n" + source + "\n" + GeneratorHarness.Format(inGenerated));
        }
    }
}
