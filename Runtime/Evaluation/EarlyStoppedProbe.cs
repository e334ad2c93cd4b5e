using System.Globalization;
using System.Numerics;
using GraphSSL.Data;

namespace GraphSSL.Evaluation;

/// <summary>Settings of <see cref="EarlyStoppedProbe"/>; the defaults are GraphMAE's for Cora (configs.yml lines 3, 8, 10).</summary>
public sealed record EarlyStoppedProbeOptions
{
    /// <summary>Adam learning rate (GraphMAE's <c>lr_f</c>).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>
    /// Adam's L2 weight decay (added to the gradient, as <c>torch.optim.Adam(weight_decay=…)</c>), on the weights and the
    /// biases alike (GraphMAE's <c>weight_decay_f</c>; utils.py <c>create_optimizer</c> passes every parameter).
    /// </summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Full-batch training epochs (GraphMAE's <c>max_epoch_f</c>); the kept epoch is chosen among them on validation.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Probe seeds (starting weights); the result is the mean ± sample std over them.</summary>
    public int Seeds { get; init; } = 20;

    /// <summary>The first seed; seeds are <c>FirstSeed … FirstSeed + Seeds − 1</c>.</summary>
    public int FirstSeed { get; init; }

    /// <summary>E.g. "linear layer by Adam (lr 0.01, weight decay 0.0001), 300 epochs, the epoch of best validation accuracy".</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "linear layer by Adam (lr {0}, weight decay {1}), {2} epochs, the epoch of best validation accuracy", LearningRate, WeightDecay, Epochs);
}

/// <summary>
/// The linear probe GraphMAE evaluates node embeddings with (THUDM/GraphMAE graphmae/evaluation.py,
/// <c>linear_probing_for_transductive_node_classiifcation</c>): a linear layer with softmax cross-entropy, trained full-batch
/// on the training nodes by Adam with L2 weight decay for a fixed number of epochs; after every step it is scored on the
/// validation nodes, the weights of the best validation accuracy are kept (a tie goes to the later epoch, as their
/// <c>val_acc &gt;= best_val_acc</c>), and the test nodes are scored once, with those weights — GraphMAE's
/// "early-stopping" accuracy. Unlike <see cref="NodeProbe"/> the fit is not run to convergence, so the starting weights
/// (PyTorch <c>nn.Linear</c>'s U(−1/√d, 1/√d), drawn from the probe seed) move the result. Sequential and deterministic.
/// </summary>
public static class EarlyStoppedProbe
{
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>Probes <paramref name="embeddings"/> (one row per node) with <paramref name="labels"/> (0 … K−1) on <paramref name="split"/>.</summary>
    public static NodeProbeResult Evaluate(double[][] embeddings, int[] labels, NodeSplit split, EarlyStoppedProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(split);
        options ??= new EarlyStoppedProbeOptions();
        if (embeddings.Length != labels.Length) throw new ArgumentException($"{embeddings.Length} embedding rows but {labels.Length} labels.", nameof(labels));
        if (options.Seeds < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Seeds, "Seeds must be at least 1.");
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be at least 1.");
        if (!(options.LearningRate > 0) || double.IsInfinity(options.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "The learning rate must be a positive, finite number.");
        if (!(options.WeightDecay >= 0) || double.IsInfinity(options.WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(options), options.WeightDecay, "The weight decay must be a non-negative, finite number.");
        if (split.Train.Length == 0 || split.Validation.Length == 0 || split.Test.Length == 0)
            throw new ArgumentException("The split needs training, validation and test nodes.", nameof(split));
        if (labels.Length > 0 && labels.Min() < 0) throw new ArgumentException("Labels must be 0 … K−1.", nameof(labels));
        foreach (int node in split.Train.Concat(split.Validation).Concat(split.Test))
            if ((uint)node >= (uint)embeddings.Length) throw new ArgumentException($"Split node {node} is outside the {embeddings.Length} embedding rows.", nameof(split));
        int dims = embeddings.Length == 0 ? 0 : embeddings[0].Length;
        foreach (var row in embeddings)
            if (row is null || row.Length != dims) throw new ArgumentException("Embedding rows differ in length.", nameof(embeddings));
        int classes = labels.Max() + 1;

        var seeds = new List<NodeProbeSeed>(options.Seeds);
        for (int s = 0; s < options.Seeds; s++)
        {
            int seed = options.FirstSeed + s;
            var (validation, test, epoch) = Fit(embeddings, labels, split, classes, options, seed);
            seeds.Add(new NodeProbeSeed(seed, null, validation, test, Converged: true, Epoch: epoch));
        }
        return NodeProbeResult.Of(seeds);
    }

    /// <summary>One probe seed: the best validation accuracy, the test accuracy of those weights and their epoch (1-based).</summary>
    static (double Validation, double Test, int Epoch) Fit(double[][] x, int[] y, NodeSplit split, int k, EarlyStoppedProbeOptions options, int seed)
    {
        int d = x[0].Length;
        // Parameters as one row per class: d weights then the bias. nn.Linear's reset_parameters draws both from U(−1/√d, 1/√d).
        var random = new Random(seed);
        double bound = 1 / Math.Sqrt(d);
        var theta = new double[k][];
        for (int c = 0; c < k; c++)
        {
            theta[c] = new double[d + 1];
            for (int j = 0; j <= d; j++) theta[c][j] = (2 * random.NextDouble() - 1) * bound;
        }
        var (validation, test, epoch, _) = Fit(x, y, split, options, theta);
        return (validation, test, epoch);
    }

    /// <summary>
    /// Trains from <paramref name="theta"/> (one row per class: weights, then the bias; updated in place to the LAST epoch's)
    /// and returns the best validation accuracy, the test accuracy of the kept weights, their epoch and the kept weights.
    /// </summary>
    internal static (double Validation, double Test, int Epoch, double[][] Kept) Fit(double[][] x, int[] y, NodeSplit split, EarlyStoppedProbeOptions options, double[][] theta)
    {
        int d = x[0].Length, k = theta.Length;
        var m = NewLike(theta);
        var v = NewLike(theta);
        var gradient = NewLike(theta);
        var best = NewLike(theta);
        var logits = new double[k];
        double bestValidation = -1;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            // Mean cross-entropy over the training nodes: ∂/∂logits = softmax − one-hot, divided by n.
            foreach (var g in gradient) Array.Clear(g);
            double scale = 1.0 / split.Train.Length;
            foreach (int node in split.Train)
            {
                Softmax(theta, x[node], logits);
                logits[y[node]] -= 1;
                for (int c = 0; c < k; c++)
                {
                    double a = logits[c] * scale;
                    Axpy(a, x[node], gradient[c]);
                    gradient[c][d] += a;
                }
            }
            // torch.optim.Adam (no amsgrad): g += λθ; m, v moving averages; θ −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
            double correction1 = 1 - Math.Pow(Beta1, epoch), correction2 = Math.Sqrt(1 - Math.Pow(Beta2, epoch));
            double step = options.LearningRate / correction1;
            for (int c = 0; c < k; c++)
            {
                double[] p = theta[c], g = gradient[c], mc = m[c], vc = v[c];
                for (int j = 0; j <= d; j++)
                {
                    double gj = g[j] + options.WeightDecay * p[j];
                    mc[j] = Beta1 * mc[j] + (1 - Beta1) * gj;
                    vc[j] = Beta2 * vc[j] + (1 - Beta2) * gj * gj;
                    p[j] -= step * mc[j] / (Math.Sqrt(vc[j]) / correction2 + Epsilon);
                }
            }
            double validation = Accuracy(theta, x, y, split.Validation, logits);
            if (validation >= bestValidation)
            {
                bestValidation = validation;
                bestEpoch = epoch;
                for (int c = 0; c < k; c++) Array.Copy(theta[c], best[c], d + 1);
            }
        }
        // The test nodes are looked at once, with the kept weights.
        return (bestValidation, Accuracy(best, x, y, split.Test, logits), bestEpoch, best);
    }

    static double[][] NewLike(double[][] rows) => rows.Select(r => new double[r.Length]).ToArray();

    /// <summary>Writes softmax(θ·[x; 1]) into <paramref name="output"/>.</summary>
    static void Softmax(double[][] theta, double[] x, double[] output)
    {
        int d = x.Length;
        double max = double.NegativeInfinity;
        for (int c = 0; c < theta.Length; c++)
        {
            output[c] = KernelData.Dot(theta[c].AsSpan(0, d), x) + theta[c][d];
            if (output[c] > max) max = output[c];
        }
        double sum = 0;
        for (int c = 0; c < theta.Length; c++) sum += output[c] = Math.Exp(output[c] - max);
        for (int c = 0; c < theta.Length; c++) output[c] /= sum;
    }

    /// <summary>Share of <paramref name="nodes"/> whose largest logit (the first, on ties, as torch.argmax) is their label.</summary>
    static double Accuracy(double[][] theta, double[][] x, int[] y, int[] nodes, double[] logits)
    {
        int correct = 0;
        foreach (int node in nodes)
        {
            int d = x[node].Length, arg = 0;
            for (int c = 0; c < theta.Length; c++)
            {
                logits[c] = KernelData.Dot(theta[c].AsSpan(0, d), x[node]) + theta[c][d];
                if (logits[c] > logits[arg]) arg = c;
            }
            if (arg == y[node]) correct++;
        }
        return (double)correct / nodes.Length;
    }

    /// <summary>ys[0 … x.Length) += a · x.</summary>
    static void Axpy(double a, double[] x, double[] ys)
    {
        var xs = x.AsSpan();
        var target = ys.AsSpan(0, x.Length);
        int w = Vector<double>.Count, i = 0;
        var va = new Vector<double>(a);
        for (; i + w <= xs.Length; i += w)
            (new Vector<double>(target.Slice(i, w)) + va * new Vector<double>(xs.Slice(i, w))).CopyTo(target.Slice(i, w));
        for (; i < xs.Length; i++) target[i] += a * xs[i];
    }
}
