using System.Collections.Immutable;
using GraphSSL.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSSL.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources against the real references and runs the generator and the analyzer on them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(LoadReferences);

    /// <summary>The .NET runtime assemblies plus GraphSSL.Dsl, GraphSSL.Runtime and TorchSharp from the test's output folder.</summary>
    public static ImmutableArray<MetadataReference> References => references.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll")
            .ToList();
        foreach (var name in new[] { "GraphSSL.Dsl.dll", "GraphSSL.Data.dll", "GraphSSL.Evaluation.dll", "GraphSSL.Runtime.dll", "TorchSharp.dll" })
            paths.Add(Path.Combine(AppContext.BaseDirectory, name));
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    /// <summary>References without GraphSSL.Runtime (and TorchSharp): only the attributes.</summary>
    public static ImmutableArray<MetadataReference> DslOnlyReferences =>
        References.Where(r => r.Display is { } d && !d.EndsWith("GraphSSL.Runtime.dll", StringComparison.Ordinal)
                                                && !d.EndsWith("TorchSharp.dll", StringComparison.Ordinal)).ToImmutableArray();

    private static readonly Lazy<string[]> implicitUsings = new(ReadImplicitUsings);

    /// <summary>
    /// The namespaces the GraphSSL.Runtime package makes global usings of (build/GraphSSL.Usings.targets), read
    /// from that file: test declarations compile as a package user's do with ImplicitUsings on.
    /// </summary>
    public static IReadOnlyList<string> ImplicitUsings => implicitUsings.Value;

    private static string[] ReadImplicitUsings()
    {
        var targets = System.Xml.Linq.XDocument.Load(Repository.Path("build", "GraphSSL.Usings.targets"));
        return targets.Descendants("Using").Select(u => (string)u.Attribute("Include")!).ToArray();
    }

    /// <summary>
    /// Compiles <paramref name="sources"/> with <paramref name="refs"/> (default: all). With the runtime referenced, a
    /// GlobalUsings file like the one the SDK writes from the package's implicit usings follows the sources; with the DSL
    /// alone, only <c>global using GraphSSL;</c>.
    /// </summary>
    public static CSharpCompilation Compile(IEnumerable<MetadataReference>? refs = null, params string[] sources)
    {
        var references = (refs ?? References).ToList();
        bool runtime = references.Any(r => r.Display is { } d && d.EndsWith("GraphSSL.Runtime.dll", StringComparison.Ordinal));
        var usings = string.Concat((runtime ? ImplicitUsings : new[] { "GraphSSL" }).Select(n => "global using " + n + ";\n"));
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/File{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(usings, ParseOptions, path: "/obj/GlobalUsings.g.cs"));
        return CSharpCompilation.Create("UserAssembly", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999,
                generalDiagnosticOption: ReportDiagnostic.Default));
    }

    public static CSharpCompilation Compile(params string[] sources) => Compile(null, sources);

    public static GeneratorDriver CreateDriver(bool trackSteps = true)
        => CSharpGeneratorDriver.Create(
            new[] { new GraphSslGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackSteps));

    /// <summary>Runs the generator once; returns the driver (for reruns), the run result and the compilation with the generated code.</summary>
    public static (GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output) Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver, driver.GetRunResult(), output);
    }

    /// <summary>The generated sources by hint name.</summary>
    public static Dictionary<string, string> Generated(GeneratorDriverRunResult result)
        => result.Results.SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>The analyzer's diagnostics on <paramref name="compilation"/> (run on the generator's output, as in a real build).</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
        => compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DeclarationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id).ToImmutableArray();

    /// <summary>Generator + analyzer + compiler: everything a build would report.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Analyzer, ImmutableArray<Diagnostic> Compiler) Build(params string[] sources)
    {
        var (_, result, output) = Run(Compile(sources));
        return (output, result.Diagnostics, Analyze(output), output.GetDiagnostics());
    }

    /// <summary>One line per diagnostic: id, severity, 1-based line:column span, message.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
        => string.Join("\n", diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan().Span;
            return $"{d.Id} {d.Severity} ({span.Start.Line + 1},{span.Start.Character + 1})-({span.End.Line + 1},{span.End.Character + 1}): {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }));
}
