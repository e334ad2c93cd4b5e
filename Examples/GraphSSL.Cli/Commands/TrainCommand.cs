using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TorchSharp;

namespace GraphSSL.Cli;

/// <summary><c>graphssl train</c>: pre-train a declared model, write its metrics and embeddings, and report what it learned.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var dataset = Cli.DatasetOption("synthetic");
        var dataDir = Cli.DataDirOption();
        var model = new Option<string?>("--model", "-m") { Description = "Declared model (see `graphssl list`). Default: GraphClr, or with --objective the objective's generic model (Generic<Objective>)." };
        var encoder = new Option<string?>("--encoder")
        {
            Description = "Encoder expression, e.g. \"Gin(Layers=5, Hidden=32)\", \"Gat(Heads=8)\" or a declared encoder (MolGin). Default: the model's declared encoder; MolGin for generic models.",
        };
        var view = new Option<string[]>("--view")
        {
            Description = "View expression for the model's open views, e.g. \"NodeDropping(0.2) + FeatureDropout(0.1)\" or \"RandomChoice(NodeDropping(0.2), Subgraph(0.2))\": once for all views, or once per view. Default: DropNodes.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var objective = new Option<string?>("--objective")
        {
            Description = "Objective expression, e.g. \"NtXent(Temperature=0.5)\" or \"VicReg(Invariance=25)\". Without --model it trains the objective's generic model.",
        };
        var augmentation = new Option<string[]>("--augmentation", "-a")
        {
            Description = "Declared augmentation(s) for the model's open views (typed IAugmentation): one for all, or one each. Default: DropNodes.",
            AllowMultipleArgumentsPerToken = true,
        };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Training epochs.", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch", "-b") { Description = "Graphs per mini-batch.", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<long>("--seed", "-s") { Description = "Seed for initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp (default: its own choice)." };
        var sets = new Option<string[]>("--set")
        {
            Description = "Override a hyperparameter: Name=value (model), Encoder.Name=value, View.Name=value. Repeatable.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var outDir = new Option<string?>("--out", "-o") { Description = "Output folder for metrics.json, embeddings.csv/.npy, encoder.gssl and loss.png. Default: runs/<model>-<dataset>-seed<seed>." };
        var evaluate = new Option<bool>("--evaluate")
        {
            Description = "Evaluate the embeddings (standard protocol: 10-fold SVC, C by inner 5-fold search) against the untrained encoder. Default true.",
            DefaultValueFactory = _ => true,
        };
        var checkpointDir = new Option<string?>("--checkpoint-dir")
        {
            Description = "Save a checkpoint (model, optimiser, objective state, RNG state, epoch) here; default: <out>/checkpoint when --checkpoint-every or --resume is given.",
        };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Save a checkpoint every N epochs (and after the last)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint if one exists (same model, data and options)." };
        var protocol = new Option<string>("--protocol")
        {
            Description = "Evaluation protocol: standard (pre-train on all graphs, 10-fold SVC on all) or study (pre-train on a seeded 90%, 10-fold SVC on the other 10%, as the study did).",
            DefaultValueFactory = _ => GraphSSL.Protocol.Standard,
        };
        protocol.AcceptOnlyFromAmong(GraphSSL.Protocol.Standard, GraphSSL.Protocol.Study);
        var splitSeed = new Option<int>("--split-seed") { Description = "Seed of the study protocol's 90/10 split.", DefaultValueFactory = _ => 0 };
        var tensorBoard = new Option<string?>("--tensorboard")
        {
            Description = "Write TensorBoard event files into DIR/<name of the --out folder>: loss, learning rate, epoch time and output std per epoch, then the evaluation's accuracies.",
            HelpName = "DIR",
        };
        var json = Cli.JsonOption();

        var command = new Command("train", "Pre-train a declared model on a dataset; write metrics.json, embeddings.csv, embeddings.npy, labels.npy, encoder.gssl (the trained encoder, for `graphssl embed`) and loss.png.");
        foreach (var option in new Option[] { dataset, dataDir, model, encoder, view, objective, augmentation, epochs, batch, lr, seed, device, threads, sets, outDir, checkpointDir, checkpointEvery, resume, evaluate, protocol, splitSeed, tensorBoard, json })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() => Run(new Request(
            parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(model), parse.GetValue(encoder),
            parse.GetValue(augmentation)!.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Concat(parse.GetValue(view)!).ToArray(),
            parse.GetValue(objective),
            new TrainOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed), Device = parse.GetValue(device)!, Threads = parse.GetValue(threads),
                CheckpointDirectory = parse.GetValue(checkpointDir),
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? 1,
                Resume = parse.GetValue(resume),
            },
            parse.GetValue(sets)!, parse.GetValue(outDir), parse.GetValue(evaluate), parse.GetValue(json),
            WantsCheckpoints: parse.GetValue(checkpointEvery) is not null || parse.GetValue(checkpointDir) is not null || parse.GetValue(resume),
            Protocol: parse.GetValue(protocol)!, SplitSeed: parse.GetValue(splitSeed), TensorBoard: parse.GetValue(tensorBoard),
            EpochsGiven: parse.GetResult(epochs) is { Implicit: false }, LearningRateGiven: parse.GetResult(lr) is { Implicit: false }), cancellationToken))));
        return command;
    }

    public sealed record Request(string Dataset, string? DataDir, string? Model, string? Encoder, string[] Views, string? Objective,
        TrainOptions Options, string[] Sets, string? Out, bool Evaluate, bool Json, bool WantsCheckpoints,
        string Protocol, int SplitSeed, string? TensorBoard = null, bool EpochsGiven = false, bool LearningRateGiven = false);

    static int Run(Request request, CancellationToken cancellationToken)
    {
        // Node-level models on Cora / CiteSeer: the paper's settings for that dataset first, then the command line's --set.
        var recipe = request.Model is null ? null : NodeRecipes.Find(request.Model, request.Dataset);
        var sets = recipe is null ? request.Sets : recipe.Sets.Concat(request.Sets).ToArray();
        var model = ModelFactory.Create(request.Model, request.Encoder, request.Views, request.Objective, sets);
        if (model is INodeLevelModel nodeModel)
            return NodeTraining.Run(nodeModel, recipe, request, request.EpochsGiven, request.LearningRateGiven, cancellationToken);
        var data = Cli.LoadDataset(request.Dataset, request.DataDir);
        var files = new RunFiles(request.Out ?? Path.Combine("runs", $"{model.DeclaredName}-{Sanitize(data.Name)}-seed{request.Options.Seed}"));
        var options = (request.WantsCheckpoints && request.Options.CheckpointDirectory is null
            ? request.Options with { CheckpointDirectory = files.PathOf("checkpoint") }
            : request.Options).Validate();
        var log = request.Json ? TextWriter.Null : Console.Error;
        log.WriteLine($"{model.DeclaredName} on {data.Name}: {data.GraphCount} graphs, {data.NodeCount} nodes, {data.FeatureDim} features, {data.ClassCount} classes; " +
                      $"{options.Epochs} epochs, batch {options.BatchSize}, seed {options.Seed}, device {options.Device}.");

        if (options.Resume && !File.Exists(Path.Combine(options.CheckpointDirectory!, "checkpoint.bin")))
            log.WriteLine($"No checkpoint in {options.CheckpointDirectory} yet: starting from epoch 1.");
        else if (options.Resume)
            log.WriteLine($"Resuming from the checkpoint in {options.CheckpointDirectory}.");

        // Under the study protocol pre-training sees only the seeded 90 %; every graph is embedded.
        var pretrain = request.Protocol == GraphSSL.Protocol.Study
            ? data.Subset(GraphSSL.Protocol.PretrainIndices(request.Protocol, data.Labels, request.SplitSeed))
            : data;
        if (!ReferenceEquals(pretrain, data))
            log.WriteLine($"Study protocol: pre-training on {pretrain.GraphCount} of {data.GraphCount} graphs (split seed {request.SplitSeed}).");

        var tensorBoard = request.TensorBoard is null ? null : TensorBoardLog.Create(request.TensorBoard, Path.GetFileName(files.Directory));
        if (tensorBoard is not null) log.WriteLine($"TensorBoard: {tensorBoard.Directory}");

        var clock = Stopwatch.StartNew();
        using var result = TrainWithProgress(model, pretrain, options, log, r => tensorBoard?.Epoch(r, options.LearningRate), cancellationToken);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        using var embeddingTensor = result.Embed(data);
        // metrics.json marks a finished run and is written last: remove an older one first, so a failed write below never leaves it beside newer files.
        File.Delete(files.PathOf("metrics.json"));
        var embeddings = files.WriteEmbeddings(data, embeddingTensor);
        result.Save(files.PathOf(SavedEncoder.FileName), data);
        TryPlotLoss(files, model.DeclaredName, data.Name, result.Losses, log);

        EvaluationReport? evaluation = null;
        if (request.Evaluate)
        {
            log.WriteLine($"Evaluating: {request.Protocol} protocol, 10-fold SVC (RBF), C chosen by inner 5-fold search, against the same encoder untrained …");
            using var untrained = model.Train(pretrain, options with { Epochs = 0, CheckpointDirectory = null, Resume = false }, null, cancellationToken);
            using var untrainedTensor = untrained.Embed(data);
            evaluation = EvaluationReport.Compare(EmbeddingRows.From(untrainedTensor), EmbeddingRows.From(embeddingTensor), data.Labels, options.Seed, request.Protocol, request.SplitSeed);
            tensorBoard?.Evaluation(evaluation, options.Epochs);
        }

        var metrics = new Metrics(
            Tool: "graphssl " + typeof(TrainCommand).Assembly.GetName().Version?.ToString(3),
            Model: model.DeclaredName,
            Hyperparameters: ModelFactory.Describe(model),
            Dataset: data.Name,
            Graphs: data.GraphCount,
            Options: options,
            Losses: result.Losses,
            EpochSeconds: result.EpochSeconds,
            TrainSeconds: trainSeconds,
            EmbeddingDim: embeddings.GetLength(1),
            Evaluation: evaluation);
        files.WriteJson("metrics.json", metrics);

        if (request.Json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(metrics, Cli.Json));
            return Cli.Ok;
        }
        PrintSummary(metrics, files.Directory);
        return Cli.Ok;
    }

    internal static TrainResult<ISslModel> TrainWithProgress(ISslModel model, GraphData data, TrainOptions options, TextWriter log, Action<EpochReport> onEpoch, CancellationToken cancellationToken)
    {
        if (!Cli.Interactive || log == TextWriter.Null)
        {
            var progress = new SynchronousProgress<EpochReport>(r =>
            {
                log.WriteLine($"epoch {r.Epoch,4}/{r.Epochs}  loss {r.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}  {r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s"
                              + (r.OutputStd is double std ? $"  output std {std.ToString("0.0000", CultureInfo.InvariantCulture)}" : ""));
                if (r.Warning is not null) log.WriteLine($"warning: {r.Warning}");
                onEpoch(r);
            });
            return model.Train(data, options, progress, cancellationToken);
        }
        TrainResult<ISslModel>? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"training {Markup.Escape(model.DeclaredName)}", maxValue: Math.Max(1, options.Epochs));
                var progress = new SynchronousProgress<EpochReport>(r =>
                {
                    task.Description = $"epoch {r.Epoch}/{r.Epochs} loss {r.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}";
                    task.Increment(1);
                    if (r.Warning is not null) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(r.Warning)}");
                    onEpoch(r);
                });
                result = model.Train(data, options, progress, cancellationToken);
            });
        return result!;
    }

    static void PrintSummary(Metrics m, string directory)
    {
        var inv = CultureInfo.InvariantCulture;
        var first = m.Losses.Count > 0 ? m.Losses[0] : double.NaN;
        var last = m.Losses.Count > 0 ? m.Losses[^1] : double.NaN;
        Console.WriteLine();
        Console.WriteLine($"Trained {m.Model} on {m.Dataset} ({m.Graphs} graphs) for {m.Options.Epochs} epochs in {m.TrainSeconds.ToString("0.0", inv)} s.");
        if (m.Losses.Count > 0)
            Console.WriteLine($"Loss: {first.ToString("0.0000", inv)} → {last.ToString("0.0000", inv)}  {Sparkline(m.Losses)}");
        if (m.Evaluation is { } e)
        {
            Console.WriteLine($"Embeddings ({m.EmbeddingDim} dims), {e.Protocol} protocol, {e.Evaluator}, {e.Folds}-fold CV (fold seed {e.Seed}), mean ± std over folds:");
            Console.WriteLine($"  untrained encoder  {Percent(e.Untrained.Accuracy)} ± {Percent(e.Untrained.FoldStd)}");
            Console.WriteLine($"  trained encoder    {Percent(e.Trained.Accuracy)} ± {Percent(e.Trained.FoldStd)}");
            if (e.Untrained.FewLabelAccuracy is double fu && e.Trained.FewLabelAccuracy is double ft)
                Console.WriteLine($"With only {EvaluationReport.FewLabelsPerClass} labelled graphs per class (nearest class centroid, mean of 100 draws): " +
                                  $"untrained {Percent(fu)}, trained {Percent(ft)}.");
        }
        Console.WriteLine($"Wrote {Path.Combine(directory, "metrics.json")}, embeddings.csv, embeddings.npy, labels.npy, {SavedEncoder.FileName}, loss.png");
    }

    static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    static string Sparkline(IReadOnlyList<double> values)
    {
        const string bars = "▁▂▃▄▅▆▇█";
        double min = values.Min(), max = values.Max();
        var step = Math.Max(1, values.Count / 40);
        var chars = new List<char>();
        for (int i = 0; i < values.Count; i += step)
            chars.Add(max > min ? bars[(int)Math.Round((values[i] - min) / (max - min) * (bars.Length - 1))] : bars[0]);
        return new string(chars.ToArray());
    }

    static void TryPlotLoss(RunFiles files, string model, string dataset, IReadOnlyList<double> losses, TextWriter log)
    {
        if (losses.Count == 0) return;
        try
        {
            Plots.LossCurve(files.PathOf("loss.png"), $"{model} on {dataset}", losses);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or IOException)
        {
            log.WriteLine($"warning: could not draw loss.png ({e.GetBaseException().Message}); the numbers are in metrics.json.");
        }
    }

    static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}

/// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}

/// <summary>What <c>metrics.json</c> holds.</summary>
public sealed record Metrics(
    string Tool,
    string Model,
    SortedDictionary<string, string> Hyperparameters,
    string Dataset,
    int Graphs,
    TrainOptions Options,
    IReadOnlyList<double> Losses,
    IReadOnlyList<double> EpochSeconds,
    double TrainSeconds,
    int EmbeddingDim,
    EvaluationReport? Evaluation);
