using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>
/// Thread-policy check: the generated SimCLR trainer (node dropping, GIN 3 × hidden, batch 128) in child
/// processes, one per variant, alternated round by round — the OpenMP wait policy is fixed when libtorch is
/// loaded, so each variant needs its own process. Variants: 1 thread; 2 threads with libgomp's own wait policy
/// (spin, then sleep: <c>GRAPHSSL_THREAD_POLICY=off</c>); 2 threads with the default policy of this program and
/// the CLI (<see cref="ThreadPolicy"/>: <c>OMP_WAIT_POLICY=PASSIVE</c>). With <c>--busy N</c>, N busy-loop
/// processes run for the whole check (both cores taken on a 2-core machine with N = 2).
/// </summary>
public static class ThreadCheck
{
    /// <summary>One variant's child-process settings.</summary>
    public sealed record Variant(string Name, int? Threads, bool LibgompDefault);

    /// <summary>What a child prints (one JSON line).</summary>
    public sealed record ChildResult(string Variant, int Threads, string? WaitPolicy, string Policy, double[] EpochSeconds, double MedianSeconds, double LoadAverage);

    static readonly Variant[] Variants =
    [
        new("1 thread", 1, false),
        new("2 threads, libgomp default wait", null, true),
        new("2 threads, default (PASSIVE)", null, false),
    ];

    /// <summary>Runs <paramref name="rounds"/> rounds of every variant and prints each child's epochs and the medians per variant.</summary>
    public static int Run(string datasetDir, int hidden, int epochs, int rounds, int busy, TextWriter output)
    {
        var spinners = new List<Process>();
        try
        {
            for (int i = 0; i < busy; i++)
                spinners.Add(Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!);
            output.WriteLine($"thread check: {Path.GetFileName(datasetDir)}, GIN 3x{hidden}, {epochs} epochs per child (first dropped), {rounds} rounds, {busy} busy-loop process(es); load average {LoadAverage():F1}");
            var all = Variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
                foreach (var v in Variants)
                {
                    var r = RunChild(v, datasetDir, hidden, epochs);
                    all[v.Name].AddRange(Stats.WithoutWarmup(r.EpochSeconds));
                    output.WriteLine($"  round {round + 1}, {v.Name,-32} threads {r.Threads}, OMP_WAIT_POLICY {r.WaitPolicy ?? "(unset)",-8} epochs {string.Join(", ", r.EpochSeconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} s  (load {r.LoadAverage:F1})");
                }
            double one = Stats.Median(all[Variants[0].Name]);
            output.WriteLine("medians of epochs 2..n over all rounds:");
            foreach (var v in Variants)
            {
                double m = Stats.Median(all[v.Name]);
                output.WriteLine($"  {v.Name,-32} {m:F3} s/epoch  = {m / one:F2}x the 1-thread time of this run");
            }
            return 0;
        }
        finally
        {
            foreach (var p in spinners)
            {
                try { if (!p.HasExited) p.Kill(); p.WaitForExit(); }
                catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }

    static ChildResult RunChild(Variant v, string datasetDir, int hidden, int epochs)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        var self = typeof(ThreadCheck).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "") == "dotnet") start.ArgumentList.Add(self);
        foreach (var a in new[] { "--thread-child", v.Name, "--data-dir", Path.GetDirectoryName(datasetDir)!, "--dataset", Path.GetFileName(datasetDir),
                     "--hidden", hidden.ToString(CultureInfo.InvariantCulture), "--epochs", epochs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        if (v.Threads is int t) { start.ArgumentList.Add("--threads"); start.ArgumentList.Add(t.ToString(CultureInfo.InvariantCulture)); }
        // The parent already put OMP_WAIT_POLICY=PASSIVE into its environment; each child decides for itself.
        start.Environment.Remove(ThreadPolicy.WaitPolicyVariable);
        if (v.LibgompDefault) start.Environment[ThreadPolicy.OptOutVariable] = "off";
        else start.Environment.Remove(ThreadPolicy.OptOutVariable);
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"thread-check child '{v.Name}' exited with {p.ExitCode}: {text}");
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return JsonSerializer.Deserialize<ChildResult>(line, Json)!;
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Child side: trains once and prints a <see cref="ChildResult"/> line.</summary>
    public static int Child(string variant, GraphData data, int hidden, int epochs, int? threads, TextWriter output)
    {
        var model = new BenchSimClr(new BenchGin { Hidden = hidden }, new BenchDropNodes(), new NtXent());
        using var r = model.Train(data, new TrainOptions { Epochs = epochs, Seed = 1, Threads = threads });
        var seconds = r.EpochSeconds.ToArray();
        output.WriteLine(JsonSerializer.Serialize(new ChildResult(variant, TorchSharp.torch.get_num_threads(), ThreadPolicy.NativeWaitPolicy(),
            ThreadPolicy.Applied?.ToString() ?? "not applied", seconds, Stats.Median(Stats.WithoutWarmup(seconds)), LoadAverage()), Json));
        return 0;
    }

    /// <summary>The 1-minute load average (Linux), NaN elsewhere.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException) { return double.NaN; }
        catch (UnauthorizedAccessException) { return double.NaN; }
    }
}
