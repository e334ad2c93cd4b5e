using System.Collections.Immutable;
using System.Diagnostics;
using GraphSSL.Generators.Analyzers;
using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace GraphSSL.Generators.Tests;

/// <summary>
/// The IDE's view of the generator and the analyzer: declaration files as they are typed, character by
/// character (every prefix, or a seeded sample of them), and declarations whose attribute arguments, record
/// parameters and members are replaced by random values — valid ones, wrong ones the DSL must report, and
/// junk (wrong types, huge values, <c>nameof</c> of nothing, odd <c>Loss</c> signatures). For every input:
/// no exception in the generator (<see cref="GeneratorDriverRunResult"/>, CS8785) or the analyzer (AD0001,
/// caught by an exception handler too), every GSSL diagnostic points into the user's file, generated code
/// has no errors unless the user's code has, and the run is bounded in time. Complete valid files and
/// all-valid mutations give no GSSL diagnostic at all; wrong values give at least one diagnostic.
/// </summary>
/// <remarks>
/// CI size (2,040 inputs, seed 15): every prefix of <see cref="Sources.Readme"/>, <see cref="Sources.Composed"/>
/// and <see cref="Sources.TwoViews"/> (890), 300 sampled prefixes of <see cref="Sources.Open"/> and 150 of
/// <see cref="Sources.Stateful"/> (each plus the whole file), and 700 mutations. Longer runs: <c>GRAPHSSL_GENERATOR_FUZZ_CASES</c> (mutations),
/// <c>GRAPHSSL_GENERATOR_FUZZ_PREFIXES</c> (sampled prefixes per long file, or <c>all</c>),
/// <c>GRAPHSSL_GENERATOR_FUZZ_SEED</c>, e.g.
/// <c>GRAPHSSL_GENERATOR_FUZZ_CASES=20000 GRAPHSSL_GENERATOR_FUZZ_PREFIXES=all dotnet test Tests/GraphSSL.Generators.Tests --filter FullyQualifiedName~GeneratorFuzz</c>.
/// </remarks>
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    public const string CasesVariable = "GRAPHSSL_GENERATOR_FUZZ_CASES";
    public const string PrefixesVariable = "GRAPHSSL_GENERATOR_FUZZ_PREFIXES";
    public const string SeedVariable = "GRAPHSSL_GENERATOR_FUZZ_SEED";

    static readonly TimeSpan CaseBound = TimeSpan.FromSeconds(20);

    static int Seed => int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : 15;
    static int MutationCases => int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), out var n) && n > 0 ? n : 700;

    /// <summary>Sampled prefixes per long file; null: all.</summary>
    static int? PrefixSample(int ciDefault)
    {
        var value = Environment.GetEnvironmentVariable(PrefixesVariable);
        if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase)) return null;
        return int.TryParse(value, out var n) && n > 0 ? n : ciDefault;
    }

    /// <summary>What one input produced.</summary>
    sealed record Outcome(
        ImmutableArray<Diagnostic> Gssl,
        ImmutableArray<Diagnostic> UserErrors,
        ImmutableArray<Diagnostic> GeneratedErrors,
        int GeneratedFiles,
        TimeSpan Time);

    /// <summary>
    /// Runs <paramref name="driver"/> (kept across inputs, as the IDE keeps it between keystrokes) and the
    /// analyzer on <paramref name="source"/>; fails on any exception or misplaced diagnostic.
    /// </summary>
    static Outcome Check(ref GeneratorDriver driver, string source, string label)
    {
        var clock = Stopwatch.StartNew();
        var compilation = GeneratorHarness.Compile(source);
        var tree = compilation.SyntaxTrees.First(); // the source; the harness adds the implicit global usings after it
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out var driverDiagnostics);
        var run = driver.GetRunResult();
        foreach (var result in run.Results)
            if (result.Exception is not null)
                Assert.Fail($"{label}: the generator threw {result.Exception}\n--- input ---\n{source}");
        Assert.True(!driverDiagnostics.Any(d => d.Id == "CS8785") && !run.Diagnostics.Any(d => d.Id == "CS8785"),
            $"{label}: CS8785 (generator failed)\n{GeneratorHarness.Format(driverDiagnostics)}\n--- input ---\n{source}");

        var analyzerExceptions = new List<Exception>();
        var withAnalyzers = withGenerated.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new DeclarationAnalyzer()),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (e, _, _) => { lock (analyzerExceptions) analyzerExceptions.Add(e); },
                concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var analyzerDiagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.True(analyzerExceptions.Count == 0, $"{label}: the analyzer threw {analyzerExceptions.FirstOrDefault()}\n--- input ---\n{source}");
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");

        var gssl = run.Diagnostics.Concat(analyzerDiagnostics).Where(d => d.Id.StartsWith("GSSL", StringComparison.Ordinal)).ToImmutableArray();
        foreach (var d in gssl)
        {
            // Every GSSL diagnostic points into the user's file, inside its text: the IDE can underline it.
            Assert.True(d.Location.IsInSource && d.Location.SourceTree!.FilePath == tree.FilePath && d.Location.SourceSpan.End <= source.Length,
                $"{label}: {d.Id} is not located in the user's file: {d.Location}\n--- input ---\n{source}");
            Assert.False(string.IsNullOrWhiteSpace(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)), $"{label}: {d.Id} has no message");
        }

        // The user's file first (cheap: binds that tree only); the generated files only when the user's
        // code is clean, which is when an error there would be the generator's fault.
        var userErrors = withGenerated.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var generatedErrors = ImmutableArray<Diagnostic>.Empty;
        if (userErrors.Length == 0 && !gssl.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            generatedErrors = withGenerated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree != tree).ToImmutableArray();
            // Errors in generated code are acceptable only as a consequence of errors in the user's code
            // (a type the prefix has not declared yet, an argument of the wrong type); otherwise the
            // generator accepted a declaration it cannot build.
            Assert.True(generatedErrors.Length == 0,
                $"{label}: generated code has errors although the user's code has none:\n{GeneratorHarness.Format(generatedErrors)}\n--- input ---\n{source}");
        }
        var elapsed = clock.Elapsed;
        Assert.True(elapsed < CaseBound, $"{label}: took {elapsed.TotalSeconds:F1} s");
        return new Outcome(gssl, userErrors, generatedErrors, run.Results.Sum(r => r.GeneratedSources.Length), elapsed);
    }

    // ------------------------------------------------------------------ typing, character by character

    public static TheoryData<string> TypedFiles => new() { "Readme", "Composed", "TwoViews", "Stateful", "Open" };

    static string SourceNamed(string name) => name switch
    {
        "Readme" => Sources.Readme,
        "Composed" => Sources.Composed,
        "TwoViews" => Sources.TwoViews,
        "Stateful" => Sources.Stateful,
        "Open" => Sources.Open,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(TypedFiles))]
    public void Every_prefix_of_a_declaration_file_as_typed_never_crashes_and_the_whole_file_is_clean(string file)
    {
        var text = SourceNamed(file);
        // Short files: every prefix. Long ones: a seeded sample, always in typing order (the driver is
        // incremental and sees each prefix after the previous one), plus the whole file at the end.
        int? sample = file switch { "Open" => PrefixSample(300), "Stateful" => PrefixSample(150), _ => null };
        // Seeded per file (string.GetHashCode is randomised per process, so not that).
        var random = new Random(Seed * 7919 + text.Length);
        var lengths = sample is int k && k < text.Length
            ? Enumerable.Range(0, text.Length).OrderBy(_ => random.Next()).Take(k).Order().ToList()
            : Enumerable.Range(0, text.Length).ToList();
        lengths.Add(text.Length);

        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        int withGssl = 0, withErrors = 0, generated = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        Outcome? last = null;
        foreach (var length in lengths)
        {
            last = Check(ref driver, text[..length], $"{file}[..{length}]");
            if (last.Gssl.Length > 0) withGssl++;
            if (last.UserErrors.Length > 0) withErrors++;
            if (last.GeneratedFiles > 0) generated++;
            if (last.Time > slowest) slowest = last.Time;
        }

        // The complete file: no GSSL diagnostic (not even a warning), no compiler error anywhere.
        Assert.True(last!.Gssl.Length == 0, $"{file}: the complete valid file gets {GeneratorHarness.Format(last.Gssl)}");
        Assert.Empty(last.UserErrors);
        Assert.Empty(last.GeneratedErrors);

        // Typing incrementally gives what a fresh driver gives for the complete file.
        var fresh = GeneratorHarness.CreateDriver(trackSteps: false);
        var freshOutcome = Check(ref fresh, text, file + " (fresh driver)");
        Assert.Equal(freshOutcome.GeneratedFiles, last.GeneratedFiles);
        Assert.Equal(Texts(fresh), Texts(driver));

        output.WriteLine($"{file}: {lengths.Count} prefixes of {text.Length + 1} (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s, slowest {slowest.TotalMilliseconds:F0} ms; " +
                         $"{withGssl} with GSSL diagnostics, {withErrors} with C# errors, {generated} generated code; 0 exceptions.");
    }

    static Dictionary<string, string> Texts(GeneratorDriver driver)
        => GeneratorHarness.Generated(driver.GetRunResult());

    [Theory]
    [InlineData("17")]
    [InlineData("int.MaxValue")]
    [InlineData("1 << 30")]
    public void A_huge_view_count_is_reported_instead_of_generating_code_per_view(string views)
    {
        // Found by the mutations below: Views = int.MaxValue made the model emitter write a line per view
        // until the generator ran out of memory (CS8785 in the IDE, on every keystroke).
        var source = $$"""
            using GraphSSL;
            namespace Fuzz;
            [Encoder, Gin(Layers = 2, Hidden = 16)] public partial record E;
            [Objective(Views = {{views}})] public partial record O { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }
            [SslModel] public partial record M(E Encoder, IAugmentation View, O Objective);
            """;
        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        var outcome = Check(ref driver, source, "Views = " + views);
        Assert.Contains(outcome.Gssl, d => d.Id == "GSSL0031" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("at most 16", StringComparison.Ordinal));
        Assert.DoesNotContain(Texts(driver).Keys, k => k.Contains(".M.", StringComparison.Ordinal));

        // 16 is the most, and accepted.
        var sixteen = Check(ref driver, source.Replace("Views = " + views, "Views = 16", StringComparison.Ordinal), "Views = 16");
        Assert.Empty(sixteen.Gssl);
        Assert.Contains(Texts(driver).Keys, k => k.Contains(".M.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("0")]
    [InlineData("17")]
    public void A_view_count_out_of_range_with_several_view_parameters_is_reported_once(string views)
    {
        // Found by the long fuzzing run (seed 2024, mutation 2744): Views = -3 on a model with three view
        // parameters made the model parser index views[-3] (ArgumentOutOfRangeException, CS8785).
        var source = $$"""
            using GraphSSL;
            namespace Fuzz;
            [Encoder, Gin(Layers = 2, Hidden = 16)] public partial record E;
            [Augmentation, NodeDropping(0.1)] public partial record A;
            [Objective(Views = {{views}})] public partial record O { public TorchSharp.torch.Tensor Loss(Views v) => v.Z1.sum(); }
            [SslModel] public partial record M(E Encoder, A V1, A V2, A V3, O Objective);
            """;
        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        var outcome = Check(ref driver, source, "Views = " + views + " with three views");
        Assert.Equal("GSSL0031", Assert.Single(outcome.Gssl).Id);
    }

    [Theory]
    [InlineData("double.NaN", true)]
    [InlineData("-1", true)]
    [InlineData("double.PositiveInfinity", false)]
    [InlineData("1e308", false)]
    [InlineData("0", false)]
    public void A_weight_that_is_nan_or_negative_is_reported_and_no_weight_crashes_the_emitter(string weight, bool reported)
    {
        // Found by the mutations below: [Weight(double.NaN)] made the model emitter parse "double.NaN" as a
        // number (FormatException, CS8785); ∞ the same. NaN and negative weights are now GSSL0013.
        var source = $$"""
            using GraphSSL;
            namespace Fuzz;
            [Encoder, Gin(Layers = 2, Hidden = 16)] public partial record E;
            [SslModel, Projector] public partial record M(E Encoder, IAugmentation View, NtXent Contrast, [Weight({{weight}})] VicReg Regularise);
            """;
        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        var outcome = Check(ref driver, source, "Weight = " + weight);
        if (reported)
        {
            var d = Assert.Single(outcome.Gssl);
            Assert.Equal("GSSL0013", d.Id);
            Assert.Contains("Regularise weight", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Equal("Weight(" + weight + ")", source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        }
        else
        {
            Assert.Empty(outcome.Gssl);
            Assert.Contains(Texts(driver).Keys, k => k.Contains(".M.", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("public Tensor Loss(ref Views v) => v.Z1;")]
    [InlineData("public Tensor Loss(out Views v) { v = null!; return null!; }")]
    [InlineData("private Tensor Loss(Views v) => v.Z1;")]
    [InlineData("public Tensor Loss<T>(Views v) => v.Z1;")]
    [InlineData("public sealed class S : ObjectiveState { } public S Start(ref ObjectiveContext c) => new(); public Tensor Loss(Views v, S s) => v.Z1;")]
    [InlineData("public sealed class S : ObjectiveState { } public S Start(ObjectiveContext c) => new(); public Tensor Loss(Views v, S s) => v.Z1; private void AfterStep(Views v, S s) { }")]
    public void An_objective_member_the_generated_step_cannot_call_is_reported_as_a_wrong_signature(string members)
    {
        // Found by the mutations below: Loss(ref Views v) was accepted and the generated call did not compile.
        var source = $$"""
            using GraphSSL;
            using TorchSharp;
            using static TorchSharp.torch;
            namespace Fuzz;
            [Encoder, Gin(Layers = 2, Hidden = 16)] public partial record E;
            [Objective] public partial record O { {{members}} }
            [SslModel] public partial record M(E Encoder, IAugmentation View, O Objective);
            """;
        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        var outcome = Check(ref driver, source, members);
        Assert.Contains(outcome.Gssl, d => d.Id == "GSSL0026");
        Assert.Empty(outcome.GeneratedErrors);
    }

    // ------------------------------------------------------------------ random arguments and members

    /// <summary>A hole in the template: values that are valid, values the DSL must report, junk (no oracle).</summary>
    sealed record Slot(string Name, string[] Valid, string[] Reported, string[] Junk);

    const string Template = """
        using GraphSSL;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Fuzz;

        [Encoder, Gin(Layers = {L}, Hidden = {H}, Pooling = {P})] public partial record E;
        [Augmentation, NodeDropping({R})] public partial record A;

        [Objective(Views = {V})]
        public partial record O({PARAM})
        {
            {LOSS}
        }

        [{MARK}, Projector(Layers = {PL})]
        public partial record M(E Encoder, IAugmentation View, O Objective{EXTRA});
        """;

    static readonly string[] JunkValues =
    [
        "\"two\"", "2.5", "int.MaxValue", "int.MinValue", "long.MaxValue", "nameof(Nothing)", "nameof(E)", "", "null", "true", "default",
        "(int)1e10", "1 / 0", "typeof(int)", "new int[0]", "'c'", "Nothing.Value", "2, 3", "Layers = 2", "checked(int.MaxValue + 1)", "-0", "0x7fffffff", "1_000_000",
    ];

    static readonly Slot[] Slots =
    [
        new("L", ["1", "2", "3", "5"], ["0", "-3"], JunkValues),
        new("H", ["1", "16", "64"], ["0", "-1", "int.MinValue"], JunkValues),
        new("P", ["Pooling.Sum", "Pooling.Mean", "Pooling.Max"], [], ["(Pooling)42", "Pooling.Nope", "0", "null", "nameof(Pooling)", "Pooling.Sum | Pooling.Max", "\"Max\""]),
        new("R", ["0", "0.1", "0.5", "0.99"], ["1.0", "-0.1", "1e308", "-1e-9"],
            ["\"x\"", "", "0.2, 0.3", "ratio: 0.2, ratio: 0.3", "nameof(R)", "double.NaN", "double.PositiveInfinity", "1e309", "null", "0.2f", "0.2m", "ratio: 0.2, Ratio = 0.3"]),
        new("V", ["1", "2"], ["0", "-3"], ["int.MaxValue", "\"2\"", "", "nameof(Views)", "3", "1000000", "true", "null"]),
        new("PARAM",
            ["[Hyper(ValueRange.Positive)] double Alpha = 2", "[Hyper(ValueRange.Positive, \"Exponent.\")] double Alpha = 0.5", "[Hyper(ValueRange.Positive)] double Alpha = 2, [Hyper(ValueRange.AtLeastOne)] int T = 3"],
            ["[Hyper(ValueRange.Positive)] double Alpha = -1", "[Hyper(ValueRange.AtLeastTwo)] int Alpha = 1", "[Hyper(ValueRange.Positive)] double Alpha", "[Hyper(ValueRange.Positive)] string Alpha = \"x\"",
             "[Hyper(ValueRange.Ratio)] double Alpha = 1"],
            ["[Hyper(42)] double Alpha = 2", "[Hyper(\"junk\")] double Alpha = 2", "[Hyper(ValueRange.Nope)] double Alpha = 2", "[Hyper((ValueRange)99)] double Alpha = 2",
             "[Hyper(nameof(Nothing))] double Alpha = 2", "[Hyper(null)] double Alpha = 2", "[Hyper(ValueRange.Positive, 42, true)] double Alpha = 2", "[Hyper] Tensor Alpha = null",
             "[Hyper(ValueRange.Positive)] double Alpha = double.NaN", "[Hyper(ValueRange.Positive)] double Alpha = 1e308 * 10", "[Hyper(ValueRange.Positive)] double? Alpha = null",
             "[Hyper(ValueRange.Positive)] double Alpha = 2, [Hyper] double Alpha = 3", "[Hyper(ValueRange.Positive)] params double[] Alpha", "[Hyper(ValueRange.Positive)] ref double Alpha",
             "[Hyper(ValueRange.Positive)] Pooling Alpha = Pooling.Max", "[Hyper(ValueRange.Ratio)] Pooling Alpha = (Pooling)7", "[Hyper(ValueRange.Positive)] int Alpha = int.MaxValue", "",
             "[Hyper(ValueRange.Positive)] dynamic Alpha = 2", "[Hyper(ValueRange.Positive)] Nothing Alpha = default", "[Hyper(summary: nameof(Alpha))] double Alpha = 2", "[Hyper] double Alpha = 2",
             "double Alpha = 2", "[Hyper(ValueRange.Positive), Hyper(ValueRange.Ratio)] double Alpha = 0.5", "[Hyper(ValueRange.AtLeastTwo)] double Alpha = 1.5", "[Hyper(range: (ValueRange)(-1))] int Alpha = -5",
             "[Hyper(ValueRange.Positive)] System.Collections.Generic.List<int> Alpha = null", "[Hyper(ValueRange.Positive)] double Alpha = 2,", "[Hyper(ValueRange.Positive)] double this = 2",
             "[Hyper(ValueRange.Positive)] ValueRange Alpha = ValueRange.Ratio", "[Hyper(ValueRange.Probability)] bool Alpha = true"]),
        new("LOSS",
            ["public Tensor Loss(Views v) => Losses.Align(v.Z1, v.Z2, Alpha);", "public Tensor Loss(Views v) => Losses.Uniform(v.Z1, Alpha);"],
            ["public double Loss(Views v) => 0;", "", "public Tensor Loss(ref Views v) => v.Z1;", "public Tensor Loss(out Views v) { v = null!; return null!; }", "private Tensor Loss(Views v) => v.Z1;", "public Tensor Loss<T>(Views v) => v.Z1;", "public int Start(ObjectiveContext c) => 0; public Tensor Loss(Views v, int s) => v.Z1;",
             "public Tensor Loss(Views v) => v.Z1; public void AfterStep(Views v) { }"],
            ["public static Tensor Loss(Views v) => v.Z1;", "public Tensor Loss() => null!;", "public Tensor Loss(Views v, int x) => v.Z1;", 
             "public Tensor Loss(params Views[] v) => v[0].Z1;",
             "public Tensor Loss(Views v) => v.Z1; public Tensor Loss(Views v, Views w) => v.Z1;", "public Tensor Loss(Views v) { }", "public Tensor Loss(Views v) => Loss(v);",
             "public void Loss(Views v) { }", "public Tensor Loss;", "public Tensor Loss { get; }", "public System.Func<Views, Tensor> Loss = v => v.Z1;",
             "public Tensor Loss(Views v, Memory m) => v.Z1;", "public Tensor Loss(Nothing v) => null!;", "public Tensor Loss(Views v = null) => v.Z1;", "public class Loss { }", "public Tensor Loss(Views v) => v.Z1; public GraphBatch Prepare(GraphBatch g) => g;",
             "public unsafe Tensor Loss(Views* v) => null!;", "public Tensor Loss(__arglist) => null!;", "public Tensor Loss(Views v) => v.Z1; public object Start(ObjectiveContext c) => null!;",
             "public Tensor Loss(Views v, ObjectiveState s) => v.Z1; public ObjectiveState Start(ObjectiveContext c) => null!;", "public Tensor Loss(Views v) =>", "public Tensor Loss(Views v",
             "public Tensor Loss(Views v) => v.Z1; public Tensor Loss(Views v) => v.Z2;", "public abstract Tensor Loss(Views v);", "public Tensor Loss(dynamic v) => v.Z1;",
             "public async System.Threading.Tasks.Task<Tensor> Loss(Views v) => v.Z1;", "public Tensor Loss(Views v) => throw null!; public void AfterStep(Views v, Views w) { }",
             "public Tensor Loss(Views? v) => v!.Z1;", "public Tensor Loss(in Views v) => v.Z1;", "public Tensor Loss(Views v, Views v) => v.Z1;", "public Tensor @Loss(Views v) => v.Z1;"]),
        new("MARK", ["SslModel"], ["SslModel, Encoder", "SslModel, Predictor", "SslModel, Augmentation"],
            ["SslModel(1)", "SslModel, SslModel", "SslModel, Predictor(Layers = -1)", "SslModel, Gin", "SslModel, Gin(Layers = 0)", "SslModel, NodeDropping(2)", "SslModel, Weight(1)",
             "SslModel, Hyper", "SslModel, Objective(Views = -3)", "SslModel, Projector", "SslModel, Layer", "SslModel, Objective"]),
        new("PL", ["1", "2", "3"], ["0", "-3"], JunkValues),
        new("EXTRA", ["", ", [Weight(0.1)] VicReg Regularise", ", NtXent Contrast"], [", int Seed", ", E Encoder2", ", string Name = \"x\"", ", [Weight(-1)] VicReg R", ", [Weight(double.NaN)] VicReg R", ", [Weight(-0.001)] NtXent C"],
            [", O Objective", ", IAugmentation View2, IAugmentation View3", ", [Weight(\"x\")] VicReg R", ", [Weight] VicReg R",
             ", Nothing X", ", O? Maybe", ", params O[] Many", ", [Weight(1e308)] VicReg R", ", [Weight(0)] VicReg R", ", [Weight(nameof(Nothing))] VicReg R", ",", ", A View2", ", A View2, A View3",
             ", [Hyper(ValueRange.Positive)] double X = 1", ", IAugmentation View2", ", M Self", ", Tensor T", ", [Weight(0.5), Weight(0.2)] VicReg R"]),
    ];

    enum Kind { Valid, Reported, Junk }

    static (string Source, Kind Kind, string Description) Mutation(Random random)
    {
        // 20 %: every slot a (random) valid value; otherwise 1–3 slots wrong.
        var wrong = new HashSet<int>();
        if (random.NextDouble() >= 0.2)
        {
            int count = 1 + random.Next(3);
            while (wrong.Count < count) wrong.Add(random.Next(Slots.Length));
        }
        var source = Template;
        var kind = Kind.Valid;
        var description = new List<string>();
        for (int i = 0; i < Slots.Length; i++)
        {
            var slot = Slots[i];
            string value;
            if (!wrong.Contains(i)) value = slot.Valid[random.Next(slot.Valid.Length)];
            else if (slot.Reported.Length > 0 && random.Next(3) == 0)
            {
                value = slot.Reported[random.Next(slot.Reported.Length)];
                if (kind == Kind.Valid) kind = Kind.Reported;
                description.Add($"{slot.Name}={value} (reported)");
            }
            else
            {
                value = slot.Junk[random.Next(slot.Junk.Length)];
                kind = Kind.Junk;
                description.Add($"{slot.Name}={value}");
            }
            source = source.Replace("{" + slot.Name + "}", value, StringComparison.Ordinal);
        }
        return (source, kind, description.Count == 0 ? "all valid" : string.Join("; ", description));
    }

    [Fact]
    public void Random_attribute_arguments_parameters_and_loss_signatures_never_crash_and_are_reported_exactly_when_wrong()
    {
        var random = new Random(Seed);
        var driver = GeneratorHarness.CreateDriver(trackSteps: false);
        var counts = new Dictionary<Kind, int>();
        int junkWithGssl = 0, junkWithErrors = 0, junkAccepted = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < MutationCases; i++)
        {
            var (source, kind, description) = Mutation(random);
            var label = $"mutation {i} (seed {Seed}): {description}";
            var outcome = Check(ref driver, source, label);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            if (outcome.Time > slowest) slowest = outcome.Time;
            switch (kind)
            {
                case Kind.Valid:
                    // Nothing wrong: nothing reported, everything compiles.
                    Assert.True(outcome.Gssl.Length == 0 && outcome.UserErrors.Length == 0 && outcome.GeneratedErrors.Length == 0,
                        $"{label}: valid input reported\n{GeneratorHarness.Format(outcome.Gssl.Concat(outcome.UserErrors).Concat(outcome.GeneratedErrors))}\n--- input ---\n{source}");
                    break;
                case Kind.Reported:
                    // Something the DSL forbids: at least one diagnostic says so (GSSL, or the compiler for a type error).
                    Assert.True(outcome.Gssl.Any(d => d.Severity >= DiagnosticSeverity.Warning) || outcome.UserErrors.Length > 0,
                        $"{label}: wrong input accepted silently\n--- input ---\n{source}");
                    break;
                default:
                    if (outcome.Gssl.Length > 0) junkWithGssl++;
                    if (outcome.UserErrors.Length > 0) junkWithErrors++;
                    if (outcome.Gssl.Length == 0 && outcome.UserErrors.Length == 0) junkAccepted++;
                    break;
            }
        }
        output.WriteLine($"{MutationCases} mutations (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s, slowest {slowest.TotalMilliseconds:F0} ms: " +
                         $"{counts.GetValueOrDefault(Kind.Valid)} all-valid (0 diagnostics each), {counts.GetValueOrDefault(Kind.Reported)} with a forbidden value (each reported), " +
                         $"{counts.GetValueOrDefault(Kind.Junk)} with junk ({junkWithGssl} with GSSL diagnostics, {junkWithErrors} with C# errors, {junkAccepted} accepted as valid C# and DSL); 0 exceptions.");
    }
}
