using GraphSSL.Generators.Common;
using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GraphSSL.Generators.Tests;

/// <summary>
/// One case per descriptor: a wrong declaration, with the span the diagnostic must point at marked
/// [|like this|]. The analyzer runs on the generator's output, as in a build.
/// </summary>
public class DiagnosticTests
{
    private const string Header = """
        using GraphSSL;
        namespace Lab;
        [Encoder, Gin] public partial record G;
        [Augmentation, NodeDropping(0.2)] public partial record A;

        """;

    /// <summary>Descriptor id → a wrong declaration (appended to <see cref="Header"/>).</summary>
    public static readonly Dictionary<string, string> Cases = new()
    {
        ["GSSL0001"] = "[Encoder, Gin] public record [|NotPartial|];",
        ["GSSL0002"] = "[Encoder, Gin] public partial class [|AClass|] { }",
        ["GSSL0003"] = "public static class Outer { [Encoder, Gin] public partial record [|Inner|]; }",
        ["GSSL0004"] = "[Encoder, Gin] public partial record [|Generic|]<T>;",
        ["GSSL0005"] = "[SslModel, NtXent] public partial record NoEncoder[|(IAugmentation View)|];",
        ["GSSL0006"] = "[SslModel, NtXent] public partial record ThreeViews(G Encoder, A V1, A V2, [|A V3|]);",
        ["GSSL0007"] = "[SslModel, NtXent] public partial record Extra(G Encoder, A View, [|int Seed|]);",
        ["GSSL0008"] = "[SslModel] public partial record [|NoObjective|](G Encoder, A View);",
        ["GSSL0009"] = "[SslModel, NtXent, [|BarlowTwins|]] public partial record TwoObjectives(G Encoder, A View);",
        ["GSSL0010"] = "[Augmentation, NodeDropping([|1.0|])] public partial record DropAll;",
        ["GSSL0011"] = "[SslModel, NtXent(Temperature = [|0|])] public partial record Cold(G Encoder, A View);",
        ["GSSL0012"] = "[Encoder, Gin(Hidden = [|0|])] public partial record Empty;",
        ["GSSL0013"] = "[SslModel, NtXent, Projector(Hidden = [|-1|])] public partial record NegativeWidth(G Encoder, A View);",
        ["GSSL0014"] = "[Encoder] public partial record [|NoKind|];",
        ["GSSL0015"] = "[Encoder, Gin, [|Gcn|]] public partial record TwoKinds;",
        ["GSSL0016"] = "[Augmentation] public partial record [|DoesNothing|];",
        ["GSSL0017"] = "[[|Gin|]] public partial record NoMarker;",
        ["GSSL0018"] = "[Encoder, Augmentation, Gin, NodeDropping(0.1)] public partial record [|Both|];",
        ["GSSL0019"] = "[Encoder, Gin] public partial record [|Positional|](int Size);",
        ["GSSL0021"] = "[SslModel, [|SimSiam|]] public partial record NoPredictor(G Encoder, A View);",
        ["GSSL0022"] = "[SslModel, SwAV(Prototypes = [|1|])] public partial record OnePrototype(G Encoder, A View);",
        ["GSSL0023"] = "[SslModel, MoCo(Momentum = [|1.0|])] public partial record FrozenKeys(G Encoder, A View);",
        ["GSSL0024"] = "[SslModel, NtXent, Projector, [|Predictor|]] public partial record UnusedHead(G Encoder, A View);",
    };

    public static TheoryData<string> Ids() => new(Cases.Keys);

    private static (string Source, TextSpan Span) Markup(string text)
    {
        var source = Header + text;
        int start = source.IndexOf("[|", StringComparison.Ordinal);
        int end = source.IndexOf("|]", StringComparison.Ordinal);
        var clean = source.Remove(end, 2).Remove(start, 2);
        return (clean, new TextSpan(start, end - start - 2));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void FiresOnTheWrongDeclarationAtTheMarkedSpan(string id)
    {
        var (source, span) = Markup(Cases[id]);
        var (_, generator, analyzer, _) = GeneratorHarness.Build(source);
        Assert.Empty(generator); // the generator never reports or throws
        var ours = analyzer.Where(d => d.Id.StartsWith("GSSL", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 1, $"Expected exactly one {id}, got:\n{GeneratorHarness.Format(ours)}");
        Assert.Equal(id, ours[0].Id);
        Assert.Equal(span, ours[0].Location.SourceSpan);
        Assert.Equal(source.Substring(span.Start, span.Length), ours[0].Location.SourceTree!.ToString().Substring(span.Start, span.Length));
        Assert.Equal(Descriptors.ById(id).DefaultSeverity, ours[0].Severity);
    }

    [Fact]
    public void EveryDescriptorHasACase()
    {
        // GSSL0020 (runtime not referenced) needs other references: see RuntimeNotReferenced below.
        var covered = Cases.Keys.Append("GSSL0020").OrderBy(k => k).ToList();
        Assert.Equal(Descriptors.All.Select(d => d.Id).OrderBy(k => k), covered);
    }

    [Fact]
    public void RuntimeNotReferenced()
    {
        var source = "using GraphSSL;\nnamespace Lab;\n[Encoder, Gin] public partial record [|G|];";
        int start = source.IndexOf("[|", StringComparison.Ordinal);
        int end = source.IndexOf("|]", StringComparison.Ordinal);
        source = source.Remove(end, 2).Remove(start, 2);
        var compilation = GeneratorHarness.Compile(GeneratorHarness.DslOnlyReferences, source);
        var (_, result, output) = GeneratorHarness.Run(compilation);
        Assert.Empty(GeneratorHarness.Generated(result));
        var diagnostics = GeneratorHarness.Analyze(output);
        var d = Assert.Single(diagnostics);
        Assert.Equal("GSSL0020", d.Id);
        Assert.Equal(new TextSpan(start, end - start - 2), d.Location.SourceSpan);
    }

    /// <summary>More wrong declarations for the new objectives, each with the one diagnostic it must raise.</summary>
    public static TheoryData<string, string> MoreCases() => new()
    {
        { "GSSL0021", "[SslModel, [|Byol|], Projector] public partial record ByolWithoutPredictor(G Encoder, A View);" },
        { "GSSL0012", "[SslModel, MoCo(QueueSize = [|0|])] public partial record NoQueue(G Encoder, A View);" },
        { "GSSL0023", "[SslModel, MoCo(Momentum = [|-0.1|])] public partial record Overshoot(G Encoder, A View);" },
        { "GSSL0023", "[SslModel, Byol(BaseMomentum = [|1|]), Predictor] public partial record FrozenTarget(G Encoder, A View);" },
        { "GSSL0011", "[SslModel, MoCo(Temperature = [|0|])] public partial record ColdMoco(G Encoder, A View);" },
        { "GSSL0011", "[SslModel, SwAV(Temperature = [|-0.1|])] public partial record ColdSwav(G Encoder, A View);" },
        { "GSSL0011", "[SslModel, SwAV(Epsilon = [|0|])] public partial record NoEntropy(G Encoder, A View);" },
        { "GSSL0012", "[SslModel, SwAV(SinkhornIterations = [|0|])] public partial record NoSinkhorn(G Encoder, A View);" },
        { "GSSL0013", "[SslModel, SwAV(QueueSize = [|-5|])] public partial record NegativeQueue(G Encoder, A View);" },
        { "GSSL0013", "[SslModel, SwAV(FreezePrototypesEpochs = [|-1|])] public partial record NegativeFreeze(G Encoder, A View);" },
        { "GSSL0024", "[SslModel, SwAV, [|Predictor|]] public partial record SwavPredictor(G Encoder, A View);" },
    };

    [Theory]
    [MemberData(nameof(MoreCases))]
    public void NewObjectivesAreCheckedToo(string id, string text)
    {
        var (source, span) = Markup(text);
        var (_, generator, analyzer, _) = GeneratorHarness.Build(source);
        Assert.Empty(generator);
        var ours = analyzer.Where(d => d.Id.StartsWith("GSSL", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 1, $"Expected exactly one {id}, got:\n{GeneratorHarness.Format(ours)}");
        Assert.Equal(id, ours[0].Id);
        Assert.Equal(span, ours[0].Location.SourceSpan);
    }

    [Fact]
    public void UnusedPredictorIsAWarningAndTheModelStillGenerates()
    {
        // [Predictor] on NtXent: a warning, the model is generated, and no prediction head is built.
        var (source, _) = Markup(Cases["GSSL0024"]);
        var (_, result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var files = GeneratorHarness.Generated(result);
        Assert.True(files.ContainsKey("Lab.UnusedHead.Model.g.cs"));
        Assert.DoesNotContain("Heads.Predictor", files["Lab.UnusedHead.Model.g.cs"]);
        Assert.DoesNotContain("var p1", files["Lab.UnusedHead.Model.g.cs"]);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var d = Assert.Single(GeneratorHarness.Analyze(output));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void EveryHelpLinkPointsAtAnAnchorInDslMd()
    {
        // docs/DSL.md has an anchor <a id="gsslNNNN"></a> for every descriptor's help link.
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "GraphSSL.Dsl.sln"))) root = Path.GetDirectoryName(root);
        Assert.NotNull(root);
        var doc = File.ReadAllText(Path.Combine(root!, "docs", "DSL.md"));
        foreach (var descriptor in Descriptors.All)
        {
            var link = descriptor.HelpLinkUri;
            var anchor = link[(link.IndexOf('#') + 1)..];
            Assert.Equal(descriptor.Id.ToLowerInvariant(), anchor);
            Assert.Contains($"<a id=\"{anchor}\"></a>", doc);
        }
    }

    [Fact]
    public void AbstractRecordsAreRejectedToo()
    {
        var (_, _, analyzer, _) = GeneratorHarness.Build(Header + "[Encoder, Gin] public abstract partial record Abstract;");
        var d = Assert.Single(analyzer);
        Assert.Equal("GSSL0004", d.Id);
        Assert.Contains("is abstract", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidDeclarationsHaveNoDiagnostics()
    {
        var (_, generator, analyzer, compiler) = GeneratorHarness.Build(Sources.Readme, Sources.TwoViews, Sources.Composed);
        Assert.Empty(generator);
        Assert.Empty(analyzer);
        Assert.Empty(compiler.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void WrongDeclarationsGetNoGeneratedCode()
    {
        // Errors keep the record out of generation (and out of the catalog); the valid G and A stay in.
        var (source, _) = Markup(Cases["GSSL0008"]);
        var (_, result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var files = GeneratorHarness.Generated(result);
        Assert.Equal(new[] { "GraphSSL.Generated.Catalog.g.cs", "Lab.A.Augmentation.g.cs", "Lab.G.Encoder.g.cs" }, files.Keys.Order());
        Assert.DoesNotContain("NoObjective", files["GraphSSL.Generated.Catalog.g.cs"]);
    }

    [Fact]
    public void WarningsCanBeSuppressedWithPragma()
    {
        var (_, _, analyzer, _) = GeneratorHarness.Build(Header + "#pragma warning disable GSSL0017\n[Gin] public partial record NoMarker;\n#pragma warning restore GSSL0017");
        Assert.DoesNotContain(analyzer, d => d.Id == "GSSL0017" && !d.IsSuppressed);
    }

    [Fact]
    public void Messages()
    {
        // Every case's diagnostics with id, severity, span and message, reviewed once as a snapshot.
        var lines = new List<string>();
        foreach (var (id, text) in Cases.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var (source, _) = Markup(text);
            var (_, _, analyzer, _) = GeneratorHarness.Build(source);
            lines.Add($"== {id}: {text.Replace("[|", "").Replace("|]", "")}");
            lines.Add(GeneratorHarness.Format(analyzer));
        }
        Snapshot.VerifyText(string.Join("\n", lines) + "\n", nameof(DiagnosticTests));
    }
}
