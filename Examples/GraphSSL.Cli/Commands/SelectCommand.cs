using System.CommandLine;
using System.Globalization;
using System.Text;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Recipes;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl select DIR DIR …</c>: chooses among the models of several <c>reproduce</c> runs (recipes and their
/// <c>--set</c> variants) without looking at a test fold. For every seed and every outer fold, the candidate with the
/// highest validation accuracy — its inner grid search's best, computed on that fold's training graphs only — is
/// chosen, and that candidate's test accuracy on the fold is what the selection scores. Model choice is treated like
/// the choice of C: nested inside the outer fold. The untrained twins are selected the same way among themselves.
/// </summary>
public static class SelectCommand
{
    public static Command Create()
    {
        var dirs = new Argument<string[]>("runs") { Description = "Output folders of `graphssl reproduce` (each with seeds/seed<N>.json), one per candidate; at least two.", Arity = ArgumentArity.OneOrMore };
        var outDir = CommonOptions.Out("Output folder for summary.md, results.csv and summary.png. Default: runs/select/<dataset>.");
        var command = new Command("select", "Choose among reproduce runs fold by fold by validation accuracy (never test accuracy) and report the chosen models' test accuracy.");
        command.Arguments.Add(dirs);
        command.Options.Add(outDir);
        command.SetAction(parse => Cli.Guard(() => Run(parse.GetValue(dirs)!, parse.GetValue(outDir))));
        return command;
    }

    /// <summary>One candidate: its folder, its records by seed.</summary>
    internal sealed record Candidate(string Directory, string Id, IReadOnlyDictionary<long, SeedRecord> Records);

    /// <summary>Per seed: the selection's test accuracy, the twins' selection's, and the candidate chosen in each fold.</summary>
    internal sealed record SeedSelection(long Seed, double Selected, double SelectedTwin, int[] Chosen, int[] ChosenTwin);

    static int Run(string[] directories, string? outDir)
    {
        var candidates = directories.Select(Load).ToList();
        var (seeds, dropped) = CommonSeeds(candidates);
        var selections = Select(candidates, seeds);
        string dataset = candidates[0].Records.Values.First().Dataset;
        var files = new RunFiles(outDir ?? Path.Combine("runs", "select", dataset));
        Write(files, dataset, candidates, selections, dropped);
        var (mean, std) = ReproductionReport.MeanStd(selections.Select(s => s.Selected));
        var (umean, ustd) = ReproductionReport.MeanStd(selections.Select(s => s.SelectedTwin));
        Console.WriteLine($"select on {dataset}, {candidates.Count} candidates, {seeds.Length} seeds: selected {mean:F2} ± {std:F2} %, " +
                          $"untrained twins selected alike {umean:F2} ± {ustd:F2} %. ({files.Directory})");
        return Cli.Ok;
    }

    /// <summary>Reads a reproduce folder's seed records; refuses folders without records or without per-fold validation.</summary>
    internal static Candidate Load(string directory)
    {
        var seedsDir = Path.Combine(directory, "seeds");
        if (!System.IO.Directory.Exists(seedsDir))
            throw new UserErrorException($"{directory}: no seeds/ folder; pass the output folder of `graphssl reproduce`.");
        var records = new SortedDictionary<long, SeedRecord>();
        foreach (var path in System.IO.Directory.GetFiles(seedsDir, "seed*.json").Order(StringComparer.Ordinal))
        {
            SeedRecord? record;
            try { record = System.Text.Json.JsonSerializer.Deserialize<SeedRecord>(File.ReadAllText(path), Cli.Json); }
            catch (System.Text.Json.JsonException e) { throw new UserErrorException($"{path}: not a seed record ({e.Message})."); }
            if (record is null) throw new UserErrorException($"{path}: empty seed record.");
            if (record.TrainedFolds is null || record.TrainedValidation is null || record.UntrainedFolds is null || record.UntrainedValidation is null || record.FoldSeed is null)
                throw new UserErrorException($"{path}: the record has no per-fold validation accuracy (written before `reproduce` kept it); re-run that reproduction into a fresh folder.");
            int folds = record.TrainedFolds.Length;
            if (folds == 0 || record.TrainedValidation.Length != folds || record.UntrainedFolds.Length != folds || record.UntrainedValidation.Length != folds)
                throw new UserErrorException($"{path}: the per-fold arrays differ in length.");
            records[record.Seed] = record;
        }
        if (records.Count == 0) throw new UserErrorException($"{directory}: no seed records in seeds/.");
        var ids = records.Values.Select(r => r.Recipe).Distinct().ToList();
        if (ids.Count > 1) throw new UserErrorException($"{directory}: records of several recipes ({string.Join("; ", ids)}); one folder per candidate.");
        return new Candidate(directory, ids[0], records);
    }

    /// <summary>The seeds every candidate has, and the ones some lack (left out, and said so); refuses mixed datasets and no common seed.</summary>
    internal static (long[] Seeds, long[] Dropped) CommonSeeds(IReadOnlyList<Candidate> candidates)
    {
        if (candidates.Count < 2) throw new UserErrorException("select needs at least two candidates (reproduce output folders).");
        var datasets = candidates.SelectMany(c => c.Records.Values.Select(r => r.Dataset)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (datasets.Count > 1) throw new UserErrorException($"The candidates were run on different datasets ({string.Join(", ", datasets)}); select compares models on one.");
        var all = candidates.SelectMany(c => c.Records.Keys).Distinct().Order().ToArray();
        var common = all.Where(s => candidates.All(c => c.Records.ContainsKey(s))).ToArray();
        if (common.Length == 0) throw new UserErrorException("The candidates share no seed; run them with the same --seeds.");
        return (common, all.Except(common).ToArray());
    }

    /// <summary>
    /// The fold-by-fold selection: in each outer fold the candidate with the highest validation accuracy (ties → the one
    /// listed first) supplies the test accuracy; the twins likewise by their own validation. Refuses candidates whose outer
    /// folds differ for a seed (fold k must hold the same graphs for every candidate).
    /// </summary>
    internal static IReadOnlyList<SeedSelection> Select(IReadOnlyList<Candidate> candidates, long[] seeds)
    {
        var result = new List<SeedSelection>();
        foreach (var seed in seeds)
        {
            var records = candidates.Select(c => c.Records[seed]).ToList();
            var splits = records.Select(r => (r.FoldSeed, r.TrainedFolds!.Length)).Distinct().ToList();
            if (splits.Count > 1)
                throw new UserErrorException($"Seed {seed}: the candidates split their outer folds differently (" +
                    string.Join("; ", candidates.Select((c, i) => $"{c.Id}: {records[i].TrainedFolds!.Length} folds, fold seed {records[i].FoldSeed}")) +
                    "); fold-by-fold selection needs the same folds.");
            int folds = records[0].TrainedFolds!.Length;
            var chosen = new int[folds];
            var chosenTwin = new int[folds];
            double selected = 0, twin = 0;
            for (int k = 0; k < folds; k++)
            {
                chosen[k] = ArgMax(records.Select(r => r.TrainedValidation![k]));
                chosenTwin[k] = ArgMax(records.Select(r => r.UntrainedValidation![k]));
                selected += records[chosen[k]].TrainedFolds![k];
                twin += records[chosenTwin[k]].UntrainedFolds![k];
            }
            result.Add(new SeedSelection(seed, selected / folds, twin / folds, chosen, chosenTwin));
        }
        return result;
    }

    static int ArgMax(IEnumerable<double> values)
    {
        int best = -1, i = 0;
        double max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (v > max) (best, max) = (i, v);
            i++;
        }
        return best;
    }

    static void Write(RunFiles files, string dataset, IReadOnlyList<Candidate> candidates, IReadOnlyList<SeedSelection> selections, long[] dropped)
    {
        var inv = CultureInfo.InvariantCulture;
        var seeds = selections.Select(s => s.Seed).ToArray();
        var (mean, std) = ReproductionReport.MeanStd(selections.Select(s => s.Selected));
        var (umean, ustd) = ReproductionReport.MeanStd(selections.Select(s => s.SelectedTwin));
        var rows = candidates.Select((c, i) => (
            Candidate: c,
            Trained: ReproductionReport.MeanStd(seeds.Select(s => c.Records[s].Trained)),
            Untrained: ReproductionReport.MeanStd(seeds.Select(s => c.Records[s].Untrained)),
            Validation: seeds.Average(s => c.Records[s].TrainedValidation!.Average()),
            Chosen: selections.Sum(s => s.Chosen.Count(k => k == i)),
            ChosenTwin: selections.Sum(s => s.ChosenTwin.Count(k => k == i)))).ToList();
        int decisions = selections.Sum(s => s.Chosen.Length);
        var published = RecipeBook.All.Select(r => (r.Paper, Published: r.PublishedFor(dataset))).Where(p => p.Published is not null).ToList();

        files.Write("results.csv", stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
            w.WriteLine("seed,selected,selected_untrained,chosen_per_fold,chosen_untrained_per_fold");
            foreach (var s in selections)
                w.WriteLine(string.Join(",", s.Seed.ToString(inv), s.Selected.ToString("R", inv), s.SelectedTwin.ToString("R", inv),
                    string.Join(" ", s.Chosen.Select(k => (k + 1).ToString(inv))), string.Join(" ", s.ChosenTwin.Select(k => (k + 1).ToString(inv)))));
        });
        files.Write("summary.md", stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 12, leaveOpen: true);
            w.WriteLine($"# Selection without test folds on {dataset}: {candidates.Count} candidates, {seeds.Length} seeds");
            w.WriteLine();
            w.WriteLine("In every outer fold of every seed the candidate with the highest validation accuracy (its inner grid search's best, on");
            w.WriteLine("that fold's training graphs only; ties → the one listed first) is chosen, and its test accuracy on that fold is scored:");
            w.WriteLine("model choice is nested inside the outer fold, like the choice of C. The untrained twins are chosen the same way.");
            w.WriteLine();
            w.WriteLine("| | accuracy (%) mean ± std over seeds |");
            w.WriteLine("| --- | --- |");
            w.WriteLine($"| **selected (trained)** | **{mean:F2} ± {std:F2}** |");
            w.WriteLine($"| untrained twins, selected alike | {umean:F2} ± {ustd:F2} |");
            w.WriteLine($"| selected − twins | {mean - umean:+0.00;-0.00} |");
            foreach (var (paper, p) in published)
                w.WriteLine($"| published: {paper} | {p!.Mean:F2} ± {p.Std:F2} ({Verdict.Of(mean, p)}: {mean - p.Mean:+0.00;-0.00}) |");
            w.WriteLine();
            if (dropped.Length > 0) w.WriteLine($"Seeds left out (not run for every candidate): {string.Join(", ", dropped)}.");
            w.WriteLine();
            w.WriteLine("| # | candidate | trained (test) | untrained (test) | mean validation (trained) | chosen in folds | twin chosen in folds | folder |");
            w.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (int i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                w.WriteLine($"| {i + 1} | {r.Candidate.Id} | {r.Trained.Mean:F2} ± {r.Trained.Std:F2} | {r.Untrained.Mean:F2} ± {r.Untrained.Std:F2} | {r.Validation:F2} | " +
                            $"{r.Chosen} of {decisions} | {r.ChosenTwin} of {decisions} | {r.Candidate.Directory} |");
            }
            w.WriteLine();
            w.WriteLine("| seed | selected | untrained twins | candidate chosen per fold | twin chosen per fold |");
            w.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var s in selections)
                w.WriteLine($"| {s.Seed} | {s.Selected:F2} | {s.SelectedTwin:F2} | {string.Join(" ", s.Chosen.Select(k => k + 1))} | {string.Join(" ", s.ChosenTwin.Select(k => k + 1))} |");
            w.WriteLine();
            w.WriteLine("The candidates' own test accuracies are shown for reference only; nothing above was chosen by them.");
        });
        files.Write("summary.png", stream => Plots.Reproduction(stream, $"select on {dataset} ({seeds.Length} seeds)",
            [.. rows.Select((r, i) => ($"#{i + 1}", r.Trained.Mean, r.Trained.Std)), ("selected", mean, std), ("twins sel.", umean, ustd),
             .. published.Select(p => (p.Paper.Split(' ')[0], p.Published!.Mean, p.Published.Std))]));
    }
}
