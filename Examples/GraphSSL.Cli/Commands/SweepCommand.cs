using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GraphSSL.Cli;

/// <summary>
/// <c>graphssl sweep</c>: train, embed and evaluate every configuration of a grid × repeats, one run file per
/// completed run (resumable, shardable), then write the report of the output directory.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var dataset = Cli.DatasetOption("synthetic");
        var dataDir = Cli.DataDirOption();
        var grid = new Option<string>("--grid", "-g")
        {
            Description = "'study' (the seed study's 144 configurations: SimCLR/SimSiam/BarlowTwins × 4 augmentations × batch {64,256} × layers {1,2,3} × hidden {64,512}) or a JSON grid file:\n" + SweepGrid.FileSchema,
            DefaultValueFactory = _ => "study",
        };
        var repeats = new Option<int>("--repeats", "-r") { Description = "Repeats per configuration; repeat r uses seed S + r.", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Training epochs per run (the study used 200).", DefaultValueFactory = _ => 20 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (the study's code: 0.001).", DefaultValueFactory = _ => 1e-3 };
        var outDir = new Option<string>("--out", "-o") { Description = "Output directory: runs/<id>.json per completed run, then results.csv, summary.md and figures.", Required = true };
        var shard = new Option<string?>("--shard")
        {
            Description = "i/n: run only configurations whose 0-based grid index % n == i (all repeats of a configuration stay together). " +
                          "Slurm: --shard $SLURM_ARRAY_TASK_ID/$N; Kubernetes indexed job: --shard $JOB_COMPLETION_INDEX/$N. Shards may share --out or use separate ones (merge with `graphssl report`).",
        };
        var protocol = new Option<string>("--protocol")
        {
            Description = "study: pre-train on a stratified 90 % (split seed = run seed), cross-validate the other 10 %; standard: pre-train on all graphs and cross-validate all.",
            DefaultValueFactory = _ => GraphSSL.Protocol.Study,
        };
        var seed = new Option<long>("--seed", "-s") { Description = "Base seed S; repeat r uses S + r for initialisation, shuffling, augmentation, the split and the CV folds.", DefaultValueFactory = _ => 0 };
        var evaluator = EvaluateCommand.EvaluatorOption();
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp (default: its own choice)." };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Worker processes (default 1: run in this process). Each worker takes every N-th configuration of the shard (--shard i/n becomes (i + k·n)/(n·N) for worker k), " +
                          "uses one CPU thread unless --threads says otherwise, and writes the same run files; one progress display; resumable like a single process.",
            DefaultValueFactory = _ => 1,
        };
        var worker = new Option<bool>("--worker") { Description = "Internal: run as a worker of `sweep --jobs` (one JSON progress line per finished run on standard output).", Hidden = true };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write the report at the end (e.g. for a shard of a job array; run `graphssl report` once all shards are done)." };
        var tensorBoard = new Option<string?>("--tensorboard")
        {
            Description = "Write TensorBoard event files, one folder per run: DIR/<run id> (loss, learning rate, epoch time and output std per epoch, then the accuracy).",
            HelpName = "DIR",
        };
        var json = Cli.JsonOption();

        var command = new Command("sweep", "Run a grid of configurations × repeats: train, embed and evaluate each; resumable (completed runs are skipped) and shardable; ends with `report` on --out.");
        foreach (var option in new Option[] { dataset, dataDir, grid, repeats, epochs, lr, outDir, shard, protocol, seed, evaluator, device, threads, jobs, worker, noReport, tensorBoard, json })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() => Run(new Request(
            parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(grid)!, parse.GetValue(repeats), parse.GetValue(epochs),
            parse.GetValue(lr), parse.GetValue(outDir)!, Shard.Parse(parse.GetValue(shard)), parse.GetValue(protocol)!, parse.GetValue(seed),
            EvaluateCommand.ParseEvaluator(parse.GetValue(evaluator)!), parse.GetValue(device)!, parse.GetValue(threads),
            !parse.GetValue(noReport), parse.GetValue(json), parse.GetValue(tensorBoard), parse.GetValue(jobs), parse.GetValue(worker)), cancellationToken))));
        return command;
    }

    public sealed record Request(string Dataset, string? DataDir, string Grid, int Repeats, int Epochs, double LearningRate, string Out,
        Shard Shard, string Protocol, long Seed, Evaluator Evaluator, string Device, int? Threads, bool Report, bool Json, string? TensorBoard = null, int Jobs = 1, bool Worker = false);

    /// <summary>What a worker of <c>sweep --jobs</c> prints on standard output after each finished run (one JSON line).</summary>
    public sealed record WorkerProgress(string Id, string Label, long Seed, double Accuracy, double FoldStd, double TrainSeconds, double EmbedSeconds, double EvalSeconds);

    /// <summary>What <c>sweep --json</c> prints.</summary>
    public sealed record SweepSummary(string Grid, string Dataset, string Protocol, string Shard, int Configurations, int Repeats,
        int Planned, int Skipped, int Completed, double Seconds, string Out);

    static int Run(Request request, CancellationToken cancellationToken)
    {
        if (request.Repeats < 1) throw new UserErrorException($"--repeats must be ≥ 1, was {request.Repeats}.");
        if (request.Jobs < 1) throw new UserErrorException($"--jobs must be ≥ 1, was {request.Jobs}.");
        if (!GraphSSL.Protocol.All.Contains(request.Protocol)) throw new UserErrorException($"--protocol '{request.Protocol}': use standard or study.");
        var grid = SweepGrid.Load(request.Grid);
        var data = Cli.LoadDataset(request.Dataset, request.DataDir);
        var outDir = Path.GetFullPath(request.Out);
        Directory.CreateDirectory(outDir);
        var log = Console.Error;
        var evaluatorName = CrossValidation.NameOf(request.Evaluator);

        // Plan: configurations of this shard × repeats, minus the runs already completed in --out.
        var done = RunStore.CompletedIds(outDir);
        var plan = new List<(GridConfig Config, int Repeat, RunSettings Settings, string Id)>();
        int skipped = 0;
        foreach (var config in grid.Configurations.Where(c => request.Shard.Contains(c.Index)))
            for (int r = 0; r < request.Repeats; r++)
            {
                var runSeed = request.Seed + r;
                var settings = new RunSettings(data.Name, request.Protocol, request.Epochs, request.LearningRate, runSeed, unchecked((int)runSeed), evaluatorName);
                var id = settings.RunId(config);
                if (done.Contains(id)) { skipped++; continue; }
                plan.Add((config, r, settings, id));
            }
        log.WriteLine($"sweep '{grid.Name}' on {data.Name} ({data.GraphCount} graphs), protocol {request.Protocol}, {request.Epochs} epochs, shard {request.Shard}: " +
                      $"{grid.Configurations.Count(c => request.Shard.Contains(c.Index))} of {grid.Configurations.Count} configurations × {request.Repeats} repeats; " +
                      $"{skipped} already completed in {outDir}, {plan.Count} to run.");

        var clock = Stopwatch.StartNew();
        var inv = CultureInfo.InvariantCulture;
        if (request.Jobs > 1 && plan.Count > 0)
            SweepWorkers.Run(request, evaluatorName, plan.Select(p => (p.Config.Index, p.Config.Label, p.Id)).ToList(), outDir, log, cancellationToken);
        else for (int k = 0; k < plan.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (config, repeat, settings, id) = plan[k];
            var record = RunOne(grid.Name, data, config, repeat, settings, id, request, cancellationToken);
            RunStore.Save(outDir, record);
            if (request.Worker)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new WorkerProgress(id, config.Label, settings.Seed, record.Accuracy, record.FoldStd,
                    record.TrainSeconds, record.EmbedSeconds, record.EvalSeconds), WorkerJson));
                Console.Out.Flush();
                continue;
            }
            var elapsed = clock.Elapsed.TotalSeconds;
            var eta = TimeSpan.FromSeconds(elapsed / (k + 1) * (plan.Count - k - 1));
            log.WriteLine(string.Format(inv, "[{0}/{1}] {2} seed {3}: acc {4:F1}% (fold std {5:F1})  train {6:F1} s, embed {7:F2} s, eval {8:F2} s  elapsed {9}  ETA {10}  id {11}",
                k + 1, plan.Count, config.Label, settings.Seed, 100 * record.Accuracy, 100 * record.FoldStd,
                record.TrainSeconds, record.EmbedSeconds, record.EvalSeconds, Format(clock.Elapsed), Format(eta), id));
        }
        log.WriteLine($"sweep finished: {plan.Count} run(s) in {Format(clock.Elapsed)}.");

        if (request.Report)
            ReportCommand.Write([outDir], outDir, log);

        if (request.Json)
            Console.WriteLine(JsonSerializer.Serialize(new SweepSummary(grid.Name, data.Name, request.Protocol, request.Shard.ToString(),
                grid.Configurations.Count, request.Repeats, plan.Count + skipped, skipped, plan.Count, clock.Elapsed.TotalSeconds, outDir), Cli.Json));
        return Cli.Ok;
    }

    /// <summary>Trains (on the protocol's pre-training graphs), embeds every graph and evaluates under the protocol.</summary>
    static RunRecord RunOne(string gridName, GraphData data, GridConfig config, int repeat, RunSettings settings, string id, Request request, CancellationToken cancellationToken)
    {
        var model = config.CreateModel();
        var options = new TrainOptions
        {
            Epochs = settings.Epochs, BatchSize = config.BatchSize, LearningRate = settings.LearningRate, Seed = settings.Seed,
            Device = request.Device, Threads = request.Threads,
        }.Validate();
        var pretrainIds = GraphSSL.Protocol.PretrainIndices(settings.Protocol, data.Labels, settings.SplitSeed);
        var pretrain = pretrainIds.Length == data.GraphCount ? data : data.Subset(pretrainIds);

        var tensorBoard = request.TensorBoard is null ? null : TensorBoardLog.Create(request.TensorBoard, id);
        var progress = tensorBoard is null ? null : new SynchronousProgress<EpochReport>(r => tensorBoard.Epoch(r, options.LearningRate));

        var clock = Stopwatch.StartNew();
        using var result = model.Train(pretrain, options, progress, cancellationToken);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        double[][] embeddings;
        int dim;
        using (var tensor = result.Embed(data))
        {
            dim = (int)tensor.shape[1];
            embeddings = EmbeddingRows.From(tensor);
        }
        var embedSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var evalOptions = new EvalOptions(request.Evaluator, Folds: 10, InnerFolds: 5, Seed: unchecked((int)settings.Seed));
        var evaluation = GraphSSL.Protocol.Evaluate(settings.Protocol, embeddings, data.Labels, evalOptions, settings.SplitSeed);
        var evalSeconds = clock.Elapsed.TotalSeconds;
        tensorBoard?.Scalar("eval/accuracy", evaluation.Accuracy, settings.Epochs);

        return new RunRecord
        {
            Id = id, Index = config.Index, Grid = gridName, Dataset = settings.Dataset, Method = config.Method, Model = config.Model,
            Augmentation = config.Augmentation, View1 = config.View1, View2 = config.View2, BatchSize = config.BatchSize,
            Layers = config.Layers, Hidden = config.Hidden, Sets = config.Sets, Protocol = settings.Protocol, Epochs = settings.Epochs,
            LearningRate = settings.LearningRate, Repeat = repeat, Seed = settings.Seed, SplitSeed = settings.SplitSeed,
            Evaluator = evaluation.Evaluator, PretrainGraphs = pretrain.GraphCount, EvalGraphs = evaluation.Samples, EmbeddingDim = dim,
            Accuracy = evaluation.Accuracy, FoldStd = evaluation.FoldStd, FoldAccuracies = evaluation.FoldAccuracies, ChosenC = evaluation.ChosenC,
            TrainSeconds = trainSeconds, EmbedSeconds = embedSeconds, EvalSeconds = evalSeconds, Losses = result.Losses,
            Hyperparameters = ModelFactory.Describe(model), CompletedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>One-line JSON for worker progress.</summary>
    internal static readonly JsonSerializerOptions WorkerJson = new(Cli.Json) { WriteIndented = false };

    internal static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
