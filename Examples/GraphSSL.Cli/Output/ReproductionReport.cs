using System.Globalization;
using System.Text;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Data;
using GraphSSL.Cli.Recipes;

namespace GraphSSL.Cli.Output;

/// <summary>One seed's outcome of <c>reproduce</c>, kept as seeds/seed{n}.json.</summary>
public sealed record SeedRecord(string Recipe, string Dataset, long Seed, double Trained, double Untrained, double TrainedFoldStd, double UntrainedFoldStd,
    double[] ChosenC, double[] Losses, double TrainSeconds, double EvalSeconds, bool AllConverged)
{
    /// <summary>The record of <paramref name="run"/> (evaluated beside its untrained twin), in percent.</summary>
    public static SeedRecord From(Recipe recipe, long seed, RunResult run)
    {
        var evaluation = run.Evaluation ?? throw new InvalidOperationException("A reproduction is always evaluated.");
        var (trained, twin) = (evaluation.Trained, evaluation.Untrained ?? throw new InvalidOperationException("A reproduction is evaluated beside its untrained twin."));
        return new SeedRecord(recipe.Id, run.Job.Data.Name, seed, trained.Accuracy * 100, twin.Accuracy * 100, trained.FoldStd * 100, twin.FoldStd * 100,
            trained.ChosenC, [.. run.Training.Losses], run.TrainSeconds, evaluation.Seconds, trained.AllConverged && twin.AllConverged)
        {
            FoldSeed = trained.Seed,
            TrainedFolds = Percent(trained.FoldAccuracies),
            TrainedValidation = Percent(trained.FoldValidation),
            UntrainedFolds = Percent(twin.FoldAccuracies),
            UntrainedValidation = Percent(twin.FoldValidation),
        };
    }

    /// <summary>Seed of the outer folds (the same graphs in fold k for every record with this seed); null in older records.</summary>
    public int? FoldSeed { get; init; }

    /// <summary>Test accuracy (%) of each outer fold, trained encoder; null in records written before it was kept.</summary>
    public double[]? TrainedFolds { get; init; }

    /// <summary>
    /// Validation accuracy (%) of each outer fold, trained encoder: the inner grid search's best, on that fold's training
    /// graphs only (<see cref="EvalResult.FoldValidation"/>); what <c>graphssl select</c> chooses by. Null when absent.
    /// </summary>
    public double[]? TrainedValidation { get; init; }

    /// <summary>As <see cref="TrainedFolds"/>, for the untrained twin.</summary>
    public double[]? UntrainedFolds { get; init; }

    /// <summary>As <see cref="TrainedValidation"/>, for the untrained twin.</summary>
    public double[]? UntrainedValidation { get; init; }

    /// <summary>Fractions as percentages; null when empty or when any is NaN (no search: nothing to select by).</summary>
    static double[]? Percent(double[] values) => values.Length == 0 || values.Any(double.IsNaN) ? null : [.. values.Select(v => v * 100)];
}

/// <summary><c>reproduce</c>'s outputs: results.csv, summary.md and summary.png over the seeds, and the line on standard output.</summary>
public static class ReproductionReport
{
    public static void Write(RunFiles files, Recipe recipe, GraphData data, IReadOnlyList<SeedRecord> records, bool fewerSeeds)
    {
        var published = recipe.PublishedFor(data.Name);
        var (mean, std) = MeanStd(records.Select(r => r.Trained));
        var (umean, ustd) = MeanStd(records.Select(r => r.Untrained));
        var verdict = published is null ? "no published number" : Verdict.Of(mean, published);
        files.Write("results.csv", s => WriteCsv(s, records));
        files.Write("summary.md", s => WriteSummary(s, recipe, data, records, published, verdict, fewerSeeds));
        files.Write("summary.png", s => Plots.Reproduction(s, $"{recipe.Name} on {data.Name} ({records.Count} seeds)",
            [("untrained twin", umean, ustd), ("trained (ours)", mean, std), .. published is null ? Array.Empty<(string, double, double)>() : [("published", published.Mean, published.Std)]]));
        Console.WriteLine($"{recipe.Id} on {data.Name}, {records.Count} seeds: trained {mean:F2} ± {std:F2} %, untrained twin {umean:F2} ± {ustd:F2} %" +
                          (published is null ? "" : $", published {published.Mean:F2} ± {published.Std:F2} %: {verdict}") + $". ({files.Directory})");
    }

    /// <summary>Mean and population standard deviation (numpy's default, as the papers report).</summary>
    internal static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length));
    }

    static void WriteCsv(Stream stream, IReadOnlyList<SeedRecord> records)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
        w.WriteLine("recipe,dataset,seed,trained,untrained,trained_fold_std,untrained_fold_std,final_loss,train_seconds,eval_seconds,converged");
        foreach (var r in records)
            w.WriteLine(string.Join(",", r.Recipe, r.Dataset, r.Seed.ToString(CultureInfo.InvariantCulture), F(r.Trained), F(r.Untrained), F(r.TrainedFoldStd),
                F(r.UntrainedFoldStd), F(r.Losses.Length == 0 ? double.NaN : r.Losses[^1]), F(r.TrainSeconds), F(r.EvalSeconds), r.AllConverged ? "true" : "false"));
    }

    internal static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    static void WriteSummary(Stream stream, Recipe recipe, GraphData data, IReadOnlyList<SeedRecord> records, Published? published, string verdict, bool fewerSeeds)
    {
        var (mean, std) = MeanStd(records.Select(r => r.Trained));
        var (umean, ustd) = MeanStd(records.Select(r => r.Untrained));
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
        w.WriteLine($"# {recipe.Paper} on {data.Name} — recipe {recipe.Id}");
        w.WriteLine();
        w.WriteLine("| | accuracy (%) mean ± std over seeds |");
        w.WriteLine("| --- | --- |");
        w.WriteLine($"| untrained twin (same shape and seeds, no training) | {umean:F2} ± {ustd:F2} |");
        w.WriteLine($"| trained (ours, {records.Count} seeds) | {mean:F2} ± {std:F2} |");
        if (published is not null) w.WriteLine($"| published | {published.Mean:F2} ± {published.Std:F2} |");
        w.WriteLine();
        w.WriteLine($"Verdict: **{verdict}**" + (published is null ? "" : $" (ours − published = {mean - published.Mean:+0.00;-0.00} points; within noise means within one published std)."));
        if (fewerSeeds) w.WriteLine($"Only {records.Count} of the recipe's {recipe.Seeds.Length} seeds were run (--seeds).");
        if (recipe.IsVariant)
            w.WriteLine($"**A variant, not the paper's setting:** {recipe.VariantDescription} added on the command line (--set, --epochs, --lr). " +
                        "Compare variants with each other by validation accuracy (`graphssl select`), never by the test accuracy above.");
        w.WriteLine();
        w.WriteLine("| seed | trained | untrained | C chosen per fold | final loss |");
        w.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var r in records)
            w.WriteLine($"| {r.Seed} | {r.Trained:F2} | {r.Untrained:F2} | {string.Join(" ", r.ChosenC.Select(c => c.ToString("G3", CultureInfo.InvariantCulture)))} | {(r.Losses.Length == 0 ? "—" : r.Losses[^1].ToString("F4", CultureInfo.InvariantCulture))} |");
        w.WriteLine();
        w.WriteLine("Evaluation: " + recipe.Evaluation.Description);
        w.WriteLine();
        w.WriteLine("Sources: " + string.Join("; ", recipe.Sources) + ".");
        w.WriteLine();
        w.WriteLine("Where this recipe differs from the authors' code:");
        foreach (var d in recipe.Deviations) w.WriteLine("- " + d);
        w.WriteLine();
        w.WriteLine($"Data as prepared: {string.Join("; ", data.Notes)}.");
    }
}
