using System.CommandLine;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Training;
using GraphSSL.Evaluation;

namespace GraphSSL.Cli.Commands;

/// <summary><c>graphssl train</c>: pre-train a declared model, write its metrics and embeddings, and report what it learned.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var dataset = CommonOptions.Dataset("synthetic");
        var dataDir = CommonOptions.DataDir();
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
        var epochs = CommonOptions.Epochs();
        var batch = new Option<int>("--batch", "-b") { Description = "Graphs per mini-batch.", DefaultValueFactory = _ => 128 };
        var lr = CommonOptions.LearningRate();
        var weightDecay = new Option<double?>("--weight-decay")
        {
            Description = "Adam weight decay (L2 added to the gradient, as torch.optim.Adam's weight_decay). Default 0, or the node-level recipe's.",
        };
        var schedule = new Option<LearningRateSchedule?>("--lr-schedule")
        {
            Description = "Learning-rate schedule: Constant, or Cosine (half a cosine from --lr in epoch 1 towards 0 after the last). Default Constant, or the node-level recipe's.",
        };
        var seed = CommonOptions.Seed<long>("Seed for initialisation, shuffling and augmentation.");
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var sets = new Option<string[]>("--set")
        {
            Description = "Override a hyperparameter: Name=value (model), Encoder.Name=value, View.Name=value. Repeatable.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var outDir = CommonOptions.Out("Output folder for metrics.json, embeddings.csv/.npy, encoder.gssl and loss.png. Default: runs/<model>-<dataset>-seed<seed>.");
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
        var protocol = CommonOptions.Protocol(Protocol.Standard);
        var splitSeed = CommonOptions.SplitSeed();
        var tensorBoard = CommonOptions.TensorBoard("Write TensorBoard event files into DIR/<name of the --out folder>: loss, learning rate, epoch time and output std per epoch, then the evaluation's accuracies.");
        var json = CommonOptions.Json();

        var command = new Command("train", "Pre-train a declared model on a dataset; write metrics.json, embeddings.csv, embeddings.npy, labels.npy, encoder.gssl (the trained encoder, for `graphssl embed`) and loss.png.");
        foreach (var option in new Option[] { dataset, dataDir, model, encoder, view, objective, augmentation, epochs, batch, lr, schedule, weightDecay, seed, device, threads, sets, outDir, checkpointDir, checkpointEvery, resume, evaluate, protocol, splitSeed, tensorBoard, json })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Cli.Guard(() => Run(new Request(
            parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(model), parse.GetValue(encoder),
            parse.GetValue(augmentation)!.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Concat(parse.GetValue(view)!).ToArray(),
            parse.GetValue(objective),
            new TrainOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(weightDecay) ?? 0,
                Schedule = parse.GetValue(schedule) ?? LearningRateSchedule.Constant,
                Seed = parse.GetValue(seed), Device = parse.GetValue(device)!, Threads = parse.GetValue(threads),
                CheckpointDirectory = parse.GetValue(checkpointDir),
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? 1,
                Resume = parse.GetValue(resume),
            },
            parse.GetValue(sets)!, parse.GetValue(outDir), parse.GetValue(evaluate), parse.GetValue(json),
            WantsCheckpoints: parse.GetValue(checkpointEvery) is not null || parse.GetValue(checkpointDir) is not null || parse.GetValue(resume),
            Protocol: parse.ReadProtocol(protocol), SplitSeed: parse.GetValue(splitSeed), TensorBoard: parse.GetValue(tensorBoard),
            EpochsGiven: parse.GetResult(epochs) is { Implicit: false }, LearningRateGiven: parse.GetResult(lr) is { Implicit: false },
            WeightDecayGiven: parse.GetValue(weightDecay) is not null, ScheduleGiven: parse.GetValue(schedule) is not null), cancellationToken))));
        return command;
    }

    public sealed record Request(string Dataset, string? DataDir, string? Model, string? Encoder, string[] Views, string? Objective,
        TrainOptions Options, string[] Sets, string? Out, bool Evaluate, bool Json, bool WantsCheckpoints,
        Protocol Protocol, int SplitSeed, string? TensorBoard = null, bool EpochsGiven = false, bool LearningRateGiven = false, bool WeightDecayGiven = false,
        bool ScheduleGiven = false);

    static int Run(Request request, CancellationToken cancellationToken)
    {
        // Node-level models on Cora / CiteSeer: the paper's settings for that dataset first, then the command line's --set.
        var recipe = request.Model is null ? null : NodeRecipes.Find(request.Model, request.Dataset);
        var sets = recipe is null ? request.Sets : recipe.Sets.Concat(request.Sets).ToArray();
        var model = ModelFactory.Create(request.Model, request.Encoder, request.Views, request.Objective, sets);
        if (model is INodeLevelModel nodeModel)
            return NodeTraining.Run(nodeModel, recipe, request, cancellationToken);
        var data = Cli.LoadDataset(request.Dataset, request.DataDir);
        var files = new RunFiles(request.Out ?? Path.Combine("runs", $"{model.DeclaredName}-{Sanitize(data.Name)}-seed{request.Options.Seed}"));
        var options = CheckpointPolicy.Apply(request.Options, request.WantsCheckpoints, files.PathOf("checkpoint"));
        var job = new RunJob(model, data, options, request.Protocol, request.SplitSeed,
            request.Evaluate ? EvaluationPlan.TrainAgainstUntrained(options.Seed) : null);

        var log = request.Json ? TextWriter.Null : Console.Error;
        var tensorBoard = request.TensorBoard is null ? null : TensorBoardLog.Create(request.TensorBoard, Path.GetFileName(files.Directory));
        using var run = TrainAndEvaluate.Run(job, new TrainLog(log, tensorBoard), cancellationToken);
        var metrics = TrainFiles.Write(files, run, log);
        if (metrics.Evaluation is not null) tensorBoard?.Evaluation(metrics.Evaluation, options.Epochs);
        TrainSummary.Print(metrics, files.Directory, request.Json);
        return Cli.Ok;
    }

    static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
