using System.Diagnostics;
using GraphSSL.Data;
using GraphSSL.Evaluation;
using GraphSSL.Training;

namespace GraphSSL.Cli.Pipeline;

/// <summary>
/// What a run tells whoever watches it (the console, TensorBoard). The pipeline itself never prints: it calls these,
/// and the command decides what they show. Every member has a do-nothing default.
/// </summary>
public interface IRunObserver
{
    /// <summary>The run is about to train: options resolved, <paramref name="pretrain"/> the graphs pre-training sees.</summary>
    void Starting(RunJob job, GraphData pretrain) { }

    /// <summary>
    /// Runs <paramref name="train"/>, which trains the model reporting each epoch to the progress it is given. A display
    /// may surround the call (a progress bar) and pass its own progress; the default trains without one.
    /// </summary>
    TrainResult<ISslModel> Training(RunJob job, Func<IProgress<EpochReport>?, TrainResult<ISslModel>> train) => train(null);

    /// <summary>Training and embedding are done; the evaluation starts.</summary>
    void Evaluating(RunJob job) { }
}

/// <summary>Observes nothing.</summary>
public sealed class NoObserver : IRunObserver
{
    public static readonly NoObserver Instance = new();
}

/// <summary>Embeddings on the host: copied from the tensor once, as float32 (the files) and as double rows (the evaluators).</summary>
public sealed class Embeddings
{
    Embeddings(float[,] values)
    {
        Values = values;
        int n = values.GetLength(0), d = values.GetLength(1);
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[d];
            for (int j = 0; j < d; j++) rows[i][j] = values[i, j];
        }
        Rows = rows;
    }

    /// <summary><c>[graphs, dims]</c> as the model computed them (float32).</summary>
    public float[,] Values { get; }

    /// <summary>The same numbers as rows of doubles, for the evaluators.</summary>
    public double[][] Rows { get; }

    /// <summary>Embedding dimensions.</summary>
    public int Dimensions => Values.GetLength(1);

    /// <summary>Copies a <c>[graphs, dims]</c> embedding tensor (any device) to the host.</summary>
    public static Embeddings From(TorchSharp.torch.Tensor tensor)
    {
        if (tensor.dim() != 2) throw new ArgumentException($"Expected [graphs, dims] embeddings, got {tensor.dim()} dimensions.", nameof(tensor));
        int rows = (int)tensor.shape[0], cols = (int)tensor.shape[1];
        using var host = tensor.detach().to(TorchSharp.torch.ScalarType.Float32).cpu().contiguous();
        var flat = host.data<float>().ToArray();
        var values = new float[rows, cols];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(float));
        return new Embeddings(values);
    }
}

/// <summary>A run's evaluation: the trained encoder's, and the untrained twin's and few-label numbers when planned.</summary>
/// <param name="Trained">Cross-validation of the trained embeddings under the protocol.</param>
/// <param name="Untrained">The same for the untrained twin, or null.</param>
/// <param name="FewLabelTrained">Few-label probe accuracy of the trained embeddings (null: not planned, or a class too small).</param>
/// <param name="FewLabelUntrained">The same for the untrained twin.</param>
/// <param name="Seconds">Time the cross-validations took (not the twin's zero-epoch build).</param>
public sealed record RunEvaluation(EvalResult Trained, EvalResult? Untrained, double? FewLabelTrained, double? FewLabelUntrained, double Seconds);

/// <summary>What <see cref="TrainAndEvaluate.Run"/> produced: the trained model, its embeddings of every graph, the evaluation and timings.</summary>
public sealed class RunResult : IDisposable
{
    internal RunResult(RunJob job, GraphData pretrain, TrainResult<ISslModel> training, Embeddings embeddings, double trainSeconds, double embedSeconds, RunEvaluation? evaluation)
        => (Job, Pretrain, Training, Embeddings, TrainSeconds, EmbedSeconds, Evaluation) = (job, pretrain, training, embeddings, trainSeconds, embedSeconds, evaluation);

    /// <summary>The job that ran.</summary>
    public RunJob Job { get; }
    /// <summary>The graphs pre-training saw.</summary>
    public GraphData Pretrain { get; }
    /// <summary>The trained model: loss history, epoch times, the encoder (to save).</summary>
    public TrainResult<ISslModel> Training { get; }
    /// <summary>The trained encoder's embeddings of every graph of <see cref="RunJob.Data"/>.</summary>
    public Embeddings Embeddings { get; }
    /// <summary>Wall time of training.</summary>
    public double TrainSeconds { get; }
    /// <summary>Wall time of embedding every graph (and copying to the host).</summary>
    public double EmbedSeconds { get; }
    /// <summary>The evaluation, or null when the job planned none.</summary>
    public RunEvaluation? Evaluation { get; }

    public void Dispose() => Training.Dispose();
}

/// <summary>
/// The one train-and-evaluate path of the tool: protocol split → train (resuming from a checkpoint when the options
/// say so) → embed every graph once → evaluate (and the untrained twin) → <see cref="RunResult"/>. Writes no file and
/// prints nothing: the commands hand the result to the writers in <c>Output/</c>.
/// </summary>
public static class TrainAndEvaluate
{
    public static RunResult Run(RunJob job, IRunObserver observer, CancellationToken cancellationToken)
    {
        // Under the study protocol pre-training sees only the seeded 90 %; every graph is embedded.
        var pretrain = job.Protocol.PretrainSet(job.Data, job.SplitSeed);
        observer.Starting(job, pretrain);

        var clock = Stopwatch.StartNew();
        var training = observer.Training(job, progress => job.Model.Train(pretrain, job.Options, progress, cancellationToken));
        try
        {
            var trainSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            Embeddings embeddings;
            using (var tensor = training.Embed(job.Data))
                embeddings = Embeddings.From(tensor);
            var embedSeconds = clock.Elapsed.TotalSeconds;

            var evaluation = job.Evaluation is null ? null : Evaluate(job, job.Evaluation, pretrain, embeddings, observer, cancellationToken);
            return new RunResult(job, pretrain, training, embeddings, trainSeconds, embedSeconds, evaluation);
        }
        catch
        {
            training.Dispose();
            throw;
        }
    }

    static RunEvaluation Evaluate(RunJob job, EvaluationPlan plan, GraphData pretrain, Embeddings trained, IRunObserver observer, CancellationToken cancellationToken)
    {
        observer.Evaluating(job);
        Embeddings? untrained = null;
        if (plan.UntrainedTwin)
        {
            // The same model, seed and shape, trained for zero epochs.
            using var twin = job.Model.Train(pretrain, job.Options with { Epochs = 0, CheckpointDirectory = null, Resume = false }, null, cancellationToken);
            using var tensor = twin.Embed(job.Data);
            untrained = Embeddings.From(tensor);
        }
        var labels = job.Data.Labels;
        var clock = Stopwatch.StartNew();
        var untrainedResult = untrained is null ? null : job.Protocol.Evaluate(untrained.Rows, labels, plan.Options, job.SplitSeed);
        var trainedResult = job.Protocol.Evaluate(trained.Rows, labels, plan.Options, job.SplitSeed);
        var seconds = clock.Elapsed.TotalSeconds;
        double? fewUntrained = null, fewTrained = null;
        if (plan.FewLabels)
        {
            var rows = job.Protocol.EvaluateIndices(labels, job.SplitSeed);
            fewUntrained = untrained is null ? null : FewLabels(untrained.Rows, labels, rows, job.Options.Seed);
            fewTrained = FewLabels(trained.Rows, labels, rows, job.Options.Seed);
        }
        return new RunEvaluation(trainedResult, untrainedResult, fewTrained, fewUntrained, seconds);
    }

    /// <summary>Nearest-centroid accuracy from <see cref="EvaluationPlan.FewLabelsPerClass"/> labelled graphs per class (100 draws), or null when a class is too small.</summary>
    static double? FewLabels(double[][] x, int[] labels, int[] rows, long seed)
    {
        const int perClass = EvaluationPlan.FewLabelsPerClass;
        var y = rows.Select(i => labels[i]).ToArray();
        if (Enumerable.Range(0, labels.Max() + 1).Any(c => y.Count(v => v == c) <= perClass)) return null;
        return FewShot.CentroidAccuracy(rows.Select(i => x[i]).ToArray(), y, perClass, draws: 100, seed: unchecked((int)seed));
    }
}
