namespace GraphSSL.Evaluation;

/// <summary>Options of a C-support vector classifier.</summary>
/// <param name="C">Box constraint (inverse regularisation strength), &gt; 0.</param>
/// <param name="Kernel">RBF (default) or linear.</param>
/// <param name="Gamma">RBF width γ; null means scikit-learn's <c>"scale"</c>: <c>1 / (features · Var(X))</c> with the variance over every entry of the training matrix (1 when that variance is 0).</param>
/// <param name="Tolerance">Stopping tolerance ε on the maximal violating pair gap <c>m(α) − M(α)</c> (LIBSVM's <c>-e</c>, default 1e-3).</param>
/// <param name="MaxIterations">Cap on SMO iterations per binary problem; a capped solve is reported through <see cref="SvcBinaryMachine.Converged"/>.</param>
public sealed record SvcOptions(double C = 1, SvcKernel Kernel = SvcKernel.Rbf, double? Gamma = null, double Tolerance = 1e-3, int MaxIterations = 10_000_000)
{
    /// <summary>Use LIBSVM's shrinking heuristic (default true). It changes speed, not the solution (within the tolerance).</summary>
    public bool Shrinking { get; init; } = true;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public SvcOptions Validate()
    {
        if (!(C > 0) || double.IsInfinity(C)) throw new ArgumentException($"C must be a positive number, was {C}.", nameof(C));
        if (Gamma is { } g && (!(g > 0) || double.IsInfinity(g))) throw new ArgumentException($"Gamma must be a positive number, was {g}.", nameof(Gamma));
        if (!(Tolerance > 0)) throw new ArgumentException($"Tolerance must be positive, was {Tolerance}.", nameof(Tolerance));
        if (MaxIterations < 1) throw new ArgumentException($"MaxIterations must be ≥ 1, was {MaxIterations}.", nameof(MaxIterations));
        return this;
    }
}

/// <summary>
/// One binary machine of a (one-vs-one) SVC, separating <see cref="NegativeClass"/> (y = −1) from
/// <see cref="PositiveClass"/> (y = +1): <c>f(x) = Σ_s DualCoefficients[s] · K(x_s, x) + Bias</c>,
/// positive → <see cref="PositiveClass"/>.
/// </summary>
public sealed class SvcBinaryMachine
{
    internal SvcBinaryMachine(int negativeClass, int positiveClass, int[] supportIndices, double[] alphas, double[] dualCoefficients,
        double bias, long iterations, bool converged, double gap)
    {
        NegativeClass = negativeClass;
        PositiveClass = positiveClass;
        SupportIndices = supportIndices;
        Alphas = alphas;
        DualCoefficients = dualCoefficients;
        Bias = bias;
        Iterations = iterations;
        Converged = converged;
        Gap = gap;
    }

    /// <summary>Label whose samples have y = −1 (the smaller label of the pair).</summary>
    public int NegativeClass { get; }
    /// <summary>Label whose samples have y = +1 (the larger label of the pair).</summary>
    public int PositiveClass { get; }
    /// <summary>Indices (into the training set passed to <see cref="Svc.Fit"/>) of the support vectors, ascending.</summary>
    public int[] SupportIndices { get; }
    /// <summary>Dual variables α_s ∈ (0, C] of the support vectors.</summary>
    public double[] Alphas { get; }
    /// <summary><c>y_s α_s</c> of the support vectors.</summary>
    public double[] DualCoefficients { get; }
    /// <summary>Intercept b = −ρ.</summary>
    public double Bias { get; }
    /// <summary>SMO iterations used.</summary>
    public long Iterations { get; }
    /// <summary>False when <see cref="SvcOptions.MaxIterations"/> stopped the solver before the tolerance was met.</summary>
    public bool Converged { get; }
    /// <summary>Final maximal violating pair gap <c>m(α) − M(α)</c> (below the tolerance when converged).</summary>
    public double Gap { get; }

    internal int[] UnionPositions { get; set; } = [];

    internal double Decision(ReadOnlySpan<double> kernelRow, bool byTrainingIndex)
    {
        var idx = byTrainingIndex ? SupportIndices : UnionPositions;
        double s = 0;
        for (int a = 0; a < idx.Length; a++) s += DualCoefficients[a] * kernelRow[idx[a]];
        return s + Bias;
    }
}

/// <summary>
/// C-support vector classification (the problem LIBSVM and scikit-learn's <c>SVC</c> solve), trained by
/// SMO with second-order working-set selection. More than two classes: one-vs-one machines and voting,
/// ties going to the smallest label.
/// </summary>
public static class Svc
{
    /// <summary>
    /// Trains on rows <paramref name="x"/> with integer labels <paramref name="y"/> (any values). A training
    /// set with a single class gives a model that always predicts it.
    /// </summary>
    public static SvcModel Fit(double[][] x, int[] y, SvcOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (x.Length == 0) throw new ArgumentException("No training samples.", nameof(x));
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} samples but {y.Length} labels.", nameof(y));
        double gamma = options.Kernel == SvcKernel.Rbf ? options.Gamma ?? KernelData.ScaleGamma(x) : double.NaN;
        return FitKernel(new KernelData(x, options.Kernel, gamma), y, options);
    }

    /// <summary>Trains with a prepared kernel (whose Gram matrix is shared between calls, e.g. over a grid of C).</summary>
    internal static SvcModel FitKernel(KernelData data, int[] y, SvcOptions options)
    {
        var classes = y.Distinct().Order().ToArray();
        var machines = new List<SvcBinaryMachine>();
        for (int a = 0; a < classes.Length; a++)
        {
            for (int b = a + 1; b < classes.Length; b++)
            {
                int[]? subset = classes.Length == 2 ? null : Enumerable.Range(0, y.Length).Where(i => y[i] == classes[a] || y[i] == classes[b]).ToArray();
                var indices = subset ?? Enumerable.Range(0, y.Length).ToArray();
                var sy = new sbyte[indices.Length];
                for (int i = 0; i < sy.Length; i++) sy[i] = y[indices[i]] == classes[b] ? (sbyte)1 : (sbyte)-1;
                var r = SmoSolver.Solve(data.RowsFor(subset), sy, options.C, options.Tolerance, options.MaxIterations, options.Shrinking,
                    buffers: data.SolverBuffers);
                var sv = new List<int>();
                var alphas = new List<double>();
                var coef = new List<double>();
                for (int i = 0; i < indices.Length; i++)
                {
                    if (!(r.Alpha[i] > 0)) continue;
                    sv.Add(indices[i]);
                    alphas.Add(r.Alpha[i]);
                    coef.Add(sy[i] * r.Alpha[i]);
                }
                machines.Add(new SvcBinaryMachine(classes[a], classes[b], sv.ToArray(), alphas.ToArray(), coef.ToArray(), -r.Rho, r.Iterations, r.Converged, r.Gap));
            }
        }
        return new SvcModel(classes, options, data, machines);
    }
}

/// <summary>A trained <see cref="Svc"/>: the support vectors it keeps and the machines that vote.</summary>
public sealed class SvcModel
{
    readonly int[] classes;
    readonly SvcKernel kernel;
    readonly double gamma;
    KernelData? supportData; // built on first use: the cross-validation predicts from the training kernel and never needs it

    internal SvcModel(int[] classes, SvcOptions options, KernelData training, IReadOnlyList<SvcBinaryMachine> machines)
    {
        this.classes = classes;
        Options = options;
        Kernel = options.Kernel;
        Gamma = options.Kernel == SvcKernel.Rbf ? training.Gamma : null;
        Machines = machines;
        SupportIndices = machines.SelectMany(m => m.SupportIndices).Distinct().Order().ToArray();
        var position = new Dictionary<int, int>();
        for (int p = 0; p < SupportIndices.Length; p++) position[SupportIndices[p]] = p;
        foreach (var m in machines) m.UnionPositions = m.SupportIndices.Select(i => position[i]).ToArray();
        SupportVectors = SupportIndices.Select(training.Sample).ToArray();
        kernel = training.Kernel;
        gamma = training.Gamma;
    }

    KernelData SupportData => supportData ??= new KernelData(SupportVectors, kernel, gamma); // a race builds equal copies

    /// <summary>Class labels seen in training, ascending.</summary>
    public IReadOnlyList<int> Classes => classes;
    /// <summary>The options the model was trained with.</summary>
    public SvcOptions Options { get; }
    /// <summary>Kernel used.</summary>
    public SvcKernel Kernel { get; }
    /// <summary>Effective γ of the RBF kernel (after resolving "scale"); null for the linear kernel.</summary>
    public double? Gamma { get; }
    /// <summary>The one-vs-one machines, pairs (a, b) of class positions in lexicographic order; empty for a single class.</summary>
    public IReadOnlyList<SvcBinaryMachine> Machines { get; }
    /// <summary>Training indices of every support vector of any machine, ascending.</summary>
    public int[] SupportIndices { get; }
    /// <summary>Copies of the support vector rows, in the order of <see cref="SupportIndices"/>.</summary>
    public double[][] SupportVectors { get; }

    /// <summary>Predicted labels of <paramref name="x"/>.</summary>
    public int[] Predict(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Machines.Count == 0) return x.Select(_ => classes[0]).ToArray();
        var block = SupportData.Cross(x);
        return PredictBlock(block, x.Length, SupportIndices.Length, byTrainingIndex: false);
    }

    /// <summary>
    /// Decision values of a two-class model: <c>f(x) = Σ y_s α_s K(x_s, x) + b</c>; positive means the
    /// larger label <c>Classes[1]</c> (scikit-learn's sign convention). Throws for other class counts.
    /// </summary>
    public double[] DecisionFunction(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Machines.Count != 1) throw new InvalidOperationException($"DecisionFunction needs a two-class model; this one has {classes.Length} classes.");
        var block = SupportData.Cross(x);
        int c = SupportIndices.Length;
        var result = new double[x.Length];
        for (int r = 0; r < x.Length; r++) result[r] = Machines[0].Decision(block.AsSpan(r * c, c), byTrainingIndex: false);
        return result;
    }

    /// <summary>Predictions from a precomputed kernel block (rows = samples, columns = all training samples).</summary>
    internal int[] PredictFromTrainingKernel(double[] block, int rows, int trainingCount)
    {
        if (Machines.Count == 0) return Enumerable.Repeat(classes[0], rows).ToArray();
        return PredictBlock(block, rows, trainingCount, byTrainingIndex: true);
    }

    int[] PredictBlock(double[] block, int rows, int columns, bool byTrainingIndex)
    {
        var result = new int[rows];
        var votes = new int[classes.Length];
        var position = new Dictionary<int, int>();
        for (int p = 0; p < classes.Length; p++) position[classes[p]] = p;
        for (int r = 0; r < rows; r++)
        {
            var row = block.AsSpan(r * columns, columns);
            Array.Clear(votes);
            foreach (var m in Machines)
            {
                double f = m.Decision(row, byTrainingIndex);
                votes[position[f > 0 ? m.PositiveClass : m.NegativeClass]]++;
            }
            int best = 0;
            for (int p = 1; p < votes.Length; p++) if (votes[p] > votes[best]) best = p;
            result[r] = classes[best];
        }
        return result;
    }
}
