// graphssl-bench: times the GENERATED trainers of Models.cs against a per-graph host baseline, measures
// matmul throughput in the same process, samples memory per epoch and times the source generator.
//   dotnet run -c Release --project Examples/GraphSSL.Benchmarks -- [--quick] [--out bench.json]
//       [--data-dir DIR] [--threads N] [--device cpu|cuda|auto] [--epochs N] [--baseline-epochs N]
//   dotnet run -c Release --project Examples/GraphSSL.Benchmarks -- --profile [--dataset NCI1] [--hidden 64]
//   dotnet run -c Release --project Examples/GraphSSL.Benchmarks -- --eval [--dataset NCI1] [--threads N] [--seed S]
//       [--baseline OLD/GraphSSL.Runtime.dll] [--rounds N]   (old vs new evaluation in one process; docs/PERFORMANCE.md)
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GraphSSL;
using GraphSSL.Benchmarks;
using TorchSharp;
using GraphSSL.Data;
using GraphSSL.Training;

// Before anything loads libtorch: OpenMP threads sleep instead of spinning at barriers (ThreadPolicy).
var threadPolicy = ThreadPolicy.Apply();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help) { Console.WriteLine(BenchOptions.Usage); return 0; }

var dataDir = options.DataDir ?? FindSharedTu();
if (dataDir is null || !Directory.Exists(dataDir))
{
    Console.Error.WriteLine($"TU datasets not found (looked for ../shared/datasets/TU beside the repository); pass --data-dir. Got: {dataDir ?? "(none)"}");
    return 3;
}
if (options.Eval)
{
    // Host-only (no TorchSharp): --threads is the evaluation's outer-fold parallelism.
    // Exit code 1 when the baseline's chosen C or accuracies differ from the current code's.
    return EvalBench.Run(TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), options.EvalSeed, options.Threads, options.EvalBaseline, options.EvalRounds, Console.Out);
}
if (options.ThreadCheck)
    return ThreadCheck.Run(Path.Combine(dataDir, options.ProfileDataset), options.ProfileHidden, options.Epochs ?? 4, options.Rounds, options.Busy, Console.Out);
if (options.ThreadChild is string variant)
    return ThreadCheck.Child(variant, TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), options.ProfileHidden, options.Epochs ?? 4, options.Threads, Console.Out);
if (options.Threads is int t) torch.set_num_threads(t);
var device = DeviceSelection.Resolve(options.Device);
Console.Error.WriteLine($"thread policy: {threadPolicy}, OMP_WAIT_POLICY={ThreadPolicy.NativeWaitPolicy() ?? "(unset)"}");
if (options.KernelCheck)
    return KernelCheck.Run(TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), options.ProfileHidden, options.Epochs ?? 4, options.Rounds, options.Threads, Console.Out);
if (options.Ab)
{
    AbCheck.Run(TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), MethodKind.BarlowTwins, AugmentationKind.AttributeMasking, options.ProfileHidden, device, Console.Out);
    AbCheck.Run(TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), MethodKind.SimClr, AugmentationKind.NodeDropping, options.ProfileHidden, device, Console.Out);
    return 0;
}
if (options.Profile)
{
    StepProfiler.Run(TuDataset.Load(Path.Combine(dataDir, options.ProfileDataset)), options.ProfileHidden, options.BatchSize, device, Console.Out);
    return 0;
}

var report = BenchRunner.Run(options, dataDir, device, Console.Error);
var json = JsonSerializer.Serialize(report, new JsonSerializerOptions
{
    WriteIndented = true,
    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = { new JsonStringEnumConverter() },
});
File.WriteAllText(options.Out, json);
Console.WriteLine(Table.Render(report));
Console.WriteLine($"JSON written to {Path.GetFullPath(options.Out)}");
return 0;

static string? FindSharedTu()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) dir = dir.Parent;
    if (dir is null) return null;
    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets", "TU"));
}
