namespace GraphSSL.Cli.Tests;

/// <summary>`graphssl reproduce`: a recipe's seeds beside the untrained twin and the published number, resumable.</summary>
public sealed class ReproduceTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-reproduce-");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public void One_seed_of_a_recipe_writes_the_comparison_and_resumes_from_its_record()
    {
        var tu = SharedData.RequireTu();
        var outDir = Path.Combine(temp, "graphcl-mutag");
        var run = GraphSsl.Run("reproduce", "graphcl", "--dataset", "MUTAG", "--data-dir", tu!, "--seeds", "1", "--threads", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("graphcl/2 on MUTAG, 1 seeds", run.StdOut);
        Assert.Matches(@"published 86\.80 ± 1\.34 %: (within noise|below|above)", run.StdOut);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("| published | 86.80 ± 1.34 |", summary);
        Assert.Contains("untrained twin", summary);
        Assert.Contains("Only 1 of the recipe's 5 seeds", summary);
        Assert.Contains("node attributes dropped, self-loops", run.StdErr); // the recipe's feature handling, as GraphCL's code does it
        var csv = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("graphcl/2,MUTAG,0,", csv[1]);
        Assert.True(new FileInfo(Path.Combine(outDir, "summary.png")).Length > 1000);

        // A second run keeps the finished seed instead of training it again.
        var again = GraphSsl.Run("reproduce", "graphcl", "--dataset", "MUTAG", "--data-dir", tu!, "--seeds", "1", "--threads", "1", "--out", outDir);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("seed 0: kept from seeds/seed0.json", again.StdErr);
        Assert.Equal(csv, File.ReadAllLines(Path.Combine(outDir, "results.csv")));
    }

    [Theory]
    [InlineData("0,9", "'9', which is not one of the recipe's seeds (0, 1, 2, 3, 4)")]
    [InlineData("0", "a count of at least 1 or a list of the recipe's seeds (0, 1, 2, 3, 4), was '0'; for seed 0 alone write '--seeds 0,'.")]
    [InlineData(",", "--seeds lists no seed, was ','")]
    [InlineData("two", "was 'two'")]
    public void A_seed_selection_outside_the_recipe_is_a_user_error_naming_its_seeds(string seeds, string expected)
    {
        var run = GraphSsl.Run("reproduce", "graphcl", "--dataset", "synthetic", "--seeds", seeds);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StdErr);
    }

    [Fact]
    public void A_trailing_comma_runs_one_seed_alone()
    {
        // "4," is the list [4]; "4" would be the first four seeds.
        var outDir = Path.Combine(temp, "seed-alone");
        var run = GraphSsl.Run("reproduce", "graphcl", "--dataset", "synthetic", "--seeds", "4,", "--epochs", "1", "--threads", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("; seeds 4.", run.StdErr);
        Assert.Equal(new[] { "seed4.json" }, Directory.GetFiles(Path.Combine(outDir, "seeds")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_learning_rate_variant_trains_with_it_and_is_named_in_the_records()
    {
        var outDir = Path.Combine(temp, "lr-variant");
        var run = GraphSsl.Run("reproduce", "graphcl", "--dataset", "synthetic", "--seeds", "4,", "--epochs", "1", "--lr", "0.002", "--threads", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("lr 0.002,", run.StdErr); // the header states the options the seeds train with
        Assert.Contains("graphcl/2 + epochs=1, lr=0.002 on synthetic", run.StdOut);
        using var record = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "seeds", "seed4.json")));
        Assert.Equal("graphcl/2 + epochs=1, lr=0.002", record.RootElement.GetProperty("recipe").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    [InlineData("NaN")]
    public void A_learning_rate_that_is_not_positive_is_a_user_error(string lr)
    {
        var run = GraphSsl.Run("reproduce", "graphcl", "--dataset", "synthetic", "--lr", lr);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--lr must be a positive number", run.StdErr);
    }

    [Fact]
    public void An_unknown_recipe_is_a_user_error_listing_the_recipes()
    {
        var run = GraphSsl.Run("reproduce", "nosuch", "--dataset", "synthetic");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("graphcl, simgrace, infograph, graphmae", run.StdErr);
    }
}
