using System.Globalization;
using GraphSSL.Data;

namespace GraphSSL.Evaluation;

/// <summary>Settings of <see cref="NodeProbe"/>.</summary>
public sealed record NodeProbeOptions
{
    /// <summary>
    /// Inverse L2 strengths C tried (scikit-learn's C; the penalty is ‖W‖²/(2C) on the summed loss, i.e. a weight
    /// decay of 1/(C·n_train) on the mean loss). The one with the best validation accuracy is kept; ties go to
    /// the smaller C (stronger regularisation). The grid reaches 1e6 because node embeddings of row-normalised
    /// bag-of-words features are small (entries ~1e-2 for a random GCN on Cora): with the earlier top of 100, the
    /// trained GRACE, DGI and GraphMAE encoders all chose the largest C on every probe seed, i.e. the grid, not
    /// validation, set their regularisation (docs/RESULTS.md, node level).
    /// </summary>
    public IReadOnlyList<double> C { get; init; } = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6];

    /// <summary>Probe seeds (starting weights); the result is the mean ± sample std over them.</summary>
    public int Seeds { get; init; } = 20;

    /// <summary>The first seed; seeds are <c>FirstSeed … FirstSeed + Seeds − 1</c>.</summary>
    public int FirstSeed { get; init; }

    /// <summary>Standardise every column with the mean and std of the TRAINING rows before fitting.</summary>
    public bool Standardize { get; init; }

    /// <summary>L-BFGS iteration limit per fit.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>L-BFGS gradient tolerance (largest entry of the gradient of the mean objective).</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>Probe seeds fitted at once (null: processor count). Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>One probe seed: what was chosen on validation (a C, or an epoch) and the accuracies it gives.</summary>
/// <param name="Seed">Probe seed.</param>
/// <param name="C">The C with the best validation accuracy (<see cref="NodeProbe"/>); null for <see cref="EarlyStoppedProbe"/>.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation nodes of the chosen fit, in [0, 1].</param>
/// <param name="TestAccuracy">Accuracy on the test nodes of the chosen fit, in [0, 1].</param>
/// <param name="Converged">Whether the chosen fit met the gradient tolerance (always true for the early-stopped probe, which has none).</param>
/// <param name="Epoch">The epoch (1-based) with the best validation accuracy (<see cref="EarlyStoppedProbe"/>); null for <see cref="NodeProbe"/>.</param>
public sealed record NodeProbeSeed(int Seed, double? C, double ValidationAccuracy, double TestAccuracy, bool Converged, int? Epoch = null);

/// <summary>Test accuracy of the <see cref="NodeProbe"/> over probe seeds.</summary>
/// <param name="Mean">Mean test accuracy over seeds, in [0, 1].</param>
/// <param name="Std">Sample standard deviation (n − 1) of the per-seed test accuracies; 0 for one seed.</param>
/// <param name="MeanValidation">Mean validation accuracy of the chosen C.</param>
/// <param name="PerSeed">Each seed's choice and accuracies.</param>
public sealed record NodeProbeResult(double Mean, double Std, double MeanValidation, IReadOnlyList<NodeProbeSeed> PerSeed)
{
    /// <summary>Mean and sample std of the seeds' test accuracies, mean validation accuracy.</summary>
    internal static NodeProbeResult Of(IReadOnlyList<NodeProbeSeed> seeds)
    {
        double mean = seeds.Average(r => r.TestAccuracy);
        double std = seeds.Count > 1 ? Math.Sqrt(seeds.Sum(r => (r.TestAccuracy - mean) * (r.TestAccuracy - mean)) / (seeds.Count - 1)) : 0;
        return new NodeProbeResult(mean, std, seeds.Average(r => r.ValidationAccuracy), seeds);
    }

    /// <summary>E.g. "57.90 ± 0.05 (20 probe seeds; validation 58.10)", in percent, invariant culture.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0:F2} ± {1:F2} ({2} probe seed{3}; validation {4:F2})", 100 * Mean, 100 * Std, PerSeed.Count, PerSeed.Count == 1 ? "" : "s", 100 * MeanValidation);
}

/// <summary>
/// The linear probe of node embeddings on a fixed split (the node-level protocol of DGI, GRACE, BGRL…): frozen
/// embeddings, a multinomial <see cref="LogisticRegression"/> trained on the training nodes, its L2 strength
/// chosen on the validation nodes ONLY (the test nodes are looked at once, for the chosen C), test accuracy
/// reported as mean ± std over probe seeds. A seed sets the probe's starting weights; the regularised
/// problem is strictly convex, so seeds differ only where a fit stops short of convergence — expect a std
/// near zero, unlike the ± of probes trained by SGD from random starts. Sequential and deterministic.
/// </summary>
public static class NodeProbe
{
    /// <summary>Probes <paramref name="embeddings"/> (one row per node) with <paramref name="labels"/> on <paramref name="split"/>.</summary>
    public static NodeProbeResult Evaluate(double[][] embeddings, int[] labels, NodeSplit split, NodeProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(split);
        if (embeddings.Length != labels.Length) throw new ArgumentException($"{embeddings.Length} embedding rows but {labels.Length} labels.", nameof(labels));
        double[][] Rows(int[] nodes) => nodes.Select(v => embeddings[v]).ToArray();
        return Evaluate(Rows(split.Train), Rows(split.Validation), Rows(split.Test), labels, split, options);
    }

    /// <summary>Probes the raw node features of <paramref name="data"/> on its split (the "raw features" baseline).</summary>
    public static NodeProbeResult Evaluate(NodeData data, NodeProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = data.Split;
        return Evaluate(data.FeatureRows(s.Train), data.FeatureRows(s.Validation), data.FeatureRows(s.Test), data.Labels, s, options);
    }

    static NodeProbeResult Evaluate(double[][] train, double[][] validation, double[][] test, int[] labels, NodeSplit split, NodeProbeOptions? options)
    {
        options ??= new NodeProbeOptions();
        if (options.Seeds < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Seeds, "Seeds must be at least 1.");
        if (options.C.Count == 0 || options.C.Any(c => !(c > 0) || double.IsInfinity(c)))
            throw new ArgumentOutOfRangeException(nameof(options), "C must hold at least one positive, finite value.");
        if (split.Train.Length == 0 || split.Validation.Length == 0 || split.Test.Length == 0)
            throw new ArgumentException("The split needs training, validation and test nodes.", nameof(split));
        int dims = train[0].Length;
        foreach (var row in train.Concat(validation).Concat(test))
            if (row is null || row.Length != dims) throw new ArgumentException("Embedding rows differ in length.", nameof(train));
        int[] Labels(int[] nodes) => nodes.Select(v => labels[v]).ToArray();
        var yTrain = Labels(split.Train);
        var yValidation = Labels(split.Validation);
        var yTest = Labels(split.Test);
        if (options.Standardize)
        {
            var scaler = Standardizer.Fit(train);
            (train, validation, test) = (scaler.Transform(train), scaler.Transform(validation), scaler.Transform(test));
        }
        if (options.MaxDegreeOfParallelism is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be ≥ 1.");
        var grid = options.C.Order().ToArray();
        // Seeds are independent (each has its own Random) and land in their own slot: the result does not depend on
        // how many run at once.
        var seeds = new NodeProbeSeed[options.Seeds];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, options.Seeds, parallel, s =>
        {
            int seed = options.FirstSeed + s;
            var random = new Random(seed);
            NodeProbeSeed? best = null;
            LogisticRegressionModel? bestModel = null;
            foreach (double c in grid)
            {
                var model = LogisticRegression.Fit(train, yTrain, c, options.MaxIterations, options.Tolerance, random);
                double accuracy = Accuracy(model.Predict(validation), yValidation);
                if (best is null || accuracy > best.ValidationAccuracy)
                {
                    best = new NodeProbeSeed(seed, c, accuracy, double.NaN, model.Converged);
                    bestModel = model;
                }
            }
            seeds[s] = best! with { TestAccuracy = Accuracy(bestModel!.Predict(test), yTest) };
        });
        return NodeProbeResult.Of(seeds);
    }

    static double Accuracy(int[] predicted, int[] truth)
    {
        int correct = 0;
        for (int i = 0; i < truth.Length; i++) if (predicted[i] == truth[i]) correct++;
        return (double)correct / truth.Length;
    }
}
