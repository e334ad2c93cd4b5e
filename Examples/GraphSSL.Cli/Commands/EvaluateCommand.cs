using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Evaluation;
using GraphSSL.Data;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl evaluate</c>: cross-validate a classifier on graph embeddings written by <c>graphssl train</c> (embeddings.csv), or
/// probe node embeddings (a node-level run's embeddings.npy) on their Planetoid dataset's public split. Deterministic.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var embeddings = new Option<string>("--embeddings")
        {
            Description = "embeddings.csv as written by `graphssl train` for graph-level models (graph_id,label,e0,e1,…), or embeddings.npy of a node-level run (needs --dataset).",
            Required = true,
        };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "Node embeddings (.npy) only: the Planetoid dataset they embed (Cora, CiteSeer or a folder); its labels and public split are used." };
        var dataDir = CommonOptions.DataDir();
        var probe = new Option<string>("--probe")
        {
            Description = "Node embeddings only: 'logistic' (logistic regression, C chosen on validation), 'early-stopped' (GraphMAE's: a linear layer trained by Adam, the epoch chosen on validation) " +
                          "'random-split' (GRACE's: a random 10 % / 90 % split of all nodes instead of the public split, one-vs-rest logistic regression, C by 5-fold CV on the 10 %) " +
                          "or 'public-split-cv' (GRACE's on the public split, as DGL's port runs it: trained on the public training nodes with C by 5-fold CV on them, scored on the public test nodes; one result, the split being fixed).",
            DefaultValueFactory = _ => "logistic",
        };
        probe.AcceptOnlyFromAmong("logistic", "early-stopped", "random-split", "public-split-cv");
        var defaults = new EarlyStoppedProbeOptions();
        var probeLr = new Option<double>("--probe-lr") { Description = "Early-stopped probe: Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var probeWd = new Option<double>("--probe-weight-decay") { Description = "Early-stopped probe: L2 weight decay.", DefaultValueFactory = _ => defaults.WeightDecay };
        var probeEpochs = new Option<int>("--probe-epochs") { Description = "Early-stopped probe: epochs to choose from.", DefaultValueFactory = _ => defaults.Epochs };
        var probeSeeds = new Option<int?>("--probe-seeds") { Description = $"Node probes: probe seeds (random splits for 'random-split') to average over (default {defaults.Seeds}; 'random-split': {new RandomSplitProbeOptions().Seeds}; not for 'public-split-cv', which has one result)." };
        var protocol = CommonOptions.Protocol(Protocol.Standard, "The study split is the one of --split-seed.");
        var seed = CommonOptions.Seed<int>("Seed of the outer folds (inner folds derive from it).");
        var splitSeed = new Option<int?>("--split-seed") { Description = "Seed of the study split (default: --seed). Must match the split the encoder was pre-trained with." };
        var evaluator = CommonOptions.Evaluator();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Evaluate graph embeddings with nested stratified 10-fold cross-validation under the standard or the study protocol, " +
                                              "or node embeddings (.npy) with a linear probe on their dataset's public split.");
        // Each kind of embeddings has its own options; one given to the other kind would be silently ignored, so it is refused.
        Option[] graphOptions = [protocol, seed, splitSeed, evaluator], nodeOptions = [dataset, dataDir, probe, probeLr, probeWd, probeEpochs, probeSeeds];
        foreach (var option in (Option[])[embeddings, .. graphOptions, .. nodeOptions, json])
            command.Options.Add(option);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var path = parse.GetValue(embeddings)!;
            bool nodes = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
            var foreign = (nodes ? graphOptions : nodeOptions).Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
            if (foreign.Length > 0)
                throw new UserErrorException(nodes
                    ? $"{string.Join(", ", foreign)}: for graph embeddings (.csv) only; node embeddings (.npy) are probed on their dataset's public split (--probe, --probe-*)."
                    : $"{string.Join(", ", foreign)}: for node embeddings (.npy) only; graph embeddings (.csv) carry their labels and are cross-validated (--protocol, --evaluator, --seed).");
            if (nodes)
                return RunNodes(path, parse.GetValue(dataset), parse.GetValue(dataDir), parse.GetValue(probe)!,
                    new EarlyStoppedProbeOptions { LearningRate = parse.GetValue(probeLr), WeightDecay = parse.GetValue(probeWd), Epochs = parse.GetValue(probeEpochs) },
                    parse.GetValue(probeSeeds), parse.GetValue(json));
            return Run(path, parse.ReadProtocol(protocol), parse.GetValue(seed), parse.GetValue(splitSeed), parse.ReadEvaluator(evaluator), parse.GetValue(json));
        }));
        return command;
    }

    /// <summary>What <c>evaluate --json</c> prints for node embeddings; accuracies in percent.</summary>
    public sealed record NodeOutput(string Embeddings, string Dataset, int Nodes, int Dimensions, string Probe, int ProbeSeeds,
        double TestMean, double TestStd, double Validation, double[] ChosenC, int[]? ChosenEpochs);

    static int RunNodes(string path, string? dataset, string? dataDir, string probe, EarlyStoppedProbeOptions early, int? seeds, bool json)
    {
        if (dataset is null) throw new UserErrorException("Node embeddings (.npy) need --dataset: the Planetoid dataset they embed, for its labels and public split.");
        if (seeds < 1) throw new UserErrorException($"--probe-seeds must be ≥ 1, was {seeds}.");
        if (seeds is not null && probe == "public-split-cv")
            throw new UserErrorException("--probe-seeds does not apply to --probe public-split-cv: its split is the fixed public one, so it has one result.");
        if (early.Epochs < 1) throw new UserErrorException($"--probe-epochs must be ≥ 1, was {early.Epochs}.");
        if (!(early.LearningRate > 0) || double.IsInfinity(early.LearningRate)) throw new UserErrorException($"--probe-lr must be a positive number, was {early.LearningRate}.");
        if (!(early.WeightDecay >= 0) || double.IsInfinity(early.WeightDecay)) throw new UserErrorException($"--probe-weight-decay must be ≥ 0, was {early.WeightDecay}.");
        var x = Npy.ReadMatrix(path);
        var data = NodeTraining.Load(dataset, dataDir);
        if (x.Length != data.NodeCount)
            throw new UserErrorException($"{path} has {x.Length} rows but {data.Name} has {data.NodeCount} nodes: these are not its node embeddings.");
        AuthorsProbe? authors = probe switch
        {
            "early-stopped" => new EarlyStoppedAuthorsProbe(seeds is int s ? early with { Seeds = s } : early),
            "random-split" => new RandomSplitAuthorsProbe(seeds is int r ? new RandomSplitProbeOptions { Seeds = r } : new RandomSplitProbeOptions()),
            "public-split-cv" => new PublicSplitCvAuthorsProbe(new RandomSplitProbeOptions()),
            _ => null,
        };
        var result = authors?.Evaluate(x, data) ?? NodeProbe.Evaluate(x, data.Labels, data.Split, new NodeProbeOptions { Seeds = seeds ?? new NodeProbeOptions().Seeds });
        var summary = NodeProbeSummary.From(result);
        string protocol = NodeProbing.Protocol(authors);
        var output = new NodeOutput(Path.GetFullPath(path), data.Name, x.Length, x.Length > 0 ? x[0].Length : 0, protocol, result.PerSeed.Count,
            summary.TestMean, summary.TestStd, summary.Validation, summary.ChosenC, summary.ChosenEpochs);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(output, Cli.Json));
            return Cli.Ok;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{output.Nodes} nodes × {output.Dimensions} dims of {data.Name}; public split {data.Split.Train.Length} / {data.Split.Validation.Length} / {data.Split.Test.Length}");
        Console.WriteLine($"probe: {NodeProbing.Label(protocol)}, {output.ProbeSeeds} probe seeds");
        if (authors is { PublicSplit: false })
            Console.WriteLine("(the public split is not used: the probe draws its own training and test nodes; 'validation' is the chosen C's cross-validation score)");
        if (authors is PublicSplitCvAuthorsProbe cv)
            Console.WriteLine($"({cv.ChoosesOn})");
        Console.WriteLine(string.Format(inv, "test accuracy {0:F2} % ± {1:F2} (std over probe seeds); validation {2:F2} %", output.TestMean, output.TestStd, output.Validation));
        // GRACE's probes choose C by cross-validation on their training nodes, the others on the validation nodes.
        Console.WriteLine($"chosen {(authors is RandomSplitAuthorsProbe or PublicSplitCvAuthorsProbe ? "by cross-validation on the training nodes" : "on validation")}: {summary.ChoiceText()}");
        return Cli.Ok;
    }

    /// <summary>What <c>evaluate --json</c> prints.</summary>
    public sealed record Output(string Embeddings, int Graphs, int Dimensions, string Protocol, int? SplitSeed, int EvaluatedGraphs,
        string Evaluator, int Folds, int Seed, double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, bool AllConverged);

    static int Run(string path, Protocol protocol, int seed, int? splitSeed, Evaluator evaluator, bool json)
    {
        var (x, labels, classNames) = ReadEmbeddings(path);
        var split = splitSeed ?? seed;
        var result = protocol.Evaluate(x, labels, new EvalOptions(evaluator, Folds: 10, InnerFolds: 5, Seed: seed), split);
        var output = new Output(Path.GetFullPath(path), x.Length, x.Length > 0 ? x[0].Length : 0, result.Protocol,
            protocol == Protocol.Study ? split : null, result.Samples, result.Evaluator, result.Folds, result.Seed,
            result.Accuracy, result.FoldStd, result.FoldAccuracies, result.ChosenC, result.AllConverged);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(output, Cli.Json));
            return Cli.Ok;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{output.Graphs} graphs × {output.Dimensions} dims, classes {string.Join(", ", classNames)}");
        Console.WriteLine($"protocol {output.Protocol}" + (output.SplitSeed is int s ? $" (split seed {s}; {output.EvaluatedGraphs} held-out graphs evaluated)" : $" ({output.EvaluatedGraphs} graphs)"));
        Console.WriteLine($"evaluator {output.Evaluator}, {output.Folds}-fold stratified CV, fold seed {output.Seed}, C by inner 5-fold search");
        Console.WriteLine(string.Format(inv, "accuracy {0:F2}% ± {1:F2} (std over folds)", 100 * output.Accuracy, 100 * output.FoldStd));
        Console.WriteLine("fold accuracies " + string.Join(" ", output.FoldAccuracies.Select(a => (100 * a).ToString("F1", inv))));
        Console.WriteLine("chosen C " + string.Join(" ", output.ChosenC.Select(c => c.ToString("G", inv))));
        if (!output.AllConverged) Console.WriteLine("warning: some classifier fits stopped at their iteration cap.");
        return Cli.Ok;
    }

    /// <summary>
    /// Reads <c>graph_id,label,e0,…</c>. Labels map to 0..C−1 as the dataset loaders do: integer labels in
    /// ascending numeric order (TU datasets), the built-in synthetic class names in their declared order,
    /// anything else in ordinal order.
    /// </summary>
    public static (double[][] X, int[] Labels, string[] ClassNames) ReadEmbeddings(string path)
    {
        if (!File.Exists(path)) throw new UserErrorException($"--embeddings '{path}': no such file.");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2 || !lines[0].StartsWith("graph_id,label,", StringComparison.Ordinal))
            throw new UserErrorException($"{path}: expected a header 'graph_id,label,e0,…' and at least one row (as written by `graphssl train`).");
        int dims = lines[0].Split(',').Length - 2;
        var x = new double[lines.Length - 1][];
        var raw = new string[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != dims + 2) throw new UserErrorException($"{path}:{i + 1}: {cells.Length} columns, header has {dims + 2}.");
            raw[i - 1] = cells[1];
            x[i - 1] = new double[dims];
            for (int j = 0; j < dims; j++)
                if (!double.TryParse(cells[j + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out x[i - 1][j]))
                    throw new UserErrorException($"{path}:{i + 1}: '{cells[j + 2]}' is not a number.");
        }
        var distinct = raw.Distinct().ToArray();
        string[] classes;
        if (distinct.All(d => long.TryParse(d, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
            classes = distinct.OrderBy(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        else if (distinct.All(d => SyntheticGraphs.ClassNames.Contains(d)))
            classes = SyntheticGraphs.ClassNames.Where(distinct.Contains).ToArray();
        else
            classes = distinct.Order(StringComparer.Ordinal).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return (x, raw.Select(r => index[r]).ToArray(), classes);
    }
}
