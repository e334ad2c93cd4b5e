namespace GraphSSL.Evaluation;

/// <summary>How <see cref="CrossValidation.Evaluate"/> runs.</summary>
/// <param name="Evaluator">Classifier (default RBF SVC).</param>
/// <param name="Folds">Outer stratified folds (default 10).</param>
/// <param name="InnerFolds">Inner stratified folds of the grid search over C (default 5; lowered to the training fold's size if needed).</param>
/// <param name="Seed">Seed of the outer split; the inner split of outer fold f uses <see cref="CrossValidation.InnerSeed"/>(Seed, f).</param>
/// <param name="CGrid">Values of C to search; null means <see cref="DefaultCGrid"/> = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1000}.</param>
public sealed record EvalOptions(Evaluator Evaluator = Evaluator.SvcRbf, int Folds = 10, int InnerFolds = 5, int Seed = 0, double[]? CGrid = null)
{
    /// <summary>{1e-3, 1e-2, 1e-1, 1, 10, 100, 1000}.</summary>
    public static IReadOnlyList<double> DefaultCGrid { get; } = [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    /// <summary>
    /// Fold tasks evaluated at once (null: processor count; 1: fully sequential). The tasks are the (outer, inner)
    /// fold pairs of the grid search, then the outer refits; when more than one runs at once, each computes its
    /// kernel matrices on its own thread. Results are bit-identical for any value.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// Standardise the embeddings with each training fold's own statistics before the classifier (default). False
    /// feeds them raw, as GraphCL's and InfoGraph's evaluation code does.
    /// </summary>
    public bool Standardize { get; init; } = true;

    /// <summary>Protocol name recorded in the result (<see cref="Evaluation.Protocol.Standard"/>'s unless <see cref="Evaluation.Protocol.Evaluate"/> sets it).</summary>
    public string Protocol { get; init; } = global::GraphSSL.Evaluation.Protocol.Standard.Name;

    /// <summary>The grid actually searched: distinct values, ascending (ties in accuracy go to the smaller C).</summary>
    public double[] ResolvedCGrid => (CGrid ?? DefaultCGrid).Distinct().Order().ToArray();

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public EvalOptions Validate()
    {
        if (Folds < 2) throw new ArgumentException($"Folds must be ≥ 2, was {Folds}.", nameof(Folds));
        if (InnerFolds < 2) throw new ArgumentException($"InnerFolds must be ≥ 2, was {InnerFolds}.", nameof(InnerFolds));
        if (CGrid is { Length: 0 }) throw new ArgumentException("CGrid must not be empty.", nameof(CGrid));
        if (CGrid is not null && CGrid.Any(c => !(c > 0) || double.IsInfinity(c))) throw new ArgumentException("Every C must be a positive number.", nameof(CGrid));
        if (MaxDegreeOfParallelism is < 1) throw new ArgumentException($"MaxDegreeOfParallelism must be ≥ 1, was {MaxDegreeOfParallelism}.", nameof(MaxDegreeOfParallelism));
        if (!Enum.IsDefined(Evaluator)) throw new ArgumentException($"Unknown evaluator {Evaluator}.", nameof(Evaluator));
        return this;
    }
}

/// <summary>Outcome of a nested cross-validation.</summary>
/// <param name="Accuracy">Mean test accuracy over the outer folds, in [0, 1].</param>
/// <param name="FoldStd">Population standard deviation (divide by the number of folds, numpy's default as in the GraphCL/InfoGraph evaluation code) of the fold accuracies.</param>
/// <param name="FoldAccuracies">Test accuracy of each outer fold.</param>
/// <param name="ChosenC">C picked by the inner grid search in each outer fold.</param>
/// <param name="Evaluator">Evaluator name: "svc-rbf", "svc-linear" or "logreg".</param>
/// <param name="Folds">Outer folds.</param>
/// <param name="Seed">Seed of the outer split.</param>
public sealed record EvalResult(double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, string Evaluator, int Folds, int Seed)
{
    /// <summary>Protocol the embeddings were evaluated under ("standard" or "study").</summary>
    public string Protocol { get; init; } = "standard";
    /// <summary>Samples evaluated.</summary>
    public int Samples { get; init; }
    /// <summary>Inner folds requested.</summary>
    public int InnerFolds { get; init; }
    /// <summary>Grid of C searched (ascending).</summary>
    public double[] CGrid { get; init; } = [];
    /// <summary>False if any classifier fit stopped at its iteration cap before reaching its tolerance.</summary>
    public bool AllConverged { get; init; } = true;
    /// <summary>
    /// Validation accuracy of each outer fold: the inner grid search's best mean accuracy (the chosen C's), computed on
    /// that fold's training rows only; NaN where there was no search (a one-value grid). Selecting among models by it,
    /// fold by fold, never looks at a test fold.
    /// </summary>
    public double[] FoldValidation { get; init; } = [];

    /// <summary>Same numbers (not the same array instances): for comparing two runs.</summary>
    public bool SameAs(EvalResult other) =>
        Accuracy.Equals(other.Accuracy) && FoldStd.Equals(other.FoldStd) && FoldAccuracies.SequenceEqual(other.FoldAccuracies)
        && ChosenC.SequenceEqual(other.ChosenC) && Evaluator == other.Evaluator && Folds == other.Folds && Seed == other.Seed
        && Protocol == other.Protocol && Samples == other.Samples && InnerFolds == other.InnerFolds && CGrid.SequenceEqual(other.CGrid)
        && AllConverged == other.AllConverged && FoldValidation.SequenceEqual(other.FoldValidation);
}

/// <summary>
/// Nested stratified cross-validation of a classifier on fixed features (e.g. frozen graph embeddings):
/// for each outer fold, standardise with the training fold's statistics, choose C by an inner stratified
/// k-fold grid search on the training fold (each inner fold standardised with its own training part;
/// best mean inner accuracy, ties → smaller C), refit on the whole training fold and score the outer test
/// fold. The (outer, inner) fold pairs, then the outer refits, may run in parallel; every one is computed
/// independently and deterministically and they are combined in fold order, so the result does not depend on
/// scheduling.
/// </summary>
public static class CrossValidation
{
    /// <summary>Seed of the inner split inside outer fold <paramref name="fold"/>: <c>seed · 1,000,003 + 7,919 · (fold + 1)</c> (wrapping).</summary>
    public static int InnerSeed(int seed, int fold) => unchecked(seed * 1_000_003 + 7_919 * (fold + 1));

    /// <summary>Runs the nested cross-validation of <paramref name="options"/> on rows <paramref name="x"/> with labels <paramref name="y"/>.</summary>
    public static EvalResult Evaluate(double[][] x, int[] y, EvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} samples but {y.Length} labels.", nameof(y));
        if (x.Length < options.Folds) throw new ArgumentException($"{x.Length} samples cannot fill {options.Folds} folds.", nameof(x));
        if (x.Length > 0)
        {
            int f = x[0].Length;
            if (x.Any(r => r is null || r.Length != f)) throw new ArgumentException("Rows differ in length.", nameof(x));
            if (x.Any(r => r.Any(v => !double.IsFinite(v)))) throw new ArgumentException("Features contain NaN or infinity.", nameof(x));
        }
        var grid = options.ResolvedCGrid;
        var outer = StratifiedKFold.Split(y, options.Folds, options.Seed);
        var accuracies = new double[outer.Count];
        var chosen = new double[outer.Count];
        var validation = new double[outer.Count];
        Array.Fill(validation, double.NaN);
        var converged = new bool[outer.Count];
        Array.Fill(converged, true);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        var buffers = new EvalBuffers();
        foreach (var (train, _) in outer)
            if (train.Length < 2) throw new ArgumentException("A training fold has fewer than 2 samples; use fewer folds.");
        // The tasks are the (outer, inner) fold pairs of the grid search and the outer refits: 50 + 10 tasks of
        // uneven cost instead of 10 outer folds, so that 2 threads finish together. Each task is computed
        // independently and deterministically, and its results are combined in fold order, so the result does
        // not depend on scheduling or on the thread count. Kernel matrices inside a task are then computed on
        // the task's thread only (the tasks already fill the threads).
        int? kernelThreads = parallel.MaxDegreeOfParallelism > 1 ? 1 : options.MaxDegreeOfParallelism;
        var innerTasks = new List<(int Outer, int[] Train, int[] Test)>();
        var innerCount = new int[outer.Count];
        if (grid.Length > 1)
        {
            for (int f = 0; f < outer.Count; f++)
            {
                var train = outer[f].Train;
                var inner = StratifiedKFold.Split(train.Select(i => y[i]).ToArray(), Math.Min(options.InnerFolds, train.Length), InnerSeed(options.Seed, f));
                innerCount[f] = inner.Count;
                foreach (var (itr, ite) in inner) innerTasks.Add((f, itr.Select(i => train[i]).ToArray(), ite.Select(i => train[i]).ToArray()));
            }
        }
        var innerAccuracy = new double[innerTasks.Count][];
        var innerConverged = new bool[innerTasks.Count];
        var refitConverged = new bool[outer.Count];
        var firstInner = new int[outer.Count];
        for (int f = 1; f < outer.Count; f++) firstInner[f] = firstInner[f - 1] + innerCount[f - 1];
        // One task at a time from a shared list: the inner fits in order, and each refit as soon as its outer
        // fold's inner fits are done (first, as refits are the largest tasks), so no thread waits for a chunk of
        // tasks another one took or for a phase to end.
        var gate = new object();
        int nextInner = 0, refitsLeft = outer.Count;
        var remaining = (int[])innerCount.Clone();
        bool failed = false;
        void ChooseC(int f)
        {
            // Best mean inner accuracy, ties → smaller C; sums in inner-fold order. A single C needs no search.
            if (innerCount[f] == 0)
            {
                chosen[f] = grid[0];
                return;
            }
            var sum = new double[grid.Length];
            for (int k = firstInner[f]; k < firstInner[f] + innerCount[f]; k++)
                for (int g = 0; g < grid.Length; g++) sum[g] += innerAccuracy[k][g];
            int bi = 0;
            for (int g = 1; g < grid.Length; g++) if (sum[g] / innerCount[f] > sum[bi] / innerCount[f]) bi = g;
            chosen[f] = grid[bi];
            validation[f] = sum[bi] / innerCount[f];
        }
        var readyRefits = new Queue<int>();
        for (int f = 0; f < outer.Count; f++)
        {
            if (innerCount[f] > 0) continue;
            ChooseC(f);
            readyRefits.Enqueue(f);
        }
        int workers = Math.Max(1, Math.Min(parallel.MaxDegreeOfParallelism, innerTasks.Count + outer.Count));
        Parallel.For(0, workers, parallel, _ =>
        {
            while (true)
            {
                int inner = -1, refit = -1;
                lock (gate)
                {
                    while (true)
                    {
                        if (failed || refitsLeft == 0 && nextInner == innerTasks.Count) return;
                        if (readyRefits.Count > 0) { refit = readyRefits.Dequeue(); refitsLeft--; break; }
                        if (nextInner < innerTasks.Count) { inner = nextInner++; break; }
                        Monitor.Wait(gate); // every remaining task waits for an inner fit running on another thread
                    }
                }
                try
                {
                    if (inner >= 0)
                    {
                        var (f, tr, te) = innerTasks[inner];
                        (innerAccuracy[inner], innerConverged[inner]) = FitAndScore(x, y, tr, te, options.Evaluator, grid, kernelThreads, buffers, options.Standardize);
                        lock (gate)
                        {
                            if (--remaining[f] == 0)
                            {
                                ChooseC(f);
                                readyRefits.Enqueue(f);
                            }
                            Monitor.PulseAll(gate);
                        }
                    }
                    else
                    {
                        var (train, test) = outer[refit];
                        var (final, ok) = FitAndScore(x, y, train, test, options.Evaluator, [chosen[refit]], kernelThreads, buffers, options.Standardize);
                        accuracies[refit] = final[0];
                        refitConverged[refit] = ok;
                    }
                }
                catch
                {
                    lock (gate)
                    {
                        failed = true;
                        Monitor.PulseAll(gate);
                    }
                    throw;
                }
            }
        });
        for (int f = 0; f < outer.Count; f++)
        {
            for (int k = firstInner[f]; k < firstInner[f] + innerCount[f]; k++) converged[f] &= innerConverged[k];
            converged[f] &= refitConverged[f];
        }
        double mean = accuracies.Sum() / accuracies.Length;
        double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / accuracies.Length);
        return new EvalResult(mean, std, accuracies, chosen, Evaluators.NameOf(options.Evaluator), options.Folds, options.Seed)
        {
            Protocol = options.Protocol,
            Samples = x.Length,
            InnerFolds = options.InnerFolds,
            CGrid = grid,
            AllConverged = converged.All(c => c),
            FoldValidation = validation,
        };
    }

    /// <summary>Test accuracy for each C, training on rows <paramref name="train"/> (standardised with their own statistics unless <paramref name="standardize"/> is false).</summary>
    internal static (double[] Accuracy, bool Converged) FitAndScore(double[][] x, int[] y, int[] train, int[] test, Evaluator evaluator, double[] grid,
        int? maxDegreeOfParallelism = null, EvalBuffers? buffers = null, bool standardize = true)
    {
        double[][] xTrain, xTest;
        if (standardize)
        {
            var scaler = Standardizer.Fit(x, train);
            xTrain = scaler.Transform(x, train);
            xTest = scaler.Transform(x, test);
        }
        else
        {
            xTrain = train.Select(i => x[i]).ToArray();
            xTest = test.Select(i => x[i]).ToArray();
        }
        var yTrain = train.Select(i => y[i]).ToArray();
        var yTest = test.Select(i => y[i]).ToArray();
        var acc = new double[grid.Length];
        bool converged = true;
        if (evaluator == Evaluator.LogReg)
        {
            for (int g = 0; g < grid.Length; g++)
            {
                var model = LogisticRegression.Fit(xTrain, yTrain, grid[g]);
                converged &= model.Converged;
                acc[g] = Accuracy(model.Predict(xTest), yTest);
            }
            return (acc, converged);
        }
        var kernel = evaluator == Evaluator.SvcRbf ? SvcKernel.Rbf : SvcKernel.Linear;
        double gamma = kernel == SvcKernel.Rbf ? KernelData.ScaleGamma(xTrain) : double.NaN;
        var data = new KernelData(xTrain, kernel, gamma) { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1, Buffers = buffers?.Gram, SolverBuffers = buffers?.Solver };
        var block = data.Cross(xTest, null, buffers?.Block);
        for (int g = 0; g < grid.Length; g++)
        {
            var model = Svc.FitKernel(data, yTrain, new SvcOptions(C: grid[g], Kernel: kernel, Gamma: kernel == SvcKernel.Rbf ? gamma : null));
            converged &= model.Machines.All(m => m.Converged);
            acc[g] = Accuracy(model.PredictFromTrainingKernel(block, xTest.Length, xTrain.Length), yTest);
        }
        data.ReleaseGram(); // the models keep copies of their support vectors, not the training kernel
        buffers?.Block.Return(block);
        return (acc, converged);
    }

    static double Accuracy(int[] predicted, int[] truth)
    {
        int correct = 0;
        for (int i = 0; i < truth.Length; i++) if (predicted[i] == truth[i]) correct++;
        return truth.Length == 0 ? 0 : (double)correct / truth.Length;
    }
}

/// <summary>
/// Memory reused by the fits of one cross-validation, one pool per role so that buffers of different sizes do not
/// take each other's place: Gram matrices, test × training kernel blocks, and the SMO solver's compact row caches.
/// </summary>
internal sealed class EvalBuffers
{
    public GramBuffers Gram { get; } = new();
    public GramBuffers Block { get; } = new();
    public GramBuffers Solver { get; } = new();
}
