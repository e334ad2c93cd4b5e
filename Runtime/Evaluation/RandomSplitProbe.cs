using System.Globalization;

namespace GraphSSL.Evaluation;

/// <summary>
/// Settings of <see cref="RandomSplitProbe"/>; the defaults are GRACE's (CRIPAC-DIG/GRACE eval.py, <c>label_classification</c>,
/// called with <c>ratio=0.1</c> by train.py <c>test</c>).
/// </summary>
public sealed record RandomSplitProbeOptions
{
    /// <summary>Fraction of the nodes the probe trains on; the rest are the test nodes (eval.py: <c>train_test_split(…, test_size=1 - ratio)</c>, ratio 0.1).</summary>
    public double TrainFraction { get; init; } = 0.1;

    /// <summary>The C grid searched (liblinear's C on the summed loss): 2^−10 … 2^9 (eval.py: <c>c = 2.0 ** np.arange(-10, 10)</c>).</summary>
    public IReadOnlyList<double> C { get; init; } = Enumerable.Range(-10, 20).Select(e => Math.Pow(2, e)).ToArray();

    /// <summary>Folds of the grid search on the training nodes (eval.py: <c>GridSearchCV(…, cv=5)</c>; unshuffled, as scikit-learn's KFold for a label matrix).</summary>
    public int InnerFolds { get; init; } = 5;

    /// <summary>
    /// Random splits (probe seeds) to average over: 3, as GRACE's eval.py (<c>@repeat(3)</c>; its splits are unseeded, ours are
    /// seeds <see cref="FirstSeed"/> …). A split's 20 × 5 cross-validation fits per class make it ~100 times the work of one fit.
    /// </summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The first seed; seeds are <c>FirstSeed … FirstSeed + Seeds − 1</c>.</summary>
    public int FirstSeed { get; init; }

    /// <summary>L-BFGS iteration limit per binary fit.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>L-BFGS gradient tolerance (largest entry of the gradient of the mean objective).</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>Splits evaluated at once (null: processor count). Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>E.g. "random 10 % / 90 % split, L2-normalised rows, one-vs-rest logistic regression, C from 2^-10…2^9 by 5-fold CV".</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "random {0:0.##} % / {1:0.##} % split of all nodes, L2-normalised rows, one-vs-rest logistic regression with a penalised bias, C from {2} values by {3}-fold CV on the training nodes",
        100 * TrainFraction, 100 * (1 - TrainFraction), C.Count, InnerFolds);
}

/// <summary>
/// The probe GRACE evaluates node embeddings with (CRIPAC-DIG/GRACE eval.py, <c>label_classification</c>): rows L2-normalised
/// (<c>sklearn.preprocessing.normalize</c>), a random split of ALL nodes (not the public split) into 10 % training and 90 % test
/// nodes, a one-vs-rest logistic regression (<c>OneVsRestClassifier(LogisticRegression(solver='liblinear'))</c>: one binary
/// L2-regularised problem per class, the bias a penalised constant feature) whose C is chosen by 5-fold cross-validation on the
/// training nodes (<c>GridSearchCV</c>; with one-hot targets its score is the exact-match accuracy of the thresholded one-vs-rest
/// predictions and its folds are unshuffled; ties go to the first, i.e. smallest, C), refitted on all training nodes, and
/// scored on the test nodes by the arg-max class (micro-F1, which is the accuracy here). No validation nodes exist in this
/// protocol: a seed's <see cref="NodeProbeSeed.ValidationAccuracy"/> is the chosen C's mean cross-validation score.
/// Each binary problem is solved to convergence by <see cref="LogisticRegression"/> (a two-class softmax with both
/// intercepts penalised and C halved is the same problem as liblinear's binary one). Deterministic for given seeds.
/// </summary>
public static class RandomSplitProbe
{
    /// <summary>Probes <paramref name="embeddings"/> (one row per node) with <paramref name="labels"/> (0 … K−1).</summary>
    public static NodeProbeResult Evaluate(double[][] embeddings, int[] labels, RandomSplitProbeOptions? options = null)
    {
        options ??= new RandomSplitProbeOptions();
        Check(embeddings, labels, options);
        if (options.Seeds < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Seeds, "Seeds must be at least 1.");
        if (!(options.TrainFraction > 0 && options.TrainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainFraction, "The training fraction must lie strictly between 0 and 1.");
        if (options.MaxDegreeOfParallelism is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "Must be ≥ 1.");
        int n = embeddings.Length;
        int testCount = (int)Math.Ceiling((1 - options.TrainFraction) * n - 1e-9), trainCount = n - testCount; // scikit-learn: n_test = ceil(test_size · n)
        if (trainCount < options.InnerFolds || testCount < 1)
            throw new ArgumentException($"{n} nodes give {trainCount} training and {testCount} test nodes: too few for {options.InnerFolds}-fold cross-validation.", nameof(embeddings));
        var x = embeddings.Select(Normalize).ToArray();
        int classes = labels.Max() + 1;
        var grid = options.C.Order().ToArray();

        var seeds = new NodeProbeSeed[options.Seeds];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, options.Seeds, parallel, s =>
        {
            var (train, test) = Split(n, trainCount, options.FirstSeed + s);
            seeds[s] = One(x, labels, classes, grid, options, options.FirstSeed + s, train, test);
        });
        return NodeProbeResult.Of(seeds);
    }

    /// <summary>
    /// The same probe on a split given instead of drawn: GRACE's eval.py with <c>split='public'</c>, as DGL's port of GRACE runs it
    /// for public-split numbers (dmlc/dgl examples/pytorch/grace/eval.py, <c>label_classification</c>: <c>X_train = X[train_mask]</c>,
    /// <c>X_test = X[test_mask]</c>, then the same normalisation, one-vs-rest grid search and refit). C is chosen by
    /// <see cref="RandomSplitProbeOptions.InnerFolds"/>-fold cross-validation over <paramref name="train"/> in the order given;
    /// <paramref name="test"/> is scored once. The split being fixed and the solver deterministic, there is one result (reported
    /// as seed 0; eval.py's three repeats would all be it); <see cref="RandomSplitProbeOptions.TrainFraction"/>,
    /// <see cref="RandomSplitProbeOptions.Seeds"/> and <see cref="RandomSplitProbeOptions.FirstSeed"/> do not apply.
    /// </summary>
    public static NodeProbeResult EvaluateOn(double[][] embeddings, int[] labels, int[] train, int[] test, RandomSplitProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new RandomSplitProbeOptions();
        Check(embeddings, labels, options);
        int n = embeddings.Length;
        foreach (var (nodes, name) in new[] { (train, nameof(train)), (test, nameof(test)) })
            foreach (int v in nodes)
                if (v < 0 || v >= n) throw new ArgumentOutOfRangeException(name, v, $"Node {v} is not one of the {n} nodes.");
        if (train.Distinct().Count() != train.Length) throw new ArgumentException("A training node is listed twice.", nameof(train));
        if (train.Intersect(test).FirstOrDefault(-1) is int shared and >= 0)
            throw new ArgumentException($"Node {shared} is both a training and a test node.", nameof(test));
        if (train.Length < options.InnerFolds || test.Length < 1)
            throw new ArgumentException($"{train.Length} training and {test.Length} test nodes: too few for {options.InnerFolds}-fold cross-validation and a test.", nameof(train));
        var x = embeddings.Select(Normalize).ToArray();
        int classes = labels.Max() + 1;
        return NodeProbeResult.Of([One(x, labels, classes, options.C.Order().ToArray(), options, 0, train, test)]);
    }

    /// <summary>What both entry points require of the embeddings, the labels and the options they share.</summary>
    static void Check(double[][] embeddings, int[] labels, RandomSplitProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (embeddings.Length != labels.Length) throw new ArgumentException($"{embeddings.Length} embedding rows but {labels.Length} labels.", nameof(labels));
        if (options.InnerFolds < 2) throw new ArgumentOutOfRangeException(nameof(options), options.InnerFolds, "At least 2 folds are needed.");
        if (options.C.Count == 0 || options.C.Any(c => !(c > 0) || double.IsInfinity(c)))
            throw new ArgumentOutOfRangeException(nameof(options), "C must hold at least one positive, finite value.");
        if (labels.Length > 0 && labels.Min() < 0) throw new ArgumentException("Labels must be 0 … K−1.", nameof(labels));
        int dims = embeddings.Length == 0 ? 0 : embeddings[0].Length;
        foreach (var row in embeddings)
            if (row is null || row.Length != dims) throw new ArgumentException("Embedding rows differ in length.", nameof(embeddings));
    }

    /// <summary>One split: C by cross-validation on its training nodes (in their order), then the test accuracy of the refit.</summary>
    static NodeProbeSeed One(double[][] x, int[] y, int classes, double[] grid, RandomSplitProbeOptions options, int seed, int[] train, int[] test)
    {
        int trainCount = train.Length;
        // KFold without shuffling over the training nodes in their order: the first n % k folds hold one more.
        int k = options.InnerFolds, baseSize = trainCount / k, extra = trainCount % k;
        var score = new double[grid.Length];
        bool converged = true;
        for (int f = 0, start = 0; f < k; f++)
        {
            int size = baseSize + (f < extra ? 1 : 0);
            var foldTest = train[start..(start + size)];
            var foldTrain = train[..start].Concat(train[(start + size)..]).ToArray();
            start += size;
            var problems = OneVsRest.Problems(x, y, foldTrain, classes); // the same for every C
            for (int g = 0; g < grid.Length; g++)
            {
                var machine = OneVsRest.Fit(problems, grid[g], options);
                converged &= machine.Converged;
                score[g] += ExactMatch(machine, x, y, foldTest) / k;
            }
        }
        int best = 0;
        for (int g = 1; g < grid.Length; g++) if (score[g] > score[best]) best = g; // ties → the smaller C
        var final = OneVsRest.Fit(OneVsRest.Problems(x, y, train, classes), grid[best], options);
        int correct = 0;
        foreach (int node in test) if (final.ArgMax(x[node]) == y[node]) correct++;
        return new NodeProbeSeed(seed, grid[best], score[best], (double)correct / test.Length, converged && final.Converged);
    }

    /// <summary>A seeded permutation of the <paramref name="n"/> nodes: the first <paramref name="trainCount"/> train, the rest test (each part in the permutation's order).</summary>
    internal static (int[] Train, int[] Test) Split(int n, int trainCount, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return (order[..trainCount], order[trainCount..]);
    }

    /// <summary>Mean exact-match accuracy of the thresholded one-vs-rest predictions (what GridSearchCV scores with one-hot targets).</summary>
    static double ExactMatch(OneVsRest machine, double[][] x, int[] y, int[] nodes)
    {
        int correct = 0;
        foreach (int node in nodes)
        {
            bool exact = true;
            for (int c = 0; c < machine.Classes && exact; c++) exact = machine.Decision(c, x[node]) > 0 == (y[node] == c);
            if (exact) correct++;
        }
        return (double)correct / nodes.Length;
    }

    /// <summary>The row divided by its Euclidean norm; a zero row stays zero (scikit-learn's <c>normalize</c>).</summary>
    static double[] Normalize(double[] row)
    {
        double norm = Math.Sqrt(KernelData.Dot(row, row));
        return norm == 0 ? (double[])row.Clone() : row.Select(v => v / norm).ToArray();
    }

    /// <summary>One binary logistic regression per class, each with liblinear's objective.</summary>
    sealed class OneVsRest
    {
        readonly LogisticRegressionModel?[] models;
        readonly double[] constant; // a class with no positive (−∞) or no negative (+∞) training node: a constant decision

        OneVsRest(LogisticRegressionModel?[] models, double[] constant)
        {
            this.models = models;
            this.constant = constant;
            Converged = models.All(m => m is null || m.Converged);
        }

        public int Classes => models.Length;
        public bool Converged { get; }

        /// <summary>The training rows of <paramref name="nodes"/> and each class's 0/1 targets over them.</summary>
        public static (double[][] Rows, int[][] Targets) Problems(double[][] x, int[] y, int[] nodes, int classes)
            => (nodes.Select(v => x[v]).ToArray(), Enumerable.Range(0, classes).Select(cls => nodes.Select(v => y[v] == cls ? 1 : 0).ToArray()).ToArray());

        public static OneVsRest Fit((double[][] Rows, int[][] Targets) problems, double c, RandomSplitProbeOptions options)
        {
            int classes = problems.Targets.Length;
            var models = new LogisticRegressionModel?[classes];
            var constant = new double[classes];
            for (int cls = 0; cls < classes; cls++)
            {
                var target = problems.Targets[cls];
                if (target.All(t => t == 0)) { constant[cls] = double.NegativeInfinity; continue; }
                if (target.All(t => t == 1)) { constant[cls] = double.PositiveInfinity; continue; }
                // liblinear's binary problem with C is the two-class softmax with C / 2 and both intercepts penalised.
                models[cls] = LogisticRegression.Fit(problems.Rows, target, c / 2, options.MaxIterations, options.Tolerance, null, penalizeIntercepts: true);
            }
            return new OneVsRest(models, constant);
        }

        /// <summary>The class's decision value: positive when its binary problem predicts the class.</summary>
        public double Decision(int cls, double[] row)
        {
            if (models[cls] is not { } m) return constant[cls];
            var z = m.Scores(row); // classes [0, 1]: the margin is z₁ − z₀
            return z[1] - z[0];
        }

        /// <summary>The class with the largest decision value (the arg-max of predict_proba; ties → the smaller class).</summary>
        public int ArgMax(double[] row)
        {
            int best = 0;
            double bestValue = Decision(0, row);
            for (int cls = 1; cls < Classes; cls++)
            {
                double v = Decision(cls, row);
                if (v > bestValue) { best = cls; bestValue = v; }
            }
            return best;
        }
    }
}
