using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GraphSSL.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: packed once into a local feed (<see cref="PackedFeed"/>), then consumed by
/// a brand-new project with no project references, and the tool installed with `dotnet tool install`.
/// </summary>
public sealed class PackagingTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    const string TorchSharpVersion = "0.107.0";

    void AssertPacked() => Assert.True(feed.Pack.ExitCode == 0, "dotnet pack failed:\n" + feed.Pack.Tail);

    static XNamespace Ns(XDocument nuspec) => nuspec.Root!.Name.Namespace;

    static string? Meta(XDocument nuspec, string name) => nuspec.Root!.Element(Ns(nuspec) + "metadata")!.Element(Ns(nuspec) + name)?.Value;

    [Fact]
    public void Dsl_package_carries_the_attributes_and_the_generator()
    {
        AssertPacked();
        var entries = feed.Entries("GraphSSL.Dsl");
        Assert.Contains("lib/netstandard2.0/GraphSSL.Dsl.dll", entries);
        Assert.Contains("lib/netstandard2.0/GraphSSL.Dsl.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/GraphSSL.Generators.dll", entries);
        Assert.Contains("README.md", entries);
        // The generator's own dependencies (Roslyn) are provided by the compiler, never packed.
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));

        var nuspec = feed.Nuspec("GraphSSL.Dsl");
        Assert.Equal(feed.Version, Meta(nuspec, "version"));
        Assert.Equal("MIT", Meta(nuspec, "license"));
        Assert.Equal("README.md", Meta(nuspec, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(nuspec, "description")));
        Assert.Contains("source-generator", Meta(nuspec, "tags"));
        var repository = nuspec.Root!.Element(Ns(nuspec) + "metadata")!.Element(Ns(nuspec) + "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository!.Attribute("type")?.Value);
        // The Generators project is not a package of its own, so it must not be a dependency.
        Assert.DoesNotContain(nuspec.Descendants(Ns(nuspec) + "dependency"), d => d.Attribute("id")!.Value == "GraphSSL.Generators");
        Assert.False(File.Exists(feed.Package("GraphSSL.Generators")), "GraphSSL.Generators must not be packed on its own");

        // Symbols: the snupkg holds the PDB of the attributes assembly.
        Assert.Contains("lib/netstandard2.0/GraphSSL.Dsl.pdb", feed.Entries("GraphSSL.Dsl", "snupkg"));
    }

    [Fact]
    public void Runtime_package_depends_on_managed_TorchSharp_only_and_ships_the_build_fixes()
    {
        AssertPacked();
        var entries = feed.Entries("GraphSSL.Runtime");
        Assert.Contains("lib/net8.0/GraphSSL.Runtime.dll", entries);
        Assert.Contains("buildTransitive/GraphSSL.Runtime.targets", entries);
        Assert.Contains("buildTransitive/GraphSSL.NativeFix.targets", entries);
        Assert.Contains("buildTransitive/GraphSSL.Usings.targets", entries);
        Assert.Contains("buildTransitive/WeakenGlibcxxRequirement.cs", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net8.0/GraphSSL.Runtime.pdb", feed.Entries("GraphSSL.Runtime", "snupkg"));

        var nuspec = feed.Nuspec("GraphSSL.Runtime");
        Assert.Equal(feed.Version, Meta(nuspec, "version"));
        Assert.Equal("MIT", Meta(nuspec, "license"));
        var dependencies = nuspec.Descendants(Ns(nuspec) + "dependency").ToDictionary(d => d.Attribute("id")!.Value);
        // Exactly: GraphSSL.Data, GraphSSL.Dsl and GraphSSL.Evaluation at this version, and TorchSharp; the backend is
        // the application's choice.
        Assert.Equal(["GraphSSL.Data", "GraphSSL.Dsl", "GraphSSL.Evaluation", "TorchSharp"], dependencies.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var own in new[] { "GraphSSL.Data", "GraphSSL.Dsl", "GraphSSL.Evaluation" })
            Assert.Equal(feed.Version, dependencies[own].Attribute("version")!.Value);
        Assert.Equal(TorchSharpVersion, dependencies["TorchSharp"].Attribute("version")!.Value);
        // GraphSSL.Dsl's analyzers (the generator) must flow to whoever references GraphSSL.Runtime.
        var dslExclude = dependencies["GraphSSL.Dsl"].Attribute("exclude")?.Value ?? "";
        Assert.DoesNotContain("Analyzers", dslExclude, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Data_and_evaluation_packages_need_no_tensor_library()
    {
        // For someone who only wants the TU reader or the standard SVC protocol for embeddings of their own:
        // GraphSSL.Data depends on nothing, GraphSSL.Evaluation on GraphSSL.Data only; neither on TorchSharp.
        AssertPacked();
        foreach (var (id, expected) in new[] { ("GraphSSL.Data", Array.Empty<string>()), ("GraphSSL.Evaluation", new[] { "GraphSSL.Data" }) })
        {
            Assert.Contains($"lib/net8.0/{id}.dll", feed.Entries(id));
            Assert.Contains($"lib/net8.0/{id}.pdb", feed.Entries(id, "snupkg"));
            var nuspec = feed.Nuspec(id);
            Assert.Equal(feed.Version, Meta(nuspec, "version"));
            var dependencies = nuspec.Descendants(Ns(nuspec) + "dependency").Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, dependencies);
        }
    }

    [Fact]
    public void Tool_package_is_a_dotnet_tool_with_a_patched_native_library()
    {
        AssertPacked();
        // .NET 10 RID-specific tool packages: GraphSSL.Cli only names one package per platform libtorch-cpu ships.
        var nuspec = feed.Nuspec("GraphSSL.Cli");
        Assert.Equal(feed.Version, Meta(nuspec, "version"));
        Assert.Contains(nuspec.Descendants(Ns(nuspec) + "packageType"), t => t.Attribute("name")!.Value == "DotnetTool");
        var settings = XDocument.Parse(System.Text.Encoding.UTF8.GetString(feed.Entry("GraphSSL.Cli", "tools/any/any/DotnetToolSettings.xml")).TrimStart('\uFEFF'));
        var rids = settings.Descendants("RuntimeIdentifierPackage").ToDictionary(p => p.Attribute("RuntimeIdentifier")!.Value, p => p.Attribute("Id")!.Value);
        Assert.Equal(["linux-x64", "osx-arm64", "win-x64"], rids.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("GraphSSL.Cli.linux-x64", rids["linux-x64"]);
        Assert.DoesNotContain(feed.Entries("GraphSSL.Cli"), e => e.EndsWith(".so", StringComparison.Ordinal) || e.EndsWith(".dll", StringComparison.Ordinal));

        // The linux-x64 package: the tool and only Linux x64 natives (no other platform's libtorch).
        var ridNuspec = feed.Nuspec("GraphSSL.Cli.linux-x64");
        Assert.Contains(ridNuspec.Descendants(Ns(ridNuspec) + "packageType"), t => t.Attribute("name")!.Value == "DotnetToolRidPackage");
        var entries = feed.Entries("GraphSSL.Cli.linux-x64");
        Assert.Contains("tools/net10.0/linux-x64/graphssl.dll", entries);
        Assert.Contains("tools/net10.0/linux-x64/DotnetToolSettings.xml", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith(".dylib", StringComparison.Ordinal) || e.Contains("torch_cpu.dll", StringComparison.Ordinal));
        const string native = "tools/net10.0/linux-x64/libLibTorchSharp.so";
        Assert.Contains(native, entries);
        // Leaner: the all-platform package was 346 MB; the linux-x64 one must stay well under it.
        Assert.InRange(new FileInfo(feed.Package("GraphSSL.Cli.linux-x64")).Length, 1, 200L * 1024 * 1024);

        // The copy in the NuGet cache (what TorchSharp ships) asks for GLIBCXX_3.4.32 with flags 0 (strong);
        // the copy inside our tool package must carry the same requirement with VER_FLG_WEAK (0x2) set, on
        // every machine that packs it. The cache copy must be left strong: we never patch the cache.
        var cache = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
                                 Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                                 "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packed = Elf.RequirementFlags(feed.Entry("GraphSSL.Cli.linux-x64", native), "GLIBCXX_3.4.32");
        Assert.NotNull(packed);
        Assert.Equal(Elf.Weak, packed!.Value & Elf.Weak);
        if (File.Exists(cache))
        {
            var original = Elf.RequirementFlags(File.ReadAllBytes(cache), "GLIBCXX_3.4.32");
            Assert.Equal(0, original!.Value & Elf.Weak);
        }
    }

    [SkippableFact]
    public void A_new_project_referencing_the_packages_generates_code_builds_and_trains()
    {
        var mutag = SharedData.RequireTu("MUTAG", "the consumer trains on MUTAG");
        AssertPacked();
        var dir = feed.NewFolder("consumer");
        feed.WriteNugetConfig(dir);
        // Only package references: GraphSSL.Runtime (which brings GraphSSL.Dsl and its generator) and a backend.
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GraphSSL.Runtime" Version="{feed.Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{TorchSharpVersion}" />
              </ItemGroup>
            </Project>
            """);
        // The program declares an objective and a view of its own (each under 20 lines) and trains them on MUTAG.
        File.WriteAllText(Path.Combine(dir, "Program.cs"), """
            using System.Globalization;
            // No using for GraphSSL's namespaces: with ImplicitUsings on, the package makes them global usings
            // (buildTransitive/GraphSSL.Usings.targets).

            var data = TuDataset.Load(args[0]);
            var model = new PackagingConsumer.Mine(new PackagingConsumer.SmallGin(), new PackagingConsumer.MaskColumns(), new PackagingConsumer.AlignUniform());
            using var result = model.Train(data, new TrainOptions { Epochs = 3, BatchSize = 64, Seed = 3 });
            if (result.Losses.Count != 3 || result.Losses.Any(l => !double.IsFinite(l))) return 3;
            Console.WriteLine("losses=" + string.Join(";", result.Losses.Select(l => l.ToString("R", CultureInfo.InvariantCulture))));
            return 0;

            namespace PackagingConsumer
            {
                using TorchSharp;
                using static TorchSharp.torch;

                [Encoder, Gin(Layers = 2, Hidden = 16)]
                public partial record SmallGin;

                [Objective]
                public partial record AlignUniform([Hyper(ValueRange.Positive)] double Alpha = 2, [Hyper(ValueRange.Positive)] double T = 2)
                {
                    public Tensor Loss(Views v) => Losses.Align(v.Z1, v.Z2, Alpha) + (Losses.Uniform(v.Z1, T) + Losses.Uniform(v.Z2, T)) / 2;
                }

                [Augmentation]
                public partial record MaskColumns([Hyper(ValueRange.Ratio)] double Share = 0.2)
                {
                    public GraphBatch Apply(GraphBatch g, Generator rng)
                        => g with { X = g.X.mul(torch.rand(new long[] { 1, g.X.shape[1] }, generator: rng, device: g.X.device).ge(Share).to(g.X.dtype)) };
                }

                [SslModel, Projector(Layers = 2)]
                public partial record Mine(SmallGin Encoder, MaskColumns View, AlignUniform Objective);
            }
            """);

        var build = Dotnet.Cli(dir, "build", "-c", "Release", "-nodeReuse:false");
        Assert.True(build.ExitCode == 0, "consumer build failed:\n" + build.Tail);

        // The generator ran from the package: its sources are under obj/ (EmitCompilerGeneratedFiles).
        var generated = Path.Combine(dir, "obj", "Release", "net10.0", "generated", "GraphSSL.Generators");
        Assert.True(Directory.Exists(generated), "no generated sources under " + generated + "\n" + build.Tail);
        var files = Directory.GetFiles(generated, "*.g.cs", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("PackagingConsumer.Mine.Model.g.cs", files);
        Assert.Contains("PackagingConsumer.AlignUniform.Objective.g.cs", files);
        Assert.Contains("PackagingConsumer.MaskColumns.Augmentation.g.cs", files);
        Assert.Contains("PackagingConsumer.SmallGin.Encoder.g.cs", files);
        // The generated step calls the user's own objective and view.
        var step = File.ReadAllText(Directory.GetFiles(generated, "PackagingConsumer.Mine.Model.g.cs", SearchOption.AllDirectories).Single());
        Assert.Contains("network.Forward(View.Apply(batch, generator))", step);
        Assert.Contains("var loss = Objective.Loss(views, objectiveState);", step);
        Assert.Contains(" 0 Warning(s)", build.Output); // and TreatWarningsAsErrors is on

        // The buildTransitive libstdc++ fix reached the consumer: where this machine's libstdc++ lacks
        // GLIBCXX_3.4.32 the output copy is weak (and only then could the program below load libtorch at all).
        var outputNative = Path.Combine(dir, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(outputNative), "no libLibTorchSharp.so in the consumer's output");
        if (OperatingSystem.IsLinux() && !SystemLibstdcxxProvides("GLIBCXX_3.4.32"))
            Assert.Equal(Elf.Weak, Elf.RequirementFlags(File.ReadAllBytes(outputNative), "GLIBCXX_3.4.32")!.Value & Elf.Weak);

        var run = Dotnet.Cli(dir, Path.Combine(dir, "bin", "Release", "net10.0", "Consumer.dll"), mutag);
        Assert.True(run.ExitCode == 0, "consumer exited " + run.ExitCode + ":\n" + run.Tail);
        var match = Regex.Match(run.Output, @"^losses=(\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, "no losses printed:\n" + run.Tail);
        // Alignment is ≥ 0 and uniformity ≤ 0 (a log of a mean of values in (0, 1]): the loss is finite (the program
        // returned 3 otherwise) and at least log(exp(-4t)) = -8 for t = 2; training lowers it.
        var losses = match.Groups[1].Value.Split(';').Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.All(losses, l => Assert.InRange(l, -8.0, 4.0));
        Assert.True(losses[^1] < losses[0], "the consumer's loss did not fall: " + match.Groups[1].Value);
    }

    /// <summary>Whether a libstdc++.so.6 in the usual places defines <paramref name="version"/> (the same search the build fix does).</summary>
    static bool SystemLibstdcxxProvides(string version)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" })
        {
            var file = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(file) && File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0) return true;
        }
        return false;
    }

    [Fact]
    public void An_application_without_a_TorchSharp_backend_fails_to_build_with_a_clear_message()
    {
        AssertPacked();
        var dir = feed.NewFolder("no-backend");
        feed.WriteNugetConfig(dir);
        File.WriteAllText(Path.Combine(dir, "NoBackend.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GraphSSL.Runtime" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "System.Console.WriteLine(typeof(GraphSSL.Training.TrainOptions));\n");
        var build = Dotnet.Cli(dir, "build", "-c", "Release", "-nodeReuse:false");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("GSSLB001", build.Output);
        Assert.Contains("TorchSharp-cpu", build.Output);
    }

    [Fact]
    public void The_tool_installs_from_the_feed_and_runs()
    {
        AssertPacked();
        var dir = feed.NewFolder("tool-install");
        var toolPath = Path.Combine(dir, "tools");
        var install = Dotnet.Cli(dir, "tool", "install", "--tool-path", toolPath, "--add-source", feed.Feed, "GraphSSL.Cli", "--version", feed.Version);
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install.Tail);

        var exe = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "graphssl.exe" : "graphssl");
        Assert.True(File.Exists(exe), "no graphssl in " + toolPath);
        // `list --json` loads the generated catalog (no libtorch call needed); it must print a JSON document
        // naming the CLI's declared models, e.g. GraphClr (Examples/GraphSSL.Cli/Models.cs).
        var list = Dotnet.Run(dir, exe, "list", "--json");
        Assert.True(list.ExitCode == 0, "graphssl list --json exited " + list.ExitCode + ":\n" + list.Tail);
        using var json = JsonDocument.Parse(list.Output);
        Assert.Contains("GraphClr", list.Output);

        // A real libtorch call through the installed tool: one epoch on the built-in synthetic dataset. This is
        // what the pack-time patch of libLibTorchSharp.so makes possible where libstdc++ lacks GLIBCXX_3.4.32.
        var outDir = Path.Combine(dir, "run");
        var train = Dotnet.Run(dir, exe, "train", "--dataset", "synthetic", "--epochs", "1", "--batch", "64", "--seed", "1",
            "--out", outDir, "--evaluate", "false", "--set", "Encoder.Hidden=16");
        Assert.True(train.ExitCode == 0, "graphssl train exited " + train.ExitCode + ":\n" + train.Tail);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var losses = metrics.RootElement.GetProperty("losses");
        Assert.Equal(1, losses.GetArrayLength());
        Assert.True(double.IsFinite(losses[0].GetDouble()));
    }
}
