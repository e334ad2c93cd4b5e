using System.CommandLine;
using System.Globalization;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Evaluation;
using GraphSSL.Cli.Recipes;
using GraphSSL.Data;
using GraphSSL.Training;

namespace GraphSSL.Cli.Commands;

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
        var recipe = new Argument<string>("recipe")
        {
            Description = "Recipe: " + string.Join(", ", RecipeBook.All.Select(r => r.Name)) + " (graph level, TU datasets); " +
                          string.Join(", ", NodeRecipes.Names) + " (node level, --dataset Cora or CiteSeer).",
        };
        var dataset = CommonOptions.Dataset("MUTAG");
        var dataDir = CommonOptions.DataDir();
        var seeds = new Option<string?>("--seeds")
        {
            Description = "Run only the first N of the recipe's seeds (e.g. 2: seeds 0 and 1), or the listed ones: a comma makes a list (3,4 — a second process can take them — or 4, for seed 4 alone); the result says so. Finished seeds are kept and reused.",
        };
        var threads = CommonOptions.Threads("CPU threads for TorchSharp (1 when other work shares the machine).");
        var outDir = CommonOptions.Out("Output folder. Default: runs/reproduce/<recipe>-<dataset>.");
        var sets = new Option<string[]>("--set")
        {
            Description = "A variant: override a hyperparameter after the recipe's own settings (Encoder.Name=value, Objective.Name=value, …). " +
                          "Repeatable. The records and summary name it; compare variants with `graphssl select`. Graph level only.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var epochs = new Option<int?>("--epochs") { Description = "A variant: train this many epochs instead of the recipe's. Graph level only." };
        var learningRate = new Option<double?>("--lr") { Description = "A variant: this learning rate instead of the recipe's. Graph level only." };
        var command = new Command("reproduce", "Run a paper's recipe over its seeds beside the untrained twin and compare with the published numbers.");
        command.Arguments.Add(recipe);
        foreach (var option in new Option[] { dataset, dataDir, seeds, threads, outDir, sets, epochs, learningRate }) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() =>
        {
            if (GraphSSL.Data.Planetoid.PlanetoidDataset.CanonicalName(Path.GetFileName(parse.GetValue(dataset)!.TrimEnd('/', '\\'))) is not null)
            {
                if (parse.GetValue(sets)!.Length > 0 || parse.GetValue(epochs) is not null || parse.GetValue(learningRate) is not null)
                    throw new UserErrorException("--set, --epochs and --lr make variants of the graph-level recipes only; node-level recipes run as published.");
                return NodeReproduce.Run(parse.GetValue(recipe)!, parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(seeds), parse.GetValue(threads),
                    parse.GetValue(outDir), cancellationToken);
            }
            if (parse.GetValue(epochs) is < 1) throw new UserErrorException($"--epochs must be at least 1, was {parse.GetValue(epochs)}.");
            if (parse.GetValue(learningRate) is { } lr && !(lr > 0 && double.IsFinite(lr)))
                throw new UserErrorException($"--lr must be a positive number, was {lr.ToString(CultureInfo.InvariantCulture)}.");
            var chosen = RecipeBook.Find(parse.GetValue(recipe)!) with
            {
                ExtraSets = parse.GetValue(sets)!, ExtraEpochs = parse.GetValue(epochs), ExtraLearningRate = parse.GetValue(learningRate),
            };
            return Run(chosen, parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(seeds), parse.GetValue(threads), parse.GetValue(outDir), cancellationToken);
        })));
        return command;
    }

    /// <summary>
    /// The seeds <c>--seeds</c> selects from <paramref name="recipeSeeds"/>: all when <paramref name="spec"/> is null, the
    /// first N for "N", the listed ones (in the recipe's order) for "a,b,…". Throws <see cref="UserErrorException"/> for
    /// anything else, naming the recipe's seeds.
    /// </summary>
    internal static long[] SelectSeeds(IReadOnlyList<long> recipeSeeds, string? spec)
    {
        if (spec is null) return recipeSeeds.ToArray();
        // A comma makes a list, so "4," is seed 4 alone; without one the number is a count.
        var parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!spec.Contains(','))
        {
            if (!int.TryParse(spec.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                throw new UserErrorException($"--seeds must be a count of at least 1 or a list of the recipe's seeds ({string.Join(", ", recipeSeeds)}), was '{spec}'" +
                    (long.TryParse(spec.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var single) && recipeSeeds.Contains(single) ? $"; for seed {single} alone write '--seeds {single},'." : "."));
            return recipeSeeds.Take(count).ToArray();
        }
        if (parts.Length == 0)
            throw new UserErrorException($"--seeds lists no seed, was '{spec}'; the recipe's seeds are {string.Join(", ", recipeSeeds)}.");
        var listed = new HashSet<long>();
        foreach (var part in parts)
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) || !recipeSeeds.Contains(seed))
                throw new UserErrorException($"--seeds lists '{part}', which is not one of the recipe's seeds ({string.Join(", ", recipeSeeds)}).");
            else listed.Add(seed);
        return recipeSeeds.Where(listed.Contains).ToArray();
    }

    static int Run(Recipe recipe, string datasetName, string? dataDir, string? seedSpec, int? threads, string? outDir, CancellationToken cancellationToken)
    {
        var seeds = SelectSeeds(recipe.Seeds, seedSpec);
        var loaded = Cli.LoadDataset(datasetName, dataDir);
        var data = recipe.Features.Apply(loaded);
        var (sets, baseOptions) = recipe.For(data.Name);
        // A variant gets its own default folder (named by a hash of its settings), so it never overwrites the recipe's records.
        var variant = recipe.IsVariant
            ? "-variant-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recipe.VariantDescription)))[..8]
            : "";
        var files = new RunFiles(outDir ?? Path.Combine("runs", "reproduce", $"{recipe.Name}-{data.Name}{variant}"));
        var log = Console.Error;
        log.WriteLine($"{recipe.Paper}, recipe {recipe.Id}, on {data.Name}: {data.GraphCount} graphs, {data.FeatureDim} features " +
                      $"({(recipe.Features.NodeAttributes ? "node attributes kept" : "node attributes dropped")}{(recipe.Features.SelfLoops ? ", self-loops" : "")}); " +
                      $"{baseOptions.Epochs} epochs, batch {baseOptions.BatchSize}, lr {baseOptions.LearningRate.ToString(CultureInfo.InvariantCulture)}{(baseOptions.Schedule == LearningRateSchedule.Constant ? "" : $" ({baseOptions.Schedule.ToString().ToLowerInvariant()} schedule)")}{(baseOptions.LinearInit == LinearInit.XavierUniform ? ", Linear layers Xavier-uniform" : "")}; seeds {string.Join(", ", seeds)}.");
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
            // The paper's protocol: pre-train on every graph, evaluate every graph, beside the untrained twin.
            var evaluation = new EvaluationPlan(recipe.Evaluation.Options(seed) with { MaxDegreeOfParallelism = threads }, UntrainedTwin: true, FewLabels: false);
            using var run = TrainAndEvaluate.Run(new RunJob(model, data, options, Protocol.Standard, SplitSeed: 0, evaluation), new DisplayObserver(new TrainingDisplay(log)), cancellationToken);
            var record = SeedRecord.From(recipe, seed, run);
            files.WriteJson(recordName, record);
            log.WriteLine($"seed {seed}: trained {record.Trained:F2} % ± {record.TrainedFoldStd:F2} (folds), untrained {record.Untrained:F2} % ± {record.UntrainedFoldStd:F2}; " +
                          $"train {record.TrainSeconds:F0} s, evaluation {record.EvalSeconds:F0} s");
            records.Add(record);
        }

        ReproductionReport.Write(files, recipe, data, records, fewerSeeds: seeds.Length < recipe.Seeds.Length);
        return Cli.Ok;
    }
}
