using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// Runs the built benchmark program (Examples/GraphSSL.Benchmarks) in --quick mode as a separate process and
/// checks the JSON document it writes: every field present, every measurement a positive finite number.
/// Deliberately no timing thresholds: the numbers depend on the machine and its load.
/// </summary>
public class BenchmarkSmokeTests
{
    [SkippableFact]
    public void QuickRunWritesCompleteJsonWithPositiveNumbers()
    {
        SharedData.RequireTu("MUTAG");
        var tu = SharedData.RequireTu();
        using var dir = new TempDirectory("graphssl-bench-");
        var outFile = Path.Combine(dir.Path, "bench.json");
        var (exit, stdout, stderr) = RunBench(dir.Path, "--quick", "--out", outFile, "--data-dir", tu);
        Assert.True(exit == 0, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.True(File.Exists(outFile), "bench.json was not written");
        Assert.Contains("speed-up", stdout); // the readable table went to stdout

        using var doc = JsonDocument.Parse(File.ReadAllText(outFile));
        var root = doc.RootElement;
        Assert.Equal("graphssl-bench/1", root.GetProperty("schema").GetString());
        Assert.Equal("quick", root.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetProperty("cpuModel").GetString()));
        Positive(root.GetProperty("machine"), "logicalCores");
        Positive(root, "threads");
        Assert.Equal(128, root.GetProperty("batchSize").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("device").GetString()));

        var matmul = root.GetProperty("matmul").EnumerateArray().ToList();
        Assert.True(matmul.Count >= 2, "expected the square 2048 matmul and at least one encoder-shaped one");
        Assert.Contains(matmul, m => m.GetProperty("m").GetInt64() == 2048 && m.GetProperty("n").GetInt64() == 2048);
        foreach (var m in matmul) { Positive(m, "medianSeconds"); Positive(m, "gflops"); }

        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        // Quick mode: the three methods (each with its augmentation) at GIN 3×64, plus GIN 3×512.
        Assert.Equal(new[] { "SimClr", "SimSiam", "BarlowTwins" }, cases.Select(c => c.GetProperty("method").GetString()).Distinct().ToArray());
        Assert.Contains(cases, c => c.GetProperty("hidden").GetInt32() == 512);
        foreach (var c in cases)
        {
            foreach (var field in new[] { "graphs", "nodes", "edges", "stepsPerEpoch", "epochs", "medianSeconds", "minSeconds", "maxSeconds",
                                          "graphsPerSecond", "linearFlopsPerEpoch", "achievedGflops", "matmulGflops", "efficiency", "efficiencyVsSquare" })
                Positive(c, field);
            var seconds = c.GetProperty("epochSeconds").EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(c.GetProperty("epochs").GetInt32(), seconds.Count);
            Assert.All(seconds, s => Assert.True(s > 0));
            // min ≤ median ≤ max over the epochs after the first.
            Assert.True(c.GetProperty("minSeconds").GetDouble() <= c.GetProperty("medianSeconds").GetDouble());
            Assert.True(c.GetProperty("medianSeconds").GetDouble() <= c.GetProperty("maxSeconds").GetDouble());
            Assert.True(double.IsFinite(c.GetProperty("finalLoss").GetDouble()));
            var memory = c.GetProperty("memory").EnumerateArray().ToList();
            Assert.Equal(seconds.Count, memory.Count); // one sample per epoch
            foreach (var s in memory) { Positive(s, "managedBytes"); Positive(s, "rssBytes"); Positive(s, "hwmBytes"); }
            Assert.True(c.TryGetProperty("rssGrowthAfterEpoch1Bytes", out _));
            Assert.True(c.TryGetProperty("liveTensorGrowthAfterEpoch1", out _));
            var baseline = c.GetProperty("baseline");
            Assert.Equal(JsonValueKind.Object, baseline.ValueKind);
            Positive(baseline, "medianSeconds");
            Positive(baseline, "speedup");
            Assert.All(baseline.GetProperty("epochSeconds").EnumerateArray(), e => Assert.True(e.GetDouble() > 0));
        }

        var generator = root.GetProperty("generator");
        Assert.Equal(50, generator.GetProperty("models").GetInt32());
        Positive(generator, "generatedFiles");
        Positive(generator, "coldRunMs");
        Positive(generator, "warmRunMs");
        Positive(generator, "rerunAfterUnrelatedEditMs");
        Assert.True(generator.GetProperty("rerunStepReasons").EnumerateObject().Any(), "no tracked steps on the rerun");
        Assert.True(generator.GetProperty("rerunOutputReasons").EnumerateObject().Any(), "no tracked outputs on the rerun");
        Assert.True(generator.GetProperty("rerunAllCachedOrUnchanged").ValueKind is JsonValueKind.True or JsonValueKind.False);

        var targets = root.GetProperty("targets").EnumerateArray().ToList();
        Assert.NotEmpty(targets);
        Positive(root, "totalSeconds");
    }

    static void Positive(JsonElement element, string name)
    {
        Assert.True(element.TryGetProperty(name, out var value), $"missing field '{name}' in {element}");
        Assert.True(value.ValueKind == JsonValueKind.Number, $"'{name}' is {value.ValueKind}, not a number");
        double v = value.GetDouble();
        Assert.True(double.IsFinite(v) && v > 0, $"'{name}' = {v}, expected a positive number");
    }

    static (int ExitCode, string StdOut, string StdErr) RunBench(string workingDirectory, params string[] args)
    {
        // A limit for a hang, not a speed check.
        var run = ChildProcess.Run(ChildProcess.DotnetStartInfo([GraphSsl.BenchmarkDllPath, .. args], workingDirectory), TimeSpan.FromMinutes(10));
        return (run.ExitCode, run.StdOut, run.StdErr);
    }
}
