using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphSSL.Cli.Tests;

/// <summary>`graphssl select`: fold-by-fold choice among reproduce runs by validation accuracy; `reproduce --set/--epochs` variants.</summary>
public sealed class SelectTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-select-");

    public void Dispose() => temp.Dispose();

    /// <summary>Writes a seed record as `reproduce` does (snake_case JSON) into <c>dir/seeds/seed{seed}.json</c>.</summary>
    static void WriteRecord(string dir, string recipe, long seed, double[] testFolds, double[] validation, double[] twinFolds, double[] twinValidation,
        string dataset = "MUTAG", int? foldSeed = null)
    {
        var record = new JsonObject
        {
            ["recipe"] = recipe, ["dataset"] = dataset, ["seed"] = seed,
            ["trained"] = testFolds.Average(), ["untrained"] = twinFolds.Average(), ["trained_fold_std"] = 0.0, ["untrained_fold_std"] = 0.0,
            ["chosen_c"] = new JsonArray(), ["losses"] = new JsonArray(), ["train_seconds"] = 0.0, ["eval_seconds"] = 0.0, ["all_converged"] = true,
            ["fold_seed"] = foldSeed ?? (int)seed,
            ["trained_folds"] = new JsonArray([.. testFolds.Select(v => (JsonNode)v)]),
            ["trained_validation"] = new JsonArray([.. validation.Select(v => (JsonNode)v)]),
            ["untrained_folds"] = new JsonArray([.. twinFolds.Select(v => (JsonNode)v)]),
            ["untrained_validation"] = new JsonArray([.. twinValidation.Select(v => (JsonNode)v)]),
        };
        Directory.CreateDirectory(Path.Combine(dir, "seeds"));
        File.WriteAllText(Path.Combine(dir, "seeds", $"seed{seed}.json"), record.ToJsonString());
    }

    [Fact]
    public void Each_fold_scores_the_candidate_with_the_best_validation_not_the_best_test()
    {
        string a = Path.Combine(temp, "a"), b = Path.Combine(temp, "b");
        // Seed 0, three folds. Fold 0: a validates better (a's test 70); fold 1: b validates better (b's test 60) although
        // a tests higher there (90); fold 2: a tie → the first listed, a (test 80). Selected: (70 + 60 + 80) / 3 = 70.
        WriteRecord(a, "graphcl/1", 0, [70, 90, 80], [85, 70, 75], [50, 50, 50], [60, 60, 60]);
        WriteRecord(b, "graphcl/1 + epochs=100", 0, [95, 60, 99], [80, 71, 75], [40, 55, 40], [61, 59, 60]);
        // Seed 1: b everywhere by validation. A seed only a has (2) is left out and said so.
        WriteRecord(a, "graphcl/1", 1, [50, 50, 50], [10, 10, 10], [50, 50, 50], [10, 10, 10]);
        WriteRecord(b, "graphcl/1 + epochs=100", 1, [60, 70, 80], [20, 20, 20], [45, 45, 45], [20, 20, 20]);
        WriteRecord(a, "graphcl/1", 2, [50, 50, 50], [10, 10, 10], [50, 50, 50], [10, 10, 10]);
        var outDir = Path.Combine(temp, "out");

        var run = GraphSsl.Run("select", a, b, "--out", outDir);

        Assert.True(run.ExitCode == 0, run.StdErr);
        var csv = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal("seed,selected,selected_untrained,chosen_per_fold,chosen_untrained_per_fold", csv[0]);
        var seed0 = csv[1].Split(',');
        Assert.Equal(70.0, double.Parse(seed0[1], CultureInfo.InvariantCulture), 10);
        // Twins: fold 0 b (61 > 60, test 40), fold 1 a (60 > 59, test 50), fold 2 tie → a (test 50): 140 / 3.
        Assert.Equal(140.0 / 3, double.Parse(seed0[2], CultureInfo.InvariantCulture), 10);
        Assert.Equal("1 2 1", seed0[3]);
        Assert.Equal("2 1 1", seed0[4]);
        Assert.StartsWith("1,70,45,2 2 2,2 2 2", csv[2]);
        Assert.Equal(3, csv.Length);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("Seeds left out (not run for every candidate): 2.", summary);
        Assert.Contains("| **selected (trained)** | **70.00 ± 0.00** |", summary);
        Assert.Contains("published: GraphCL (You et al., NeurIPS 2020) | 86.80 ± 1.34", summary);
        Assert.Contains("| 2 | graphcl/1 + epochs=100 |", summary);
        Assert.True(new FileInfo(Path.Combine(outDir, "summary.png")).Length > 1000);
    }

    [Fact]
    public void Candidates_that_cannot_be_compared_fold_by_fold_are_refused_with_the_reason()
    {
        string a = Path.Combine(temp, "a"), b = Path.Combine(temp, "b"), c = Path.Combine(temp, "c"), d = Path.Combine(temp, "d"), e = Path.Combine(temp, "e");
        WriteRecord(a, "graphcl/1", 0, [70, 90], [85, 70], [50, 50], [60, 60]);
        WriteRecord(b, "graphmae/4", 0, [70, 90], [85, 70], [50, 50], [60, 60], foldSeed: 7);
        WriteRecord(c, "graphcl/1", 0, [70, 90], [85, 70], [50, 50], [60, 60], dataset: "NCI1");
        WriteRecord(d, "graphcl/1", 3, [70, 90], [85, 70], [50, 50], [60, 60]);
        Directory.CreateDirectory(e);

        (string[] Args, string Message)[] cases =
        [
            ([a], "at least two candidates"),
            ([a, b], "split their outer folds differently"),
            ([a, c], "different datasets (MUTAG, NCI1)"),
            ([a, d], "share no seed"),
            ([a, e], "no seeds/ folder"),
        ];
        foreach (var (args, message) in cases)
        {
            var run = GraphSsl.Run(["select", .. args]);
            Assert.True(run.ExitCode == 2, $"{string.Join(" ", args)}: exit {run.ExitCode}, {run.StdErr}");
            Assert.Contains(message, run.StdErr);
            Assert.DoesNotContain("   at ", run.StdErr);
        }
    }

    [Fact]
    public void A_record_written_before_validation_was_kept_is_refused_by_path()
    {
        string a = Path.Combine(temp, "a"), old = Path.Combine(temp, "old");
        WriteRecord(a, "graphcl/1", 0, [70, 90], [85, 70], [50, 50], [60, 60]);
        Directory.CreateDirectory(Path.Combine(old, "seeds"));
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(a, "seeds", "seed0.json")))!.AsObject();
        record.Remove("trained_validation");
        File.WriteAllText(Path.Combine(old, "seeds", "seed0.json"), record.ToJsonString());

        var run = GraphSsl.Run("select", a, old);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(Path.Combine(old, "seeds", "seed0.json"), run.StdErr);
        Assert.Contains("no per-fold validation accuracy", run.StdErr);
    }

    [SkippableFact]
    public void A_reproduce_variant_is_named_keeps_per_fold_validation_and_selects_against_the_recipe()
    {
        var tu = SharedData.RequireTu();
        string recipe = Path.Combine(temp, "graphcl"), variant = Path.Combine(temp, "graphcl-h16-e3");
        var first = GraphSsl.Run("reproduce", "graphcl", "--dataset", "MUTAG", "--data-dir", tu!, "--seeds", "1", "--threads", "1", "--epochs", "3", "--out", recipe);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var second = GraphSsl.Run("reproduce", "graphcl", "--dataset", "MUTAG", "--data-dir", tu!, "--seeds", "1", "--threads", "1",
            "--set", "Encoder.Hidden=16", "--epochs", "3", "--out", variant);
        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.Contains("graphcl/2 + Encoder.Hidden=16, epochs=3 on MUTAG", second.StdOut);
        Assert.Contains("**A variant, not the paper's setting:** Encoder.Hidden=16, epochs=3", File.ReadAllText(Path.Combine(variant, "summary.md")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(variant, "seeds", "seed0.json")));
        var validation = json.RootElement.GetProperty("trained_validation").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(10, validation.Length);
        Assert.All(validation, v => Assert.InRange(v, 0.0, 100.0));
        Assert.Equal(0, json.RootElement.GetProperty("fold_seed").GetInt32());

        var select = GraphSsl.Run("select", recipe, variant, "--out", Path.Combine(temp, "select"));
        Assert.True(select.ExitCode == 0, select.StdErr);
        Assert.Matches(@"select on MUTAG, 2 candidates, 1 seeds: selected \d+\.\d\d ± 0\.00 %", select.StdOut);
    }

    [Theory]
    [InlineData(new[] { "reproduce", "grace", "--dataset", "Cora", "--set", "Encoder.Hidden=8" }, "graph-level recipes only")]
    [InlineData(new[] { "reproduce", "graphcl", "--dataset", "synthetic", "--epochs", "0" }, "--epochs must be at least 1, was 0")]
    public void Variant_options_outside_their_use_are_user_errors(string[] args, string message)
    {
        var run = GraphSsl.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr);
    }
}
