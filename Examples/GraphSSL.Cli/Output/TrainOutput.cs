using System.Globalization;
using GraphSSL.Cli.Pipeline;
using GraphSSL.Data;
using GraphSSL.Training;

namespace GraphSSL.Cli.Output;

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

/// <summary>
/// <c>train</c>'s log on standard error (nothing under <c>--json</c>): the run's header, the checkpoint and study-split
/// notes, the TensorBoard folder, the epochs (<see cref="TrainingDisplay"/>, also feeding TensorBoard) and the evaluation's start.
/// </summary>
public sealed class TrainLog(TextWriter log, TensorBoardLog? tensorBoard) : IRunObserver
{
    public void Starting(RunJob job, GraphData pretrain)
    {
        var (model, data, options) = (job.Model, job.Data, job.Options);
        log.WriteLine($"{model.DeclaredName} on {data.Name}: {data.GraphCount} graphs, {data.NodeCount} nodes, {data.FeatureDim} features, {data.ClassCount} classes; " +
                      $"{options.Epochs} epochs, batch {options.BatchSize}, seed {options.Seed}, device {options.Device}.");
        if (options.Resume && !CheckpointPolicy.HasCheckpoint(options))
            log.WriteLine($"No checkpoint in {options.CheckpointDirectory} yet: starting from epoch 1.");
        else if (options.Resume)
            log.WriteLine($"Resuming from the checkpoint in {options.CheckpointDirectory}.");
        if (!ReferenceEquals(pretrain, data))
            log.WriteLine($"Study protocol: pre-training on {pretrain.GraphCount} of {data.GraphCount} graphs (split seed {job.SplitSeed}).");
        if (tensorBoard is not null) log.WriteLine($"TensorBoard: {tensorBoard.Directory}");
    }

    public TrainResult<ISslModel> Training(RunJob job, Func<IProgress<EpochReport>?, TrainResult<ISslModel>> train)
        => new TrainingDisplay(log, r => tensorBoard?.Epoch(r, job.Options.LearningRateAt(r.Epoch))).Run(job.Model.DeclaredName, job.Options.Epochs, train);

    public void Evaluating(RunJob job)
        => log.WriteLine($"Evaluating: {job.Protocol.Name} protocol, 10-fold SVC (RBF), C chosen by inner 5-fold search, against the same encoder untrained …");
}

/// <summary><c>train</c>'s files: embeddings.csv/.npy, labels.npy, encoder.gssl, loss.png, and metrics.json last.</summary>
public static class TrainFiles
{
    public static Metrics Write(RunFiles files, RunResult run, TextWriter log)
    {
        var (model, data) = (run.Job.Model, run.Job.Data);
        // metrics.json marks a finished run and is written last: remove an older one first, so a failed write below never leaves it beside newer files.
        File.Delete(files.PathOf("metrics.json"));
        files.WriteEmbeddings(data, run.Embeddings.Values);
        run.Training.Save(files.PathOf(SavedEncoder.FileName), data);
        TryPlotLoss(files, model.DeclaredName, data.Name, run.Training.Losses, log);
        var metrics = new Metrics(
            Tool: "graphssl " + typeof(TrainFiles).Assembly.GetName().Version?.ToString(3),
            Model: model.DeclaredName,
            Hyperparameters: ModelFactory.Describe(model),
            Dataset: data.Name,
            Graphs: data.GraphCount,
            Options: run.Job.Options,
            Losses: run.Training.Losses,
            EpochSeconds: run.Training.EpochSeconds,
            TrainSeconds: run.TrainSeconds,
            EmbeddingDim: run.Embeddings.Dimensions,
            Evaluation: run.Evaluation is null ? null : EvaluationReport.From(run.Evaluation));
        files.WriteJson("metrics.json", metrics);
        return metrics;
    }

    /// <summary>Draws loss.png (a warning on <paramref name="log"/>, not a failure, when the plotting library cannot load).</summary>
    internal static void TryPlotLoss(RunFiles files, string model, string dataset, IReadOnlyList<double> losses, TextWriter log)
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
}

/// <summary><c>train</c>'s summary on standard output: metrics.json as JSON, or the lines people read.</summary>
public static class TrainSummary
{
    public static void Print(Metrics metrics, string directory, bool json)
    {
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(metrics, Cli.Json));
            return;
        }
        var m = metrics;
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
                Console.WriteLine($"With only {EvaluationPlan.FewLabelsPerClass} labelled graphs per class (nearest class centroid, mean of 100 draws): " +
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
}
