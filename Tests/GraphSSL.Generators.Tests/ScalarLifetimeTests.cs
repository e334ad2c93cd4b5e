using System.Collections.Immutable;
using GraphSSL.Generators.Analyzers;
using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSSL.Generators.Tests;

/// <summary>
/// GSSL0033 (ScalarLifetimeAnalyzer): TorchSharp Scalars made on the fly are reported, Scalars held by a variable
/// or field are not, the rule is off unless turned on, and the code GraphSSL generates is free of them.
/// </summary>
public class ScalarLifetimeTests
{
    const string Code = """
        using TorchSharp;
        using static TorchSharp.torch;

        public static class Ops
        {
            static readonly Scalar Half = 0.5.ToScalar();

            public static Tensor Temporaries(Tensor t, Tensor mask, int i, double p)
            {
                var a = t.eq(i);                  // 1: implicit int -> Scalar
                var b = t * 0.5;                  // 2: Tensor's operator with a number
                var c = 1 - t;                    // 3: the same, number on the left
                var d = t.div(p.ToScalar());      // 4: an explicit Scalar, but a temporary
                var e = t.masked_fill(mask, 0);   // 5: implicit again
                var f = t + t;                    // 6: + is add(other): TorchSharp makes alpha = 1 inside
                var g = t.add_(t);                // 7: the same, called directly
                var h = t.softplus();             // 8: beta and threshold, made inside
                return a.logical_or(b).logical_or(c).logical_or(d).logical_or(e).logical_or(f).logical_or(g).logical_or(h);
            }

            public static Tensor Held(Tensor t, Tensor mask, int i, double p)
            {
                using var index = i.ToScalar();
                using var rate = p.ToScalar();
                Scalar two = 2;                   // assigned to a variable: its owner decides
                var a = t.eq(index);
                var b = t * Half;
                var c = t.div(rate).add(two, GraphSSL.Scalars.One);
                var d = t.add(t, GraphSSL.Scalars.One) - t;
                return a.logical_or(b).logical_or(c).logical_or(d);
            }
        }
        """;

    static ImmutableArray<Diagnostic> Analyze(Compilation compilation, bool enabled)
    {
        var options = compilation.Options.WithSpecificDiagnosticOptions(enabled
            ? ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("GSSL0033", ReportDiagnostic.Warn)
            : ImmutableDictionary<string, ReportDiagnostic>.Empty);
        return compilation.WithOptions(options)
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ScalarLifetimeAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Id == "GSSL0033")
            .OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    [Fact]
    public void Reports_every_temporary_and_nothing_held()
    {
        var compilation = GeneratorHarness.Compile(Code);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var found = Analyze(compilation, enabled: true);
        var lines = found.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToArray();
        // The eight marked lines of Temporaries (10-17), none of Held.
        Assert.Equal(new[] { 10, 11, 12, 13, 14, 15, 16, 17 }, lines);
        var first = found[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("'i' becomes a TorchSharp Scalar", first);
        Assert.Contains("using var s = (i).ToScalar();", first);
        Assert.Equal(DiagnosticSeverity.Warning, found[0].Severity);
    }

    [Fact]
    public void Is_off_unless_turned_on()
    {
        Assert.Empty(Analyze(GeneratorHarness.Compile(Code), enabled: false));
    }

    [Fact]
    public void Generated_training_loops_hold_their_scalars()
    {
        // Sources.Open has a model summing two weighted losses: its weights were once converted at every step.
        var (_, _, output) = GeneratorHarness.Run(GeneratorHarness.Compile(Sources.Open));
        var generated = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)
                                                      && !t.FilePath.StartsWith("/obj/", StringComparison.Ordinal)).ToList();
        Assert.Contains(generated, t => t.ToString().Contains(".mul(regulariseWeightScalar)", StringComparison.Ordinal));
        var inGenerated = Analyze(output, enabled: true).Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, GeneratorHarness.Format(inGenerated));
    }
}
