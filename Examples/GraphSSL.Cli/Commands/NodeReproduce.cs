using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphSSL.Cli.Output;
using static GraphSSL.Cli.Output.ReproductionReport;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Data;
using GraphSSL.Training;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// One pre-training seed of a node-level reproduction, kept as seeds/seed{n}.json (accuracies in %, over the probe seeds).
/// <see cref="Settings"/> is the recipe's settings when it ran (<see cref="NodeReproduce.SettingsOf"/>); a record is kept
/// only when they equal the recipe's current ones (a record without them is trained again). <see cref="Probe"/> is the
/// protocol of <see cref="Trained"/> and <see cref="Untrained"/> (null: <see cref="NodeProbing.Logistic"/>, the only one
/// before recipes had their authors' probes); when it is the authors', <see cref="LogisticProbe"/> holds ours.
/// <see cref="Version"/> is the recipe's <see cref="NodeRecipe.Version"/> (null: 1, the records made before recipes had versions).
/// </summary>
public sealed record NodeSeedRecord(string Recipe, string Model, string Dataset, long Seed, int Epochs,
    NodeProbeSummary Trained, NodeProbeSummary Untrained, double[] Losses, double TrainSeconds, string? Settings = null,
    string? Probe = null, NodeProbeReport? LogisticProbe = null, int? Version = null);

/// <summary>
/// <c>graphssl reproduce &lt;grace|dgi|bgrl|graphmae|ccassg&gt; --dataset Cora|CiteSeer</c>: the node-level recipe
/// (<see cref="NodeRecipes"/>) over pre-training seeds 0–4, each encoder and its untrained twin probed on the public
/// split (<see cref="NodeProbe"/>: C chosen on the validation nodes only, 20 probe seeds), then ours against the
/// published number: markdown, CSV and a figure. Finished seeds are kept, so a killed run resumes.
/// </summary>
public static class NodeReproduce
{
    /// <summary>The pre-training seeds of every node-level reproduction.</summary>
    public static readonly long[] Seeds = [0, 1, 2, 3, 4];

    /// <summary>Probe seeds of our probe (<see cref="GraphSSL.Evaluation.NodeProbe"/>).</summary>
    static int OurProbeSeeds => new GraphSSL.Evaluation.NodeProbeOptions().Seeds;

    /// <summary>The band the node-level issue asks reproductions to fall in (points).</summary>
    public const double Band = 1.5;

    public static int Run(string name, string dataset, string? dataDir, string? seedSpec, int? threads, string? outDir, CancellationToken cancellationToken)
    {
        var seeds = ReproduceCommand.SelectSeeds(Seeds, seedSpec);
        var recipe = NodeRecipes.Named(name, dataset)
            ?? throw new UserErrorException($"No node-level recipe named '{name}' for {dataset}. Node-level recipes: " +
                string.Join("; ", NodeRecipes.All.Where(r => r.Name.Length > 0).Select(r => $"{r.Name} ({r.Dataset})")) + ".");
        var data = NodeTraining.Load(dataset, dataDir);
        var files = new RunFiles(outDir ?? Path.Combine("runs", "reproduce", $"{recipe.Name}-{data.Name}"));
        var log = Console.Error;
        var id = $"{recipe.Name}-node/{recipe.Model}";
        log.WriteLine($"{recipe.Model} on {data.Name} (node level, full graph): {data.NodeCount} nodes, {data.FeatureDim} features; " +
                      $"{recipe.Epochs} epochs, lr {recipe.LearningRate.ToString(CultureInfo.InvariantCulture)}, weight decay {recipe.WeightDecay.ToString(CultureInfo.InvariantCulture)}{ScheduleText(recipe)}; " +
                      $"pre-training seeds {string.Join(", ", seeds)}; recipe {recipe.Name}, version {recipe.Version.ToString(CultureInfo.InvariantCulture)}: {recipe.Source}.");

        var settings = SettingsOf(recipe);
        var protocol = NodeProbing.Protocol(recipe.Probe);
        var records = new List<NodeSeedRecord>();
        foreach (var seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var recordName = $"seeds/seed{seed.ToString(CultureInfo.InvariantCulture)}.json";
            var recordPath = files.PathOf(recordName);
            if (File.Exists(recordPath) && JsonSerializer.Deserialize<NodeSeedRecord>(File.ReadAllText(recordPath), Cli.Json) is { } previous)
            {
                if (WhyNotKept(previous, id, data.Name, recipe.Epochs, settings, protocol, recipe.Version) is not { } reason)
                {
                    log.WriteLine($"seed {seed}: kept from {recordName} (trained {previous.Trained.TestMean:F2} %, untrained {previous.Untrained.TestMean:F2} %)");
                    records.Add(previous);
                    continue;
                }
                log.WriteLine($"seed {seed}: {recordName} {reason}; training it again.");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
            var model = ModelFactory.Create(recipe.Model, null, [], null, recipe.Sets) as INodeLevelModel
                ?? throw new InvalidOperationException($"{recipe.Model} is not a node-level model.");
            var options = NodeTraining.Apply(recipe, new TrainOptions { Seed = seed, Threads = threads }, false, false, false);
            using var outcome = NodeTraining.TrainAndProbe(model, data, options, evaluate: true, log, cancellationToken, recipe.Probe);
            var record = new NodeSeedRecord(id, recipe.Model, data.Name, seed, options.Epochs, outcome.Probe!.Trained, outcome.Probe.Untrained,
                [.. outcome.Result.Losses], outcome.TrainSeconds, settings, recipe.Probe is null ? null : protocol, outcome.LogisticProbe, recipe.Version);
            files.WriteJson(recordName, record);
            log.WriteLine($"seed {seed}: trained {record.Trained.TestMean:F2} % (validation {record.Trained.Validation:F2}), untrained {record.Untrained.TestMean:F2} %" +
                          (record.LogisticProbe is { } lr ? $"; our logistic probe: trained {lr.Trained.TestMean:F2} %, untrained {lr.Untrained.TestMean:F2} %" : "") +
                          $"; train {record.TrainSeconds:F0} s");
            records.Add(record);
        }
        Write(files, recipe, data, records, fewerSeeds: seeds.Length < Seeds.Length);
        return Cli.Ok;
    }

    static void Write(RunFiles files, NodeRecipe recipe, NodeData data, IReadOnlyList<NodeSeedRecord> records, bool fewerSeeds)
    {
        var inv = CultureInfo.InvariantCulture;
        var (mean, std) = MeanStd(records.Select(r => r.Trained.TestMean));
        var (umean, ustd) = MeanStd(records.Select(r => r.Untrained.TestMean));
        var (vmean, _) = MeanStd(records.Select(r => r.Trained.Validation));
        double probeStd = records.Average(r => r.Trained.TestStd);
        // With the authors' probe, ours too (every record of such a recipe has it: a record without is not kept).
        bool both = recipe.Probe is not null && records.All(r => r.LogisticProbe is not null);
        var (lmean, lstd) = both ? MeanStd(records.Select(r => r.LogisticProbe!.Trained.TestMean)) : (double.NaN, double.NaN);
        var (lumean, lustd) = both ? MeanStd(records.Select(r => r.LogisticProbe!.Untrained.TestMean)) : (double.NaN, double.NaN);
        // The graph-level rule: within the published std, or 0.5 points when the table gives none.
        string verdict = recipe.Published is null ? "no published number" : Recipes.Verdict.Of(mean, new Recipes.Published(recipe.Published.Value, recipe.PublishedStd ?? 0));
        string band = recipe.Published is null ? "" : Math.Abs(mean - recipe.Published.Value) <= Band ? $"within {Band} points" : $"outside {Band} points";

        files.Write("results.csv", stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
            // trained / untrained: the recipe's probe (the authors' when it has one); logistic_*: ours beside it, empty when they are the same.
            w.WriteLine("recipe,model,dataset,seed,epochs,trained,trained_probe_std,trained_validation,untrained,untrained_validation,final_loss,train_seconds,logistic_trained,logistic_untrained");
            foreach (var r in records)
                w.WriteLine(string.Join(",", r.Recipe, r.Model, r.Dataset, r.Seed.ToString(inv), r.Epochs.ToString(inv), F(r.Trained.TestMean), F(r.Trained.TestStd),
                    F(r.Trained.Validation), F(r.Untrained.TestMean), F(r.Untrained.Validation), F(r.Losses.Length == 0 ? double.NaN : r.Losses[^1]), F(r.TrainSeconds),
                    r.LogisticProbe is null ? "" : F(r.LogisticProbe.Trained.TestMean), r.LogisticProbe is null ? "" : F(r.LogisticProbe.Untrained.TestMean)));
        });
        files.Write("summary.md", stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
            w.WriteLine($"# {recipe.Model} on {data.Name} (node level) — recipe {recipe.Name}, version {recipe.Version}");
            w.WriteLine();
            string split = $"the public split ({data.Split.Train.Length} / {data.Split.Validation.Length} / {data.Split.Test.Length} nodes)";
            string probe = recipe.Probe switch
            {
                null => $"Linear probe on {split}: logistic regression, C chosen on the validation nodes only",
                { PublicSplit: true } => $"Linear probe on {split}: the authors' probe — {recipe.Probe} ({recipe.Probe.ChoosesOn})",
                _ => $"The authors' probe — {recipe.Probe}; the public split is not used by it (its 'validation' is the chosen C's CV score). Ours beside it: logistic regression on {split}, C chosen on the validation nodes only",
            };
            w.WriteLine($"{probe}; " +
                        $"test accuracy averaged over {recipe.Probe?.Seeds ?? OurProbeSeeds} probe seeds per encoder" + (recipe.Probe is null ? "" : $" ({OurProbeSeeds} for ours)") +
                        "; ± below is the population std over pre-training seeds.");
            w.WriteLine();
            w.WriteLine("| | test accuracy (%) |");
            w.WriteLine("| --- | --- |");
            w.WriteLine($"| untrained twin (same encoder and seeds, 0 epochs) | {umean:F2} ± {ustd:F2} |");
            w.WriteLine($"| trained (ours, {records.Count} pre-training seeds) | {mean:F2} ± {std:F2} (validation {vmean:F2}; mean probe-seed std {probeStd:F2}) |");
            if (recipe.Published is not null)
                w.WriteLine($"| published{(recipe.PublicSplitPublished is null ? "" : " (the authors', under their probe)")} | {recipe.Published.Value:F1}" + (recipe.PublishedStd is null ? "" : $" ± {recipe.PublishedStd.Value:F1}") + " |");
            if (both)
            {
                w.WriteLine($"| untrained twin, our probe (public split, logistic regression, C on validation) | {lumean:F2} ± {lustd:F2} |");
                w.WriteLine($"| trained, our probe (public split, logistic regression, C on validation) | {lmean:F2} ± {lstd:F2} |");
                if (recipe.PublicSplitPublished is double pp)
                    w.WriteLine($"| published, public split (as tabulated in the GraphMAE and MA-GCL papers) | {pp:F1} |");
            }
            w.WriteLine();
            if (recipe.Published is not null)
                w.WriteLine($"Verdict: **{verdict}**, {band} (ours − published = {mean - recipe.Published.Value:+0.00;-0.00} points; within noise means within the published std, or 0.5 points when the table gives none).");
            if (both && recipe.PublicSplitPublished is double tabulated)
                w.WriteLine($"Our probe on the public split against the tabulated {tabulated:F1}: {lmean - tabulated:+0.00;-0.00} points ({(Math.Abs(lmean - tabulated) <= Band ? "within" : "outside")} {Band} points).");
            if (fewerSeeds) w.WriteLine($"Only {records.Count} of the {Seeds.Length} pre-training seeds were run (--seeds).");
            w.WriteLine();
            w.WriteLine($"| seed | trained | validation | untrained | {recipe.Probe?.Choice ?? "C"} chosen |{(both ? " our probe: trained | untrained |" : "")} final loss | train s |");
            w.WriteLine($"| --- | --- | --- | --- | --- |{(both ? " --- | --- |" : "")} --- | --- |");
            foreach (var r in records)
                w.WriteLine($"| {r.Seed} | {r.Trained.TestMean:F2} | {r.Trained.Validation:F2} | {r.Untrained.TestMean:F2} | {r.Trained.ChoiceText()} | " +
                            (both ? $"{r.LogisticProbe!.Trained.TestMean:F2} | {r.LogisticProbe.Untrained.TestMean:F2} | " : "") +
                            $"{(r.Losses.Length == 0 ? "—" : r.Losses[^1].ToString("F4", inv))} | {r.TrainSeconds:F0} |");
            w.WriteLine();
            w.WriteLine($"Settings: {recipe.Epochs} epochs, Adam lr {recipe.LearningRate.ToString(inv)}, weight decay {recipe.WeightDecay.ToString(inv)}{ScheduleText(recipe)}; " +
                        $"overrides {(recipe.Sets.Length == 0 ? "none" : string.Join(", ", recipe.Sets))}. Source: {recipe.Source}.");
        });
        // With the authors' probe: its bars first, then our logistic probe's (and the tabulated public-split figure, when the
        // recipe has one, beside ours).
        var bars = new List<(string, double, double)>
        {
            (both ? "untrained\nauthors' probe" : "untrained twin", umean, ustd),
            (both ? "trained\nauthors' probe" : "trained (ours)", mean, std),
        };
        if (recipe.Published is not null) bars.Add(("published", recipe.Published.Value, recipe.PublishedStd ?? 0));
        if (both)
        {
            bars.Add(("untrained\nour probe", lumean, lustd));
            bars.Add(("trained\nour probe", lmean, lstd));
            if (recipe.PublicSplitPublished is { } tabulated) bars.Add(("public split\ntabulated", tabulated, 0));
        }
        files.Write("summary.png", stream => Plots.Reproduction(stream, $"{recipe.Name} on {data.Name} ({records.Count} seeds)", bars));
        Console.WriteLine($"{recipe.Name} on {data.Name}, {records.Count} seeds: trained {mean:F2} ± {std:F2} %, untrained twin {umean:F2} ± {ustd:F2} %" +
                          (recipe.Published is null ? "" : $", published {recipe.Published.Value:F1}: {verdict}, {band}") +
                          (both ? $"; our logistic probe: trained {lmean:F2} ± {lstd:F2} %, untrained {lumean:F2} ± {lustd:F2} %" : "") + $". ({files.Directory})");
    }

    /// <summary>
    /// Null when <paramref name="previous"/> is a record of this recipe and <paramref name="version"/>, dataset, epoch count,
    /// <paramref name="settings"/> and probe <paramref name="protocol"/> (so it is kept); else why not, e.g. "was trained with
    /// unrecorded settings".
    /// </summary>
    internal static string? WhyNotKept(NodeSeedRecord previous, string recipeId, string dataset, int epochs, string settings, string protocol = NodeProbing.Logistic,
        int version = 1)
    {
        if (previous.Recipe != recipeId) return $"is of recipe {previous.Recipe}";
        if ((previous.Version ?? 1) != version) return $"was made by recipe version {previous.Version ?? 1}, not {version}";
        if (previous.Dataset != dataset) return $"is of dataset {previous.Dataset}";
        if (previous.Epochs != epochs) return $"was trained for {previous.Epochs} epochs, not {epochs}";
        if (previous.Settings is null) return "was trained with unrecorded settings";
        if (previous.Settings != settings) return $"was trained with other settings ({previous.Settings})";
        var recorded = previous.Probe ?? NodeProbing.Logistic;
        if (recorded != protocol) return $"was probed by another protocol ({NodeProbing.Label(recorded)})";
        if (protocol != NodeProbing.Logistic && previous.LogisticProbe is null) return "lacks our logistic probe beside the authors'";
        return null;
    }

    /// <summary>
    /// What a kept seed record must have been trained with: the recipe's overrides, epochs, learning rate, schedule and
    /// weight decay, e.g. "Objective.Alpha=3; 1500 epochs; lr 0.001 cosine; wd 0.0002". A record of other settings is trained again.
    /// </summary>
    public static string SettingsOf(NodeRecipe recipe)
    {
        var inv = CultureInfo.InvariantCulture;
        return $"{string.Join(", ", recipe.Sets)}; {recipe.Epochs} epochs; lr {recipe.LearningRate.ToString("R", inv)} {recipe.Schedule.ToString().ToLowerInvariant()}"
               + (recipe.WarmupEpochs == 0 ? "" : $" warm-up {recipe.WarmupEpochs}") + $"; wd {recipe.WeightDecay.ToString("R", inv)}" + (recipe.Optimizer == OptimizerKind.Adam ? "" : $"; {recipe.Optimizer}");
    }

    /// <summary>", cosine learning-rate schedule after 1000 warm-up epochs, AdamW" and the like; empty for Adam at a constant rate.</summary>
    static string ScheduleText(NodeRecipe recipe)
        => ScheduleText(new TrainOptions { Schedule = recipe.Schedule, WarmupEpochs = recipe.WarmupEpochs, Optimizer = recipe.Optimizer });

    /// <summary>The schedule, warm-up and optimiser of <paramref name="options"/> as a phrase; empty for Adam at a constant rate.</summary>
    internal static string ScheduleText(TrainOptions options)
        => (options.Schedule == LearningRateSchedule.Constant ? "" : $", {options.Schedule.ToString().ToLowerInvariant()} learning-rate schedule")
           + (options.WarmupEpochs == 0 ? "" : $" after {options.WarmupEpochs} warm-up epochs")
           + (options.Optimizer == OptimizerKind.Adam ? "" : $", {options.Optimizer}");
}
