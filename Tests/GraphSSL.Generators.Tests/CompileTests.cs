using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Tests;

/// <summary>Generated code + user code compile against the real Dsl, Runtime and TorchSharp with no diagnostics at all.</summary>
public class CompileTests
{
    private static void AssertClean(params string[] sources)
    {
        var (output, generator, analyzer, compiler) = GeneratorHarness.Build(sources);
        Assert.Empty(generator);
        // Documentation comments are checked (CS1591) in generated code only: the test's own sources are undocumented.
        var userTrees = output.SyntaxTrees.Take(sources.Length).ToHashSet();
        var problems = compiler.Concat(analyzer)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .Where(d => !(d.Id == "CS1591" && userTrees.Contains(d.Location.SourceTree!)))
            .ToList();
        Assert.True(problems.Count == 0, "Expected no diagnostics, got:\n" + GeneratorHarness.Format(problems) + "\n\n" +
            string.Join("\n\n", output.SyntaxTrees.Skip(sources.Length).Select(t => "// " + t.FilePath + "\n" + t)));
    }

    [Fact]
    public void ReadmeExampleAndItsUsageCompile() => AssertClean(Sources.Readme, Sources.ReadmeUsage);

    [Fact]
    public void TwoViewModelCompiles() => AssertClean(Sources.TwoViews);

    [Fact]
    public void ComposedAugmentationCompiles() => AssertClean(Sources.Composed);

    [Fact]
    public void EverythingTogetherCompiles() => AssertClean(Sources.Readme, Sources.ReadmeUsage, Sources.TwoViews, Sources.Composed, Sources.Stateful);

    [Fact]
    public void StatefulObjectivesCompile() => AssertClean(Sources.Stateful);

    [Fact]
    public void StatefulObjectivesWithoutProjectorsCompile()
    {
        // No projector: keys, targets and prototypes work on the encoder's embeddings.
        AssertClean("""
            using GraphSSL;
            namespace Bare;
            [Encoder, Gcn] public partial record G;
            [SslModel] public partial record M(G Encoder, IAugmentation View, MoCo Objective);
            [SslModel, Predictor(Layers = 1)] public partial record B(G Encoder, IAugmentation View, Byol Objective);
            [SslModel] public partial record S(G Encoder, IAugmentation View, SwAV Objective);
            """);
    }

    [Fact]
    public void RuntimeChoiceValuesAreAugmentationComponents()
    {
        // RandomChoice and Compose are runtime values: a model can name them as its component types.
        AssertClean("""
            using GraphSSL;
            namespace Values;
            [Encoder, Gin] public partial record G;
            [Augmentation, NodeDropping(0.2)] public partial record Drop;
            [Augmentation, AttributeMasking(0.2)] public partial record Mask;
            [SslModel] public partial record M(G Encoder, RandomChoice View, NtXent Objective);
            public static class Use
            {
                public static M Make() => new(new G(), new RandomChoice(new Drop(), new Compose(new Mask(), new Drop())), new NtXent());
            }
            """);
    }

    [Fact]
    public void MembersNamedLikeLocalsStillCompile()
    {
        // Positional members named like the Train method's locals must be reached through "this.".
        AssertClean("""
            using GraphSSL;
            namespace Odd;
            [Encoder, Gin] public partial record G;
            [SslModel] public partial record M(G network, IAugmentation views, IAugmentation batch, NtXent state);
            [SslModel] public partial record N(G context, IAugmentation step, NtXent objectiveState, [Weight(0.5)] VicReg loss);
            """);
    }

    [Fact]
    public void KeywordNamespacesAndNamesCompile()
    {
        AssertClean("""
            using GraphSSL;
            namespace @event.@class;
            [Encoder, Gin] public partial record @object;
            [Augmentation, NodeDropping(0.2)] public partial record @int;
            [Objective] public partial record @float([Hyper(ValueRange.Positive)] double @double = 1) { public TorchSharp.torch.Tensor Loss(Views @in) => @in.Z1.sum().mul(@double); }
            [SslModel] public partial record @base(@object Encoder, @int View, @float @out);
            """);
    }
}

/// <summary>Every table entry (encoders, augmentations, objectives, heads) generates code that compiles against the runtime.</summary>
public class CompileEveryKindTests
{
    [Fact]
    public void AllKindsCompile()
    {
        var (output, generator, analyzer, compiler) = GeneratorHarness.Build("""
            using GraphSSL;
            namespace Zoo;
            [Encoder, Gin(LearnEps = true)] public partial record E1;
            [Encoder, Gcn(Layers = 2)] public partial record E2;
            [Encoder, GraphSage(Pooling = Pooling.Mean)] public partial record E3;
            [Encoder, Gat(Heads = 2, JumpingKnowledge = false)] public partial record E4;
            [Augmentation, NodeDropping(0.2), EdgePerturbation(0.2, AddEdges = true), AttributeMasking(0.3, Mode = MaskMode.Zero),
             Subgraph(0.2), FeatureDropout(0.1), AddEdges(0.1), Identity]
            public partial record Everything;
            [Augmentation, Identity] public partial record Raw;
            [SslModel, Projector] public partial record M1(E1 Encoder, IAugmentation View, NtXent Objective);
            [SslModel, Projector(Layers = 2), Predictor(Hidden = 16)] public partial record M2(E2 Encoder, Raw Raw, Everything Augmented, SimSiam Objective);
            [SslModel, Projector] public partial record M3(E3 Encoder, IAugmentation View, BarlowTwins Objective);
            [SslModel] public partial record M4(E4 Encoder, IAugmentation View1, IAugmentation View2, VicReg Objective);
            [SslModel, Predictor] public partial record M5(E1 Encoder, IAugmentation View, SimSiam Objective);
            [SslModel, Projector] public partial record M6(E2 Encoder, IAugmentation View, MoCo Objective);
            [SslModel, Projector, Predictor] public partial record M7(E3 Encoder, Raw Raw, Everything Augmented, Byol Objective);
            [SslModel] public partial record M8(E4 Encoder, IAugmentation View, SwAV Objective);
            """);
        Assert.Empty(generator);
        var userTree = output.SyntaxTrees.First();
        var problems = compiler.Concat(analyzer)
            .Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden && !(d.Id == "CS1591" && d.Location.SourceTree == userTree))
            .ToList();
        Assert.True(problems.Count == 0, GeneratorHarness.Format(problems));
        // 4 encoders + 2 augmentations + 8 models + the catalog, after the source and the implicit global usings.
        Assert.Equal(15, output.SyntaxTrees.Count() - 2);
    }
}
