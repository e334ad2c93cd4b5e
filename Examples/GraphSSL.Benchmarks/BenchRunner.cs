using System.Globalization;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>The machine and process the numbers come from.</summary>
public sealed record MachineInfo(string CpuModel, int LogicalCores, string Os, string DotNet, string TorchSharp, int TorchThreads, bool ServerGc, string OmpWaitPolicy, string ThreadPolicy);

/// <summary>A performance target and whether this run met it.</summary>
public sealed record TargetCheck(string Name, string Target, double Measured, bool Met, string Note);

/// <summary>The whole benchmark document.</summary>
public sealed record BenchReport(
    string Schema, string Mode, string Date, string Command, MachineInfo Machine, string Device, int Threads, int BatchSize,
    IReadOnlyList<MatmulResult> Matmul, IReadOnlyList<CaseResult> Cases, GeneratorResult? Generator, IReadOnlyList<TargetCheck> Targets,
    double TotalSeconds, PeerResult? Peer = null);

/// <summary>Runs every case of the chosen mode and assembles the report.</summary>
public static class BenchRunner
{
    /// <summary>Runs the benchmark; progress goes to <paramref name="log"/>.</summary>
    public static BenchReport Run(BenchOptions options, string dataDir, Device device, TextWriter log)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        var cases = options.PeerOnly ? new List<BenchCase>() : options.Quick
            ? new List<BenchCase>
            {
                new(MethodKind.SimClr, AugmentationKind.NodeDropping, "MUTAG", 64),
                new(MethodKind.SimSiam, AugmentationKind.Subgraph, "MUTAG", 64),
                new(MethodKind.BarlowTwins, AugmentationKind.AttributeMasking, "MUTAG", 64),
                new(MethodKind.SimClr, AugmentationKind.NodeDropping, "MUTAG", 512),
            }
            : new List<BenchCase>();
        if (!options.Quick && !options.PeerOnly)
        {
            foreach (var dataset in new[] { "MUTAG", "PROTEINS", "NCI1" })
            {
                cases.Add(new(MethodKind.SimClr, AugmentationKind.NodeDropping, dataset, 64));
                cases.Add(new(MethodKind.SimSiam, AugmentationKind.Subgraph, dataset, 64));
                cases.Add(new(MethodKind.BarlowTwins, AugmentationKind.AttributeMasking, dataset, 64));
            }
            cases.Add(new(MethodKind.SimClr, AugmentationKind.NodeDropping, "MUTAG", 512));
            cases.Add(new(MethodKind.SimClr, AugmentationKind.NodeDropping, "PROTEINS", 512));
        }

        var datasets = new Dictionary<string, GraphData>();
        foreach (var name in cases.Select(c => c.Dataset).Distinct())
            datasets[name] = TuDataset.Load(Path.Combine(dataDir, name));

        string deviceName = options.Device;
        int threads = torch.get_num_threads();
        log.WriteLine($"graphssl-bench: {(options.Quick ? "quick" : "full")} mode, device {device}, {threads} threads");

        // Matmul throughput in this process on this device: the encoder's shapes and a square 2048.
        int repeats = options.Quick ? 10 : 30;
        var matmul = new List<MatmulResult> { MatmulProbe.Measure("square 2048", 2048, 2048, 2048, device, options.Quick || options.PeerOnly ? 5 : 10) };
        var encoderShape = new Dictionary<(string, int), MatmulResult>();
        foreach (var key in cases.Select(c => (c.Dataset, c.Hidden)).Distinct())
        {
            long rows = CaseRunner.NodesPerBatch(datasets[key.Dataset], options.BatchSize);
            var r = MatmulProbe.Measure($"{key.Dataset} batch [{rows}, {key.Hidden}] x [{key.Hidden}, {key.Hidden}]", rows, key.Hidden, key.Hidden, device, repeats);
            encoderShape[key] = r;
            matmul.Add(r);
        }
        log.WriteLine("  matmul: " + string.Join("; ", matmul.Select(m => $"{m.Name} {m.Gflops:F1} GFLOP/s")));

        var results = new List<CaseResult>();
        foreach (var c in cases)
        {
            int epochs = options.Epochs ?? (c.Hidden >= 512 ? (options.Quick ? 2 : 3) : 4);
            int baselineEpochs = options.BaselineEpochs ?? 2;
            results.Add(CaseRunner.Run(c, datasets[c.Dataset], epochs, baselineEpochs, options.BatchSize, device, deviceName,
                options.Threads, encoderShape[(c.Dataset, c.Hidden)].Gflops, matmul[0].Gflops, log));
            var r = results[^1];
            log.WriteLine($"    median {r.MedianSeconds:F3} s/epoch, baseline {r.Baseline?.MedianSeconds:F3} s, speed-up {r.Baseline?.Speedup:F1}x, efficiency {r.Efficiency:P0}");
        }

        GeneratorResult? generator = null;
        if (!options.PeerOnly)
        {
            log.WriteLine("  generator: 50 model declarations …");
            generator = GeneratorBench.Run(50);
        }
        PeerResult? peer = null;
        if (options.Peer is string python)
        {
            peer = PeerCheck.Run(python, options.PeerScript ?? PeerCheck.DefaultScript() ?? "peer_pyg.py", dataDir, options.ProfileDataset, threads,
                options.Epochs ?? 4, options.Rounds, log, options.ProfileHidden);
            log.WriteLine($"  peer: ours {peer.OursMedianSeconds:F3} s/epoch, PyG {peer.PeerMedianSeconds:F3} s/epoch, peer/ours {peer.Ratio:F2}");
        }

        var machine = new MachineInfo(CpuModel(), Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            Environment.Version.ToString(), typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
            threads, System.Runtime.GCSettings.IsServerGC, GraphSSL.Training.ThreadPolicy.NativeWaitPolicy() ?? "(unset)",
            GraphSSL.Training.ThreadPolicy.Applied?.ToString() ?? "not applied");
        return new BenchReport("graphssl-bench/1", options.PeerOnly ? "peer" : options.Quick ? "quick" : "full", DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            "graphssl-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), machine, device.ToString(), threads, options.BatchSize,
            matmul, results, generator, Targets(results), total.Elapsed.TotalSeconds, peer);
    }

    static IReadOnlyList<TargetCheck> Targets(IReadOnlyList<CaseResult> results)
    {
        var checks = new List<TargetCheck>();
        var nci1 = results.FirstOrDefault(r => r is { Dataset: "NCI1", Hidden: 64, Method: nameof(MethodKind.SimClr) });
        if (nci1 is not null)
            checks.Add(new("SimCLR + node dropping, NCI1, GIN 3x64: seconds per epoch", "<= 0.4", nci1.MedianSeconds, nci1.MedianSeconds <= 0.4, "median over epochs 2..n"));
        foreach (var r in results.Where(r => r.Baseline is not null))
            checks.Add(new($"speed-up over host baseline: {r.Name}", ">= 20", r.Baseline!.Speedup, r.Baseline.Speedup >= 20, "baseline median / generated median"));
        foreach (var r in results.Where(r => r.Hidden >= 512))
            checks.Add(new($"linear-layer efficiency: {r.Name}", ">= 0.75", r.Efficiency, r.Efficiency >= 0.75, "achieved linear FLOP/s / measured matmul FLOP/s of the encoder's shape"));
        foreach (var r in results)
        {
            double growth = r.Memory.Count > 1 && r.Memory[0].RssBytes > 0 ? (double)r.RssGrowthAfterEpoch1Bytes / r.Memory[0].RssBytes : 0;
            // Flat: no tensor outlives its step (live count unchanged) and the resident set after the last epoch is
            // within 10% of the one after epoch 1 (the allocator keeps freed blocks, so RSS wobbles with batch sizes).
            checks.Add(new($"native memory flat after epoch 1: {r.Name}", "RSS growth <= 10%, live tensors +0", growth,
                growth <= 0.10 && r.LiveTensorGrowthAfterEpoch1 <= 0,
                $"RSS {r.Memory[0].RssBytes / 1048576.0:F0} -> {r.Memory[^1].RssBytes / 1048576.0:F0} MB, live tensors {r.LiveTensorGrowthAfterEpoch1:+0;-0;0}"));
        }
        return checks;
    }

    static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}

/// <summary>The readable table printed to stdout.</summary>
public static class Table
{
    /// <summary>Renders <paramref name="r"/> as plain text.</summary>
    public static string Render(BenchReport r)
    {
        var s = new System.Text.StringBuilder();
        s.AppendLine($"{r.Machine.CpuModel}, {r.Machine.LogicalCores} cores, {r.Threads} torch threads, device {r.Device}, batch {r.BatchSize}, {r.Mode} mode, {r.Date}");
        s.AppendLine("matmul: " + string.Join("; ", r.Matmul.Select(m => $"{m.Name}: {m.Gflops:F1} GFLOP/s")));
        s.AppendLine();
        s.AppendLine($"{"case",-46} {"s/epoch med",11} {"min",7} {"max",7} {"graphs/s",9} {"lin GFLOP/s",11} {"eff",5} {"host s/ep",9} {"speed-up",8} {"RSS +MB",7}");
        foreach (var c in r.Cases)
            s.AppendLine($"{c.Name,-46} {c.MedianSeconds,11:F3} {c.MinSeconds,7:F3} {c.MaxSeconds,7:F3} {c.GraphsPerSecond,9:F0} {c.AchievedGflops,11:F1} {c.Efficiency,5:P0} {c.Baseline?.MedianSeconds,9:F3} {c.Baseline?.Speedup,7:F1}x {c.RssGrowthAfterEpoch1Bytes / 1048576.0,7:F1}");
        s.AppendLine();
        if (r.Generator is { } g)
            s.AppendLine($"generator, {g.Models} models ({g.GeneratedFiles} files): cold {g.ColdRunMs:F0} ms, warm {g.WarmRunMs:F0} ms, rerun after unrelated edit {g.RerunAfterUnrelatedEditMs:F1} ms, " +
                     $"named steps and outputs all Cached/Unchanged: {g.RerunAllCachedOrUnchanged}, outputs {string.Join(", ", g.RerunOutputReasons.Select(kv => $"{kv.Key} {kv.Value}"))}");
        if (r.Peer is { } p)
            s.AppendLine($"peer ({p.Dataset}, {p.Threads} threads, {p.Rounds.Count / 2} rounds alternated): ours {p.OursMedianSeconds:F3} s/epoch, PyG {p.PeerMedianSeconds:F3} s/epoch, peer/ours {p.Ratio:F2}");
        s.AppendLine();
        foreach (var t in r.Targets)
            s.AppendLine($"[{(t.Met ? "met " : "MISS")}] {t.Name}: {t.Measured:G4} (target {t.Target}; {t.Note})");
        return s.ToString();
    }
}
