using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Data;
using GraphSSL.Evaluation;
using GraphSSL.Training;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl sweep</c>: train, embed and evaluate every configuration of a grid × repeats, one run file per
/// completed run (resumable, shardable), then write the report of the output directory.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var dataset = CommonOptions.Dataset("synthetic");
        var dataDir = CommonOptions.DataDir();
        var grid = new Option<string>("--grid", "-g")
        {
            Description = "'study' (the seed study's 144 configurations: SimCLR/SimSiam/BarlowTwins × 4 augmentations × batch {64,256} × layers {1,2,3} × hidden {64,512}) or a JSON grid file:\n" + SweepGrid.FileSchema,
            DefaultValueFactory = _ => "study",
        };
        var repeats = new Option<int>("--repeats", "-r") { Description = "Repeats per configuration; repeat r uses seed S + r.", DefaultValueFactory = _ => 1 };
        var epochs = CommonOptions.Epochs("Training epochs per run (the study used 200).");
        var lr = CommonOptions.LearningRate("Adam learning rate (the study's code: 0.001).");
        var outDir = CommonOptions.Out("Output directory: runs/<id>.json per completed run, then results.csv, summary.md and figures.", required: true);
        var shard = new Option<string?>("--shard")
        {
            Description = "i/n: run only configurations whose 0-based grid index % n == i (all repeats of a configuration stay together). " +
                          "Slurm: --shard $SLURM_ARRAY_TASK_ID/$N; Kubernetes indexed job: --shard $JOB_COMPLETION_INDEX/$N. Shards may share --out or use separate ones (merge with `graphssl report`).",
        };
        var where = new Option<string[]>("--where")
        {
            Description = "FIELD=V1[,V2…] (repeatable): run only the configurations whose FIELD (method, model, augmentation, batch, layers, hidden) is one of the values, e.g. " +
                          "--where method=BarlowTwins --where hidden=512. Run ids do not depend on it: the whole grid later skips what a slice completed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var protocol = CommonOptions.Protocol(Protocol.Study, "In a sweep the split seed is the run seed.");
        var seed = CommonOptions.Seed<long>("Base seed S; repeat r uses S + r for initialisation, shuffling, augmentation, the split and the CV folds.");
        var evaluator = CommonOptions.Evaluator();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Worker processes (default 1: run in this process). The runs of the shard are handed out one at a time, largest configuration first, to whichever worker is free; " +
                          "each worker uses one CPU thread unless --threads says otherwise and writes the same run files; one progress display; resumable like a single process.",
            DefaultValueFactory = _ => 1,
        };
        var worker = new Option<bool>("--worker") { Description = "Internal: run as a worker of `sweep --jobs` (run ids on standard input, one JSON progress line per finished run on standard output).", Hidden = true };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write the report at the end (e.g. for a shard of a job array; run `graphssl report` once all shards are done)." };
        var tensorBoard = CommonOptions.TensorBoard("Write TensorBoard event files, one folder per run: DIR/<run id> (loss, learning rate, epoch time and output std per epoch, then the accuracy).");
        var json = CommonOptions.Json();

        var command = new Command("sweep", "Run a grid of configurations × repeats: train, embed and evaluate each; resumable (completed runs are skipped) and shardable; ends with `report` on --out.");
        foreach (var option in new Option[] { dataset, dataDir, grid, repeats, epochs, lr, outDir, shard, where, protocol, seed, evaluator, device, threads, jobs, worker, noReport, tensorBoard, json })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() => Run(new Request(
            parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(grid)!, parse.GetValue(repeats), parse.GetValue(epochs),
            parse.GetValue(lr), parse.GetValue(outDir)!, Shard.Parse(parse.GetValue(shard)), parse.ReadProtocol(protocol), parse.GetValue(seed),
            parse.ReadEvaluator(evaluator), parse.GetValue(device)!, parse.GetValue(threads),
            !parse.GetValue(noReport), parse.GetValue(json), parse.GetValue(tensorBoard), parse.GetValue(jobs), parse.GetValue(worker), GridFilter.Parse(parse.GetValue(where))), cancellationToken))));
        return command;
    }

    public sealed record Request(string Dataset, string? DataDir, string Grid, int Repeats, int Epochs, double LearningRate, string Out,
        Shard Shard, Protocol Protocol, long Seed, Evaluator Evaluator, string Device, int? Threads, bool Report, bool Json, string? TensorBoard = null, int Jobs = 1, bool Worker = false, GridFilter? Where = null)
    {
        /// <summary>The <c>--where</c> filter (every configuration when none was given).</summary>
        public GridFilter Filter => Where ?? GridFilter.All;

        /// <summary>Whether configuration <paramref name="config"/> is this process's: in its shard and meeting <c>--where</c>.</summary>
        public bool Selects(GridConfig config) => Shard.Contains(config.Index) && Filter.Contains(config);
    }

    /// <summary>What a worker of <c>sweep --jobs</c> prints on standard output after each finished run (one JSON line).</summary>
    public sealed record WorkerProgress(string Id, string Label, long Seed, double Accuracy, double FoldStd, double TrainSeconds, double EmbedSeconds, double EvalSeconds);

    /// <summary>What <c>sweep --json</c> prints.</summary>
    public sealed record SweepSummary(string Grid, string Dataset, string Protocol, string Shard, int Configurations, int Repeats,
        int Planned, int Skipped, int Completed, double Seconds, string Out);

    static int Run(Request request, CancellationToken cancellationToken)
    {
        if (request.Repeats < 1) throw new UserErrorException($"--repeats must be ≥ 1, was {request.Repeats}.");
        if (request.Jobs < 1) throw new UserErrorException($"--jobs must be ≥ 1, was {request.Jobs}.");
        var grid = SweepGrid.Load(request.Grid);
        var data = Cli.LoadDataset(request.Dataset, request.DataDir);
        var outDir = Path.GetFullPath(request.Out);
        Directory.CreateDirectory(outDir);
        var log = Console.Error;
        var evaluatorName = Evaluators.NameOf(request.Evaluator);

        // Plan: configurations of this shard × repeats, minus the runs already completed in --out.
        var done = RunStore.CompletedIds(outDir);
        var shardRuns = new List<(GridConfig Config, int Repeat, RunSettings Settings, string Id)>();
        var selected = grid.Configurations.Where(request.Selects).ToList();
        if (selected.Count == 0)
            throw new UserErrorException($"No configuration of grid '{grid.Name}' is in shard {request.Shard} and meets --where {request.Filter}.");
        foreach (var config in selected)
            for (int r = 0; r < request.Repeats; r++)
            {
                var runSeed = request.Seed + r;
                var settings = new RunSettings(data.Name, request.Protocol.Name, request.Epochs, request.LearningRate, runSeed, unchecked((int)runSeed), evaluatorName);
                shardRuns.Add((config, r, settings, settings.RunId(config)));
            }
        if (request.Worker) return RunAssigned(grid.Name, data, shardRuns, request, outDir, cancellationToken);
        var plan = shardRuns.Where(p => !done.Contains(p.Id)).ToList();
        int skipped = shardRuns.Count - plan.Count;
        log.WriteLine($"sweep '{grid.Name}' on {data.Name} ({data.GraphCount} graphs), protocol {request.Protocol}, {request.Epochs} epochs, shard {request.Shard}" +
                      (request.Filter.Conditions.Count == 0 ? "" : $", where {request.Filter}") + ": " +
                      $"{selected.Count} of {grid.Configurations.Count} configurations × {request.Repeats} repeats; " +
                      $"{skipped} already completed in {outDir}, {plan.Count} to run.");

        var clock = Stopwatch.StartNew();
        var inv = CultureInfo.InvariantCulture;
        if (request.Jobs > 1 && plan.Count > 0)
            SweepWorkers.Run(request, evaluatorName,
                plan.Select(p => new SweepWorkers.PlannedRun(p.Config.Index, p.Config.Label, p.Id, SweepWorkers.EstimatedCost(p.Config))).ToList(),
                outDir, log, cancellationToken);
        else for (int k = 0; k < plan.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (config, repeat, settings, id) = plan[k];
            var record = RunOne(grid.Name, data, config, repeat, settings, id, request, cancellationToken);
            RunStore.Save(outDir, record);
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
            Console.WriteLine(JsonSerializer.Serialize(new SweepSummary(grid.Name, data.Name, request.Protocol.Name, request.Shard.ToString(),
                grid.Configurations.Count, request.Repeats, plan.Count + skipped, skipped, plan.Count, clock.Elapsed.TotalSeconds, outDir), Cli.Json));
        return Cli.Ok;
    }

    /// <summary>
    /// Worker mode (<c>--worker</c>, started by <see cref="SweepWorkers"/>): reads run ids from standard input, one per
    /// line, runs each (it must be one of this shard's runs), saves its file and answers with one
    /// <see cref="WorkerProgress"/> JSON line; returns when standard input closes.
    /// </summary>
    static int RunAssigned(string gridName, GraphData data, IReadOnlyList<(GridConfig Config, int Repeat, RunSettings Settings, string Id)> shardRuns,
        Request request, string outDir, CancellationToken cancellationToken)
    {
        var byId = shardRuns.ToDictionary(p => p.Id, StringComparer.Ordinal);
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = line.Trim();
            if (id.Length == 0) continue;
            if (!byId.TryGetValue(id, out var run))
                throw new UserErrorException($"sweep worker: run id '{id}' is not a run of shard {request.Shard} of grid '{gridName}'.");
            var record = RunOne(gridName, data, run.Config, run.Repeat, run.Settings, id, request, cancellationToken);
            RunStore.Save(outDir, record);
            Console.Out.WriteLine(JsonSerializer.Serialize(new WorkerProgress(id, run.Config.Label, run.Settings.Seed, record.Accuracy, record.FoldStd,
                record.TrainSeconds, record.EmbedSeconds, record.EvalSeconds), WorkerJson));
            Console.Out.Flush();
        }
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
        var evaluation = new EvaluationPlan(new EvalOptions(request.Evaluator, Folds: 10, InnerFolds: 5, Seed: unchecked((int)settings.Seed)), UntrainedTwin: false, FewLabels: false);
        var job = new RunJob(model, data, options, request.Protocol, settings.SplitSeed, evaluation);
        var tensorBoard = request.TensorBoard is null ? null : TensorBoardLog.Create(request.TensorBoard, id);
        using var run = TrainAndEvaluate.Run(job, new TensorBoardObserver(tensorBoard), cancellationToken);
        tensorBoard?.Scalar("eval/accuracy", run.Evaluation!.Trained.Accuracy, settings.Epochs);
        return RunRecords.From(gridName, config, repeat, settings, id, run);
    }

    /// <summary>One-line JSON for worker progress.</summary>
    internal static readonly JsonSerializerOptions WorkerJson = new(Cli.Json) { WriteIndented = false };

    internal static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
