using System.CommandLine;
using System.Globalization;
using System.Text;

namespace GraphSSL.Cli;

/// <summary>
/// <c>graphssl reproduce &lt;recipe&gt; --dataset D</c>: runs a paper's setting over all its seeds, evaluates each
/// trained encoder and its untrained twin (same shape, same seed, no training) with the paper's protocol, and
/// writes ours against the published mean ± std with a verdict (markdown, CSV and a figure). Finished seeds are
/// kept as records, so a killed run resumes.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "Recipe: " + string.Join(", ", Recipes.All.Select(r => r.Name)) + "." };
        var dataset = Cli.DatasetOption("MUTAG");
        var dataDir = Cli.DataDirOption();
        var seeds = new Option<int?>("--seeds") { Description = "Run only the first N of the recipe's seeds (the result says so)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp (1 when other work shares the machine)." };
        var outDir = new Option<string?>("--out", "-o") { Description = "Output folder. Default: runs/reproduce/<recipe>-<dataset>." };
        var command = new Command("reproduce", "Run a paper's recipe over its seeds beside the untrained twin and compare with the published numbers.");
        command.Arguments.Add(recipe);
        foreach (var option in new Option[] { dataset, dataDir, seeds, threads, outDir }) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() => Run(
            Recipes.Find(parse.GetValue(recipe)!), parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(seeds), parse.GetValue(threads),
            parse.GetValue(outDir), cancellationToken))));
        return command;
    }

    /// <summary>One seed's outcome, kept as seeds/seed{n}.json.</summary>
    public sealed record SeedRecord(string Recipe, string Dataset, long Seed, double Trained, double Untrained, double TrainedFoldStd, double UntrainedFoldStd,
        double[] ChosenC, double[] Losses, double TrainSeconds, double EvalSeconds, bool AllConverged);

    static int Run(Recipe recipe, string datasetName, string? dataDir, int? seedCount, int? threads, string? outDir, CancellationToken cancellationToken)
    {
        if (seedCount is < 1) throw new UserErrorException("--seeds must be at least 1.");
        var loaded = Cli.LoadDataset(datasetName, dataDir);
        var data = recipe.Features.Apply(loaded);
        var (sets, baseOptions) = recipe.For(data.Name);
        var seeds = recipe.Seeds.Take(seedCount ?? recipe.Seeds.Length).ToArray();
        var files = new RunFiles(outDir ?? Path.Combine("runs", "reproduce", $"{recipe.Name}-{data.Name}"));
        var log = Console.Error;
        log.WriteLine($"{recipe.Paper}, recipe {recipe.Id}, on {data.Name}: {data.GraphCount} graphs, {data.FeatureDim} features " +
                      $"({(recipe.Features.NodeAttributes ? "node attributes kept" : "node attributes dropped")}{(recipe.Features.SelfLoops ? ", self-loops" : "")}); " +
                      $"{baseOptions.Epochs} epochs, batch {baseOptions.BatchSize}, lr {baseOptions.LearningRate.ToString(CultureInfo.InvariantCulture)}; seeds {string.Join(", ", seeds)}.");
        log.WriteLine($"Evaluation: {recipe.Evaluation.Description}");

        var records = new List<SeedRecord>();
        foreach (var seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var recordName = $"seeds/seed{seed.ToString(CultureInfo.InvariantCulture)}.json";
            var recordPath = files.PathOf(recordName);
            if (File.Exists(recordPath))
            {
                var kept = System.Text.Json.JsonSerializer.Deserialize<SeedRecord>(File.ReadAllText(recordPath), Cli.Json);
                if (kept is not null && kept.Recipe == recipe.Id && kept.Dataset == data.Name)
                {
                    log.WriteLine($"seed {seed}: kept from {recordName} (trained {kept.Trained:F2} %, untrained {kept.Untrained:F2} %)");
                    records.Add(kept);
                    continue;
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
            var model = ModelFactory.Create(recipe.Model, null, recipe.Views, null, sets);
            var options = (baseOptions with { Seed = seed, Threads = threads }).Validate();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var result = TrainCommand.TrainWithProgress(model, data, options, log, _ => { }, cancellationToken);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            using var untrained = model.Train(data, options with { Epochs = 0 }, null, cancellationToken);
            using var trainedTensor = result.Embed(data);
            using var untrainedTensor = untrained.Embed(data);
            clock.Restart();
            var evalOptions = recipe.Evaluation.Options(seed) with { MaxDegreeOfParallelism = threads };
            var trained = Protocol.Evaluate(Protocol.Standard, EmbeddingRows.From(trainedTensor), data.Labels, evalOptions, 0);
            var twin = Protocol.Evaluate(Protocol.Standard, EmbeddingRows.From(untrainedTensor), data.Labels, evalOptions, 0);
            var record = new SeedRecord(recipe.Id, data.Name, seed, trained.Accuracy * 100, twin.Accuracy * 100, trained.FoldStd * 100, twin.FoldStd * 100,
                trained.ChosenC, [.. result.Losses], trainSeconds, clock.Elapsed.TotalSeconds, trained.AllConverged && twin.AllConverged);
            files.WriteJson(recordName, record);
            log.WriteLine($"seed {seed}: trained {record.Trained:F2} % ± {record.TrainedFoldStd:F2} (folds), untrained {record.Untrained:F2} % ± {record.UntrainedFoldStd:F2}; " +
                          $"train {trainSeconds:F0} s, evaluation {record.EvalSeconds:F0} s");
            records.Add(record);
        }

        var published = recipe.PublishedFor(data.Name);
        var (mean, std) = MeanStd(records.Select(r => r.Trained));
        var (umean, ustd) = MeanStd(records.Select(r => r.Untrained));
        var verdict = published is null ? "no published number" : Verdict.Of(mean, published);
        files.Write("results.csv", s => WriteCsv(s, records));
        files.Write("summary.md", s => WriteSummary(s, recipe, data, records, published, verdict, seedCount is not null && seedCount < recipe.Seeds.Length));
        files.Write("summary.png", s => Plots.Reproduction(s, $"{recipe.Name} on {data.Name} ({records.Count} seeds)",
            [("untrained twin", umean, ustd), ("trained (ours)", mean, std), .. published is null ? Array.Empty<(string, double, double)>() : [("published", published.Mean, published.Std)]]));
        Console.WriteLine($"{recipe.Id} on {data.Name}, {records.Count} seeds: trained {mean:F2} ± {std:F2} %, untrained twin {umean:F2} ± {ustd:F2} %" +
                          (published is null ? "" : $", published {published.Mean:F2} ± {published.Std:F2} %: {verdict}") + $". ({files.Directory})");
        return Cli.Ok;
    }

    /// <summary>Mean and population standard deviation (numpy's default, as the papers report).</summary>
    static (double Mean, double Std) MeanStd(IEnumerable<double> values)
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

    static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

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
