using System.Diagnostics;
using System.Globalization;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Evaluation;
using GraphSSL.Training;
using GraphSSL.Data;

namespace GraphSSL.Cli.Commands;

/// <summary>A paper's settings for one model on one dataset: hyperparameters (as --set) and training options.</summary>
/// <param name="Model">Model declaration name.</param>
/// <param name="Dataset">Planetoid dataset name.</param>
/// <param name="Sets">Hyperparameters, applied before the command line's --set.</param>
/// <param name="Epochs">Training epochs (the command line's --epochs wins when given).</param>
/// <param name="LearningRate">Adam learning rate (--lr wins when given).</param>
/// <param name="WeightDecay">Adam weight decay.</param>
/// <param name="Source">Where the settings come from, and what differs.</param>
/// <param name="Name">Short name for <c>graphssl reproduce NAME --dataset D</c>, e.g. "grace".</param>
/// <param name="Published">Published linear-probe accuracy on the public split (%), as tabulated in the GraphMAE and MA-GCL papers.</param>
/// <param name="PublishedStd">Its standard deviation when the table gives one, else null.</param>
/// <param name="Schedule">Learning-rate schedule (--lr-schedule wins when given).</param>
/// <param name="WarmupEpochs">Epochs of linear learning-rate warm-up before the schedule.</param>
/// <param name="Optimizer">Adam (L2 weight decay) or AdamW (decoupled).</param>
public sealed record NodeRecipe(string Model, string Dataset, string[] Sets, int Epochs, double LearningRate, double WeightDecay, string Source,
    string Name = "", double? Published = null, double? PublishedStd = null, LearningRateSchedule Schedule = LearningRateSchedule.Constant,
    int WarmupEpochs = 0, OptimizerKind Optimizer = OptimizerKind.Adam);

/// <summary>The node-level recipes <c>graphssl train</c> applies by model and dataset.</summary>
public static class NodeRecipes
{
    /// <summary>Every recipe.</summary>
    public static readonly IReadOnlyList<NodeRecipe> All = new NodeRecipe[]
    {
        new("GraceNode", "Cora", new[] { "View1.EdgeP=0.2", "View1.FeatureP=0.3", "View2.EdgeP=0.4", "View2.FeatureP=0.4", "Objective.Tau=0.4", "Objective.ProjectionHidden=128" },
            200, 0.0005, 1e-5, "CRIPAC-DIG/GRACE config.yaml lines 1-15", "grace", 81.7),
        new("GraceNode", "CiteSeer", new[] { "Encoder.Hidden=256", "Encoder.InnerHidden=512", "Encoder.Activation=PRelu", "View1.EdgeP=0.2", "View1.FeatureP=0.3", "View2.EdgeP=0.0", "View2.FeatureP=0.2", "Objective.Tau=0.9", "Objective.ProjectionHidden=256" },
            200, 0.001, 1e-5, "CRIPAC-DIG/GRACE config.yaml lines 16-30", "grace", 71.5),
        // hengruizhang98/CCA-SSG README.md "Instructions" (the commands that reproduce the paper): Cora --epochs 50 --lambd 1e-3
        // --dfr 0.1 --der 0.4; Citeseer --epochs 20 --n_layers 1 --lambd 5e-4 --dfr 0.0 --der 0.4; main.py: lr1 1e-3, wd1 0 (argument defaults).
        // One random_aug per view with the same rates (main.py, training loop); the probe is ours (NodeProbe), not main.py's Adam probe.
        new("CcaSsgNode", "Cora", new[] { "View1.EdgeP=0.4", "View1.FeatureP=0.1", "View2.EdgeP=0.4", "View2.FeatureP=0.1", "Objective.Lambda=0.001" },
            50, 0.001, 0.0, "hengruizhang98/CCA-SSG README.md (Cora command), main.py defaults, model.py GCN", "ccassg", 84.0),
        new("CcaSsgNode", "CiteSeer", new[] { "Encoder.Layers=1", "View1.EdgeP=0.4", "View1.FeatureP=0.0", "View2.EdgeP=0.4", "View2.FeatureP=0.0", "Objective.Lambda=0.0005" },
            20, 0.001, 0.0, "hengruizhang98/CCA-SSG README.md (Citeseer command), main.py defaults, model.py GCN", "ccassg", 73.1),
        // DGI stops early (patience 20 on the training loss, execute.py lines 13-14, 81-90); a fixed epoch count here.
        new("DgiNode", "Cora", Array.Empty<string>(), 300, 0.001, 0.0, "PetarV-/DGI execute.py lines 12-21 (fixed epochs instead of early stopping)", "dgi", 82.3),
        new("DgiNode", "CiteSeer", Array.Empty<string>(), 300, 0.001, 0.0, "PetarV-/DGI execute.py lines 12-21 (fixed epochs instead of early stopping)", "dgi", 71.8),
        // nerdslab/bgrl has no Planetoid config: config/amazon-photos.cfg whole — epochs 10,000 (line 4), encoder 256-128 and predictor 512
        // (lines 7-9), views (lines 11-14), lr 1e-4, mm 0.99, 1,000 warm-up epochs, weight decay 1e-5 (lines 17-20); AdamW with BGRL's
        // CosineDecayScheduler read once per epoch (train_transductive.py). Not reproduced: BatchNorm momentum 0.99 (ours 0.1), the loss's scale
        // (theirs 2 − cos − cos, ours twice that).
        new("BgrlNode", "Cora", new[] { "View1.EdgeP=0.4", "View1.FeatureP=0.1", "View2.EdgeP=0.1", "View2.FeatureP=0.2", "Objective.BaseMomentum=0.99" },
            10000, 1e-4, 1e-5, "nerdslab/bgrl config/amazon-photos.cfg lines 4-20, train_transductive.py (no Cora config)", "bgrl", 82.7,
            Schedule: LearningRateSchedule.Cosine, WarmupEpochs: 1000, Optimizer: OptimizerKind.AdamW),
        new("BgrlNode", "CiteSeer", new[] { "View1.EdgeP=0.4", "View1.FeatureP=0.1", "View2.EdgeP=0.1", "View2.FeatureP=0.2", "Objective.BaseMomentum=0.99" },
            10000, 1e-4, 1e-5, "nerdslab/bgrl config/amazon-photos.cfg lines 4-20, train_transductive.py (no CiteSeer config)", "bgrl", 71.1,
            Schedule: LearningRateSchedule.Cosine, WarmupEpochs: 1000, Optimizer: OptimizerKind.AdamW),
        // GraphMAE: GAT encoder and decoder (configs.yml "encoder: gat", "decoder: gat"; one decoder head, main_transductive's
        // num_out_heads default), cosine schedule ("scheduler: True"), in_drop 0.2 on every GAT layer's input and attn_drop 0.1 on its
        // attention, encoder and decoder alike (configs.yml lines 16-17 and 40-41; edcoder.py lines 149-150, 167-168; gat.py GATConv.forward).
        new("GraphMaeNode", "Cora", new[] { "Encoder.Dropout=0.2", "Encoder.AttentionDropout=0.1", "Objective.MaskRate=0.5", "Objective.ReplaceRate=0.05", "Objective.Alpha=3",
                "Objective.DecoderHeads=1", "Objective.DecoderDropout=0.2", "Objective.DecoderAttentionDropout=0.1" },
            1500, 0.001, 2e-4, "THUDM/GraphMAE configs.yml lines 1-24", "graphmae", 84.2, 0.4, LearningRateSchedule.Cosine),
        new("GraphMaeNode", "CiteSeer", new[] { "Encoder.Heads=2", "Encoder.Dropout=0.2", "Encoder.AttentionDropout=0.1", "Objective.MaskRate=0.5", "Objective.ReplaceRate=0.1", "Objective.Alpha=1",
                "Objective.DecoderHeads=1", "Objective.DecoderDropout=0.2", "Objective.DecoderAttentionDropout=0.1" },
            300, 0.001, 2e-5, "THUDM/GraphMAE configs.yml lines 25-48", "graphmae", 73.4, 0.4, LearningRateSchedule.Cosine),
    };

    /// <summary>The recipe named <paramref name="name"/> (e.g. "grace") for <paramref name="dataset"/> (case-insensitive), or null.</summary>
    public static NodeRecipe? Named(string name, string dataset)
        => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase) && IsFor(r, dataset));

    /// <summary>The short names of the node-level recipes.</summary>
    public static IEnumerable<string> Names => All.Select(r => r.Name).Distinct();

    /// <summary>The recipe for <paramref name="model"/> on <paramref name="dataset"/> (names case-insensitive), or null.</summary>
    public static NodeRecipe? Find(string model, string dataset)
        => All.FirstOrDefault(r => string.Equals(r.Model, model, StringComparison.OrdinalIgnoreCase) && IsFor(r, dataset));

    /// <summary>Whether <paramref name="recipe"/> is for <paramref name="dataset"/> (a name, or a folder named after it; case-insensitive).</summary>
    static bool IsFor(NodeRecipe recipe, string dataset)
        => string.Equals(recipe.Dataset, Path.GetFileName(dataset.TrimEnd('/', '\\')), StringComparison.OrdinalIgnoreCase);
}

/// <summary>What a node-level run writes to <c>metrics.json</c>.</summary>
public sealed record NodeMetrics(
    string Tool,
    string Model,
    SortedDictionary<string, string> Hyperparameters,
    string Dataset,
    int Nodes,
    string? Recipe,
    TrainOptions Options,
    IReadOnlyList<double> Losses,
    IReadOnlyList<double> EpochSeconds,
    double TrainSeconds,
    int EmbeddingDim,
    NodeProbeReport? Probe);

/// <summary>Linear-probe test accuracy (C chosen on validation only) of the trained encoder and of the same encoder untrained.</summary>
public sealed record NodeProbeReport(string Protocol, int ProbeSeeds, NodeProbeSummary Untrained, NodeProbeSummary Trained);

/// <summary>One probe result in percent.</summary>
public sealed record NodeProbeSummary(double TestMean, double TestStd, double Validation, double[] ChosenC)
{
    internal static NodeProbeSummary From(NodeProbeResult r)
        => new(100 * r.Mean, 100 * r.Std, 100 * r.MeanValidation, r.PerSeed.Select(s => s.C).Distinct().ToArray());
}

/// <summary>What <see cref="NodeTraining.TrainAndProbe"/> produced: the trained model's result, its node embeddings and the probe.</summary>
public sealed record NodeRunOutcome(TrainResult<ISslModel> Result, double[][] Embeddings, NodeProbeReport? Probe, double TrainSeconds) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Result.Dispose();
}

/// <summary><c>graphssl train</c> for node-level models on Cora / CiteSeer: full-graph training, then the node probe.</summary>
public static class NodeTraining
{
    /// <summary>
    /// The dataset as the papers train on it (row-normalised features: DGI preprocess_features, GRACE NormalizeFeatures,
    /// DGL's citation sets for GraphMAE and CCA-SSG).
    /// </summary>
    public static NodeData Load(string dataset, string? dataDir) => NodeLevel.RowNormalized(DatasetResolver.ResolveNodes(dataset, dataDir));

    /// <summary>
    /// The recipe's epochs, learning rate, schedule and weight decay unless the command line gave them; its warm-up and
    /// optimiser always (the command line has no options for them).
    /// </summary>
    public static TrainOptions Apply(NodeRecipe? recipe, TrainOptions options, bool epochsGiven, bool lrGiven, bool weightDecayGiven, bool scheduleGiven = false) => (options with
    {
        Schedule = recipe is null || scheduleGiven ? options.Schedule : recipe.Schedule,
        WarmupEpochs = recipe?.WarmupEpochs ?? options.WarmupEpochs,
        Optimizer = recipe?.Optimizer ?? options.Optimizer,
        Epochs = recipe is null || epochsGiven ? options.Epochs : recipe.Epochs,
        LearningRate = recipe is null || lrGiven ? options.LearningRate : recipe.LearningRate,
        WeightDecay = recipe is null || weightDecayGiven ? options.WeightDecay : recipe.WeightDecay,
    }).Validate();

    /// <summary>
    /// Trains <paramref name="model"/> on the full graph (progress on <paramref name="log"/> every 10 epochs), embeds every
    /// node and, when <paramref name="evaluate"/>, probes the trained encoder and its untrained twin (same seed, 0 epochs).
    /// </summary>
    public static NodeRunOutcome TrainAndProbe(INodeLevelModel model, NodeData data, TrainOptions options, bool evaluate, TextWriter log, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var progress = new SynchronousProgress<EpochReport>(r =>
        {
            if (r.Epoch == 1 || r.Epoch == r.Epochs || r.Epoch % 10 == 0)
                log.WriteLine($"epoch {r.Epoch,5}/{r.Epochs}  loss {r.Loss.ToString("0.0000", inv)}  {r.Seconds.ToString("0.00", inv)} s"
                              + (r.OutputStd is double std ? $"  output std {std.ToString("0.0000", inv)}" : ""));
            if (r.Warning is not null) log.WriteLine($"warning: {r.Warning}");
        });
        var result = model.Train(data, options, progress, cancellationToken);
        try
        {
            var trainSeconds = clock.Elapsed.TotalSeconds;
            double[][] embeddings;
            using (var embeddingTensor = result.EmbedNodes(data)) embeddings = EmbeddingRows.From(embeddingTensor);
            NodeProbeReport? probe = null;
            if (evaluate)
            {
                var probeOptions = new NodeProbeOptions();
                log.WriteLine($"Probing: logistic regression on the {data.Split.Train.Length} training nodes, C from {{{string.Join(", ", probeOptions.C.Select(c => c.ToString(inv)))}}} by validation accuracy ({data.Split.Validation.Length} nodes), " +
                              $"test accuracy ({data.Split.Test.Length} nodes), {probeOptions.Seeds} probe seeds; trained and untrained …");
                using var untrained = model.Train(data, options with { Epochs = 0, CheckpointDirectory = null, Resume = false }, null, cancellationToken);
                using var untrainedTensor = untrained.EmbedNodes(data);
                var untrainedProbe = NodeProbe.Evaluate(EmbeddingRows.From(untrainedTensor), data.Labels, data.Split, probeOptions);
                var trainedProbe = NodeProbe.Evaluate(embeddings, data.Labels, data.Split, probeOptions);
                probe = new NodeProbeReport("public split; C by validation only", probeOptions.Seeds, NodeProbeSummary.From(untrainedProbe), NodeProbeSummary.From(trainedProbe));
            }
            return new NodeRunOutcome(result, embeddings, probe, trainSeconds);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Trains <paramref name="model"/> on the Planetoid dataset of <paramref name="request"/>, probes trained and untrained.</summary>
    public static int Run(INodeLevelModel model, NodeRecipe? recipe, TrainCommand.Request request, CancellationToken cancellationToken)
    {
        var data = Load(request.Dataset, request.DataDir);
        var options = Apply(recipe, request.Options, request.EpochsGiven, request.LearningRateGiven, request.WeightDecayGiven, request.ScheduleGiven);
        var files = new RunFiles(request.Out ?? Path.Combine("runs", $"{model.DeclaredName}-{data.Name}-seed{options.Seed}"));
        var log = request.Json ? TextWriter.Null : Console.Error;
        var inv = CultureInfo.InvariantCulture;
        log.WriteLine($"{model.DeclaredName} on {data.Name} (node level, full graph): {data.NodeCount} nodes, {data.UndirectedEdgeCount} edges, {data.FeatureDim} features, {data.ClassCount} classes; " +
                      $"{options.Epochs} epochs, lr {options.LearningRate.ToString(inv)}, weight decay {options.WeightDecay.ToString(inv)}{NodeReproduce.ScheduleText(options)}, seed {options.Seed}" +
                      (recipe is null ? "; no recipe for this dataset, command-line settings." : $"; recipe: {recipe.Source}."));

        using var outcome = TrainAndProbe(model, data, options, request.Evaluate, log, cancellationToken);
        var (result, embeddings, probe, trainSeconds) = (outcome.Result, outcome.Embeddings, outcome.Probe, outcome.TrainSeconds);
        files.WriteNpy("embeddings.npy", ToArray(embeddings));
        files.WriteNpy("labels.npy", data.Labels.Select(l => (long)l).ToArray());

        var metrics = new NodeMetrics("graphssl " + typeof(TrainCommand).Assembly.GetName().Version?.ToString(3), model.DeclaredName,
            ModelFactory.Describe(model), data.Name, data.NodeCount, recipe?.Source, options, result.Losses, result.EpochSeconds, trainSeconds,
            embeddings.Length == 0 ? 0 : embeddings[0].Length, probe);
        files.WriteJson("metrics.json", metrics);
        if (request.Json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(metrics, Cli.Json));
            return Cli.Ok;
        }
        Console.WriteLine();
        Console.WriteLine($"Trained {metrics.Model} on {metrics.Dataset} ({metrics.Nodes} nodes, full graph) for {options.Epochs} epochs in {trainSeconds.ToString("0.0", inv)} s.");
        if (result.Losses.Count > 0)
            Console.WriteLine($"Loss: {result.Losses[0].ToString("0.0000", inv)} → {result.Losses[^1].ToString("0.0000", inv)}");
        if (probe is not null)
        {
            Console.WriteLine($"Node embeddings ({metrics.EmbeddingDim} dims), linear probe on the public split, test accuracy mean ± std over {probe.ProbeSeeds} probe seeds (C chosen on validation):");
            Console.WriteLine($"  untrained encoder  {probe.Untrained.TestMean.ToString("0.00", inv)} ± {probe.Untrained.TestStd.ToString("0.00", inv)}  (validation {probe.Untrained.Validation.ToString("0.00", inv)})");
            Console.WriteLine($"  trained encoder    {probe.Trained.TestMean.ToString("0.00", inv)} ± {probe.Trained.TestStd.ToString("0.00", inv)}  (validation {probe.Trained.Validation.ToString("0.00", inv)})");
        }
        Console.WriteLine($"Wrote {Path.Combine(files.Directory, "metrics.json")}, embeddings.npy, labels.npy");
        return Cli.Ok;
    }

    static float[,] ToArray(double[][] rows)
    {
        int n = rows.Length, d = n == 0 ? 0 : rows[0].Length;
        var result = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) result[i, j] = (float)rows[i][j];
        return result;
    }
}
