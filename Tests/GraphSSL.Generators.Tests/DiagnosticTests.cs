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
        ["GSSL0005"] = "[SslModel] public partial record NoEncoder[|(IAugmentation View, NtXent Objective)|];",
        ["GSSL0006"] = "[SslModel] public partial record ThreeViews(G Encoder, A V1, A V2, [|A V3|], NtXent Objective);",
        ["GSSL0007"] = "[SslModel] public partial record Extra(G Encoder, A View, [|int Seed|], NtXent Objective);",
        ["GSSL0008"] = "[SslModel] public partial record NoObjective[|(G Encoder, A View)|];",
        ["GSSL0010"] = "[Augmentation, NodeDropping([|1.0|])] public partial record DropAll;",
        ["GSSL0011"] = "[Objective] public partial record Cold([Hyper(ValueRange.Positive)] double T = [|0|]) { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }",
        ["GSSL0012"] = "[Encoder, Gin(Hidden = [|0|])] public partial record Empty;",
        ["GSSL0013"] = "[SslModel, Projector(Hidden = [|-1|])] public partial record NegativeWidth(G Encoder, A View, NtXent Objective);",
        ["GSSL0014"] = "[Encoder] public partial record [|NoKind|];",
        ["GSSL0015"] = "[Encoder, Gin, [|Gcn|]] public partial record TwoKinds;",
        ["GSSL0016"] = "[Augmentation] public partial record [|DoesNothing|];",
        ["GSSL0017"] = "[[|Gin|]] public partial record NoMarker;",
        ["GSSL0018"] = "[Encoder, Augmentation, Gin, NodeDropping(0.1)] public partial record [|Both|];",
        ["GSSL0019"] = "[Encoder, Gin] public partial record [|Positional|](int Size);",
        ["GSSL0021"] = "[SslModel] public partial record NoPredictor(G Encoder, A View, [|SimSiam Objective|]);",
        ["GSSL0022"] = "[Objective] public partial record Clusters([Hyper(ValueRange.AtLeastTwo)] int K = [|1|]) { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }",
        ["GSSL0024"] = "[SslModel, Projector, [|Predictor|]] public partial record UnusedHead(G Encoder, A View, NtXent Objective);",
        ["GSSL0025"] = "[Objective] public partial record [|NoLoss|];",
        ["GSSL0026"] = "[Objective] public partial record WrongLoss { public double [|Loss|](Views v) => 0; }",
        ["GSSL0027"] = "[Objective] public partial record Texty([|string Name = \"x\"|]) { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }",
        ["GSSL0028"] = "[Objective] public partial record NoDefault([|double T|]) { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }",
        ["GSSL0029"] = "[Objective] public partial record Plain { public System.Collections.Generic.List<int> [|Start|](ObjectiveContext c) => new(); public TorchSharp.torch.Tensor Loss(Views v, System.Collections.Generic.List<int> s) => v.Z1.sum(); }",
        ["GSSL0030"] = "public sealed class S1 : ObjectiveState { } public sealed class S2 : ObjectiveState { } [Objective] public partial record Mixed { public S1 Start(ObjectiveContext c) => new(); public TorchSharp.torch.Tensor [|Loss|](Views v, S2 s) => v.Z1.sum(); }",
        ["GSSL0032"] = "[Layer] public partial record [|Hollow|]([Hyper(ValueRange.AtLeastOne)] int Hidden = 8);",
        ["GSSL0031"] = "[Objective(Views = 0)] public partial record [|NoViews|] { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }",
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

    /// <summary>More wrong declarations of objectives, views and models, each with the one diagnostic it must raise.</summary>
    public static TheoryData<string, string> MoreCases() => new()
    {
        { "GSSL0021", "[SslModel, Projector] public partial record ByolWithoutPredictor(G Encoder, A View, [|Byol Objective|]);" },
        { "GSSL0006", "[SslModel] public partial record TwoForOne(G Encoder, A V1, [|A V2|], GraphMae Objective);" },
        { "GSSL0026", "[Objective] public partial record Late { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); public void [|AfterStep|](Views v, ObjectiveState s) { } }" },
        { "GSSL0026", "[Objective] public partial record Early { public ObjectiveState Start(ObjectiveContext c) => new(); public TorchSharp.torch.Tensor Loss(Views v, ObjectiveState s) => v.Z1.sum(); public GraphBatch [|Prepare|](GraphBatch g) => g; }" },
        { "GSSL0026", "[Augmentation] public partial record BadView { public GraphBatch [|Apply|](GraphBatch g) => g; }" },
        { "GSSL0026", "[Augmentation] public partial record BadEncoderView { public GraphBatch [|Forward|](SslNetwork n, GraphBatch g, TorchSharp.torch.Generator r) => g; }" },
        { "GSSL0028", "[Augmentation] public partial record Share([|double Ratio|]) { public GraphBatch Apply(GraphBatch g, TorchSharp.torch.Generator r) => g; }" },
        { "GSSL0010", "[Augmentation] public partial record Half([Hyper(ValueRange.Ratio)] double Ratio = [|1.5|]) { public GraphBatch Apply(GraphBatch g, TorchSharp.torch.Generator r) => g; }" },
        { "GSSL0030", "public sealed class S3 : ObjectiveState { } [Objective] public partial record Other { public ObjectiveState Start(ObjectiveContext c) => new(); public TorchSharp.torch.Tensor Loss(Views v, ObjectiveState s) => v.Z1.sum(); public void [|AfterStep|](Views v, S3 s) { } }" },
        { "GSSL0024", "[SslModel, Projector, [|Predictor|]] public partial record SwavPredictor(G Encoder, A View, SwAV Objective);" },
    };

    [Theory]
    [MemberData(nameof(MoreCases))]
    public void ObjectivesViewsAndModelsAreCheckedToo(string id, string text)
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
        // [Predictor] with NtXent: a warning, the model is generated, and no prediction head is built.
        var (source, _) = Markup(Cases["GSSL0024"]);
        var (_, result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var files = GeneratorHarness.Generated(result);
        Assert.True(files.ContainsKey("Lab.UnusedHead.Model.g.cs"));
        Assert.DoesNotContain("Heads.Predictor", files["Lab.UnusedHead.Model.g.cs"]);
        Assert.Contains("null), // no predictor", files["Lab.UnusedHead.Model.g.cs"]);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var d = Assert.Single(GeneratorHarness.Analyze(output));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void EveryHelpLinkPointsAtAnAnchorInDslMd()
    {
        // docs/DSL.md has an anchor <a id="gsslNNNN"></a> for every descriptor's help link.
        var doc = File.ReadAllText(Repository.Path("docs", "DSL.md"));
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
