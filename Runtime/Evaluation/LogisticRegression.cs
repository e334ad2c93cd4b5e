using System.Numerics;

namespace GraphSSL.Evaluation;

/// <summary>
/// Multinomial (softmax) logistic regression with an L2 penalty on the weights (not the intercepts),
/// the problem scikit-learn's <c>LogisticRegression(C=…)</c> solves:
/// <c>min_W,b  Σ_i −log softmax(W x_i + b)_{y_i} + ‖W‖² / (2C)</c>. Minimised (divided by n) with L-BFGS
/// (memory 10, backtracking Armijo line search) until the largest gradient entry is below the tolerance.
/// Sequential and deterministic.
/// </summary>
public static class LogisticRegression
{
    /// <summary>
    /// Fits on rows <paramref name="x"/> with integer labels <paramref name="y"/> (any values) and inverse
    /// regularisation strength <paramref name="c"/> &gt; 0. Stops when <c>max |∇J| ≤ tolerance</c> with
    /// J the objective divided by n, or after <paramref name="maxIterations"/> L-BFGS iterations.
    /// The weights start at zero, or, when <paramref name="start"/> is given, at N(0, 0.01²) draws from it
    /// (intercepts at zero): the problem is strictly convex, so only a fit stopped before convergence differs.
    /// </summary>
    public static LogisticRegressionModel Fit(double[][] x, int[] y, double c, int maxIterations = 1000, double tolerance = 1e-6, Random? start = null)
        => Fit(x, y, c, maxIterations, tolerance, start, penalizeIntercepts: false);

    /// <summary>
    /// <see cref="Fit(double[][], int[], double, int, double, Random?)"/>, with the intercepts in the penalty too when
    /// <paramref name="penalizeIntercepts"/> (liblinear's bias: a constant feature 1 whose weight is regularised like the
    /// others, scikit-learn's <c>solver='liblinear'</c> with <c>intercept_scaling=1</c>).
    /// </summary>
    internal static LogisticRegressionModel Fit(double[][] x, int[] y, double c, int maxIterations, double tolerance, Random? start, bool penalizeIntercepts)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length == 0) throw new ArgumentException("No training samples.", nameof(x));
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} samples but {y.Length} labels.", nameof(y));
        if (!(c > 0) || double.IsInfinity(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "C must be a positive number.");
        if (maxIterations < 0) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "Must be ≥ 0.");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Must be positive.");
        int f = x[0].Length;
        foreach (var row in x) if (row.Length != f) throw new ArgumentException("Rows differ in length.", nameof(x));
        var classes = y.Distinct().Order().ToArray();
        int k = classes.Length;
        if (k == 1) return new LogisticRegressionModel(classes, [new double[f]], [0.0], 0, true, 0);
        var target = new int[y.Length];
        for (int i = 0; i < y.Length; i++) target[i] = Array.BinarySearch(classes, y[i]);
        var problem = new Problem(x, target, k, f, c, penalizeIntercepts);
        var initial = new double[k * (f + 1)];
        if (start is not null)
        {
            for (int a = 0; a < k; a++)
            {
                for (int d = 0; d < f; d++)
                {
                    // Box–Muller: one standard normal from two uniforms.
                    double u1 = 1.0 - start.NextDouble(), u2 = start.NextDouble();
                    initial[a * (f + 1) + d] = 0.01 * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                }
            }
        }
        var (theta, iterations, converged, gradMax) = Lbfgs(problem, initial, maxIterations, tolerance);
        var weights = new double[k][];
        var intercepts = new double[k];
        for (int a = 0; a < k; a++)
        {
            weights[a] = theta.AsSpan(a * (f + 1), f).ToArray();
            intercepts[a] = theta[a * (f + 1) + f];
        }
        return new LogisticRegressionModel(classes, weights, intercepts, iterations, converged, gradMax);
    }

    sealed class Problem(double[][] x, int[] target, int k, int f, double c, bool penalizeIntercepts)
    {
        public int Classes => k;

        /// <summary>J(θ) and ∇J(θ) with J = (Σ_i loss_i + ‖W‖²/(2C)) / n (‖W‖² including the intercepts when they are penalised); θ is k rows of [w (f), b].</summary>
        public double Evaluate(double[] theta, double[] grad)
        {
            Array.Clear(grad);
            int stride = f + 1;
            var z = new double[k];
            double loss = 0;
            for (int i = 0; i < x.Length; i++)
            {
                var xi = x[i];
                double zMax = double.NegativeInfinity;
                for (int a = 0; a < k; a++)
                {
                    z[a] = KernelData.Dot(theta.AsSpan(a * stride, f), xi) + theta[a * stride + f];
                    zMax = Math.Max(zMax, z[a]);
                }
                double sum = 0;
                for (int a = 0; a < k; a++) sum += Math.Exp(z[a] - zMax);
                double logSum = zMax + Math.Log(sum);
                loss += logSum - z[target[i]];
                for (int a = 0; a < k; a++)
                {
                    double r = Math.Exp(z[a] - logSum) - (a == target[i] ? 1 : 0);
                    Axpy(r, xi, grad.AsSpan(a * stride, f));
                    grad[a * stride + f] += r;
                }
            }
            double penalty = 0;
            for (int a = 0; a < k; a++)
            {
                for (int d = 0; d < (penalizeIntercepts ? stride : f); d++)
                {
                    double w = theta[a * stride + d];
                    penalty += w * w;
                    grad[a * stride + d] += w / c;
                }
            }
            double n = x.Length;
            for (int t = 0; t < grad.Length; t++) grad[t] /= n;
            return (loss + penalty / (2 * c)) / n;
        }

        static void Axpy(double a, ReadOnlySpan<double> xs, Span<double> ys)
        {
            int w = Vector<double>.Count, i = 0;
            var va = new Vector<double>(a);
            for (; i + w <= xs.Length; i += w)
                (new Vector<double>(ys.Slice(i, w)) + va * new Vector<double>(xs.Slice(i, w))).CopyTo(ys.Slice(i, w));
            for (; i < xs.Length; i++) ys[i] += a * xs[i];
        }
    }

    static (double[] Theta, int Iterations, bool Converged, double GradMax) Lbfgs(Problem p, double[] theta, int maxIterations, double tolerance)
    {
        const int memory = 10;
        int n = theta.Length;
        var grad = new double[n];
        double fx = p.Evaluate(theta, grad);
        var s = new List<double[]>();
        var yv = new List<double[]>();
        var rho = new List<double>();
        var dir = new double[n];
        var trial = new double[n];
        var trialGrad = new double[n];
        var alphaBuf = new double[memory];
        int iter = 0;
        double gMax = MaxAbs(grad);
        while (gMax > tolerance && iter < maxIterations)
        {
            // Two-loop recursion: dir = −H ∇J.
            for (int t = 0; t < n; t++) dir[t] = -grad[t];
            for (int m = s.Count - 1; m >= 0; m--)
            {
                alphaBuf[m] = rho[m] * DotArr(s[m], dir);
                Axpy(-alphaBuf[m], yv[m], dir);
            }
            double scale = s.Count > 0 ? DotArr(s[^1], yv[^1]) / DotArr(yv[^1], yv[^1]) : 1.0 / Math.Max(1.0, Norm(grad));
            for (int t = 0; t < n; t++) dir[t] *= scale;
            for (int m = 0; m < s.Count; m++)
            {
                double beta = rho[m] * DotArr(yv[m], dir);
                Axpy(alphaBuf[m] - beta, s[m], dir);
            }
            double slope = DotArr(grad, dir);
            if (!(slope < 0))
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                s.Clear(); yv.Clear(); rho.Clear();
                for (int t = 0; t < n; t++) dir[t] = -grad[t] / Math.Max(1.0, Norm(grad));
                slope = DotArr(grad, dir);
            }
            double step = 1, fTrial = double.NaN;
            bool accepted = false;
            for (int ls = 0; ls < 60; ls++)
            {
                for (int t = 0; t < n; t++) trial[t] = theta[t] + step * dir[t];
                fTrial = p.Evaluate(trial, trialGrad);
                if (fTrial <= fx + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            iter++;
            if (!accepted) break; // no decrease possible at double precision
            var sNew = new double[n];
            var yNew = new double[n];
            for (int t = 0; t < n; t++)
            {
                sNew[t] = trial[t] - theta[t];
                yNew[t] = trialGrad[t] - grad[t];
            }
            double sy = DotArr(sNew, yNew);
            if (sy > 1e-12 * DotArr(yNew, yNew))
            {
                if (s.Count == memory) { s.RemoveAt(0); yv.RemoveAt(0); rho.RemoveAt(0); }
                s.Add(sNew); yv.Add(yNew); rho.Add(1 / sy);
            }
            (theta, trial) = (trial, theta);
            (grad, trialGrad) = (trialGrad, grad);
            fx = fTrial;
            gMax = MaxAbs(grad);
        }
        return (theta, iter, gMax <= tolerance, gMax);
    }

    static double DotArr(double[] a, double[] b) => KernelData.Dot(a, b);
    static double Norm(double[] a) => Math.Sqrt(DotArr(a, a));
    static double MaxAbs(double[] a)
    {
        double m = 0;
        foreach (var v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }
    static void Axpy(double a, double[] x, double[] y)
    {
        for (int t = 0; t < x.Length; t++) y[t] += a * x[t];
    }
}

/// <summary>A fitted <see cref="LogisticRegression"/>.</summary>
public sealed class LogisticRegressionModel
{
    readonly int[] classes;
    readonly double[][] weights;
    readonly double[] intercepts;

    internal LogisticRegressionModel(int[] classes, double[][] weights, double[] intercepts, int iterations, bool converged, double gradientMax)
    {
        this.classes = classes;
        this.weights = weights;
        this.intercepts = intercepts;
        Iterations = iterations;
        Converged = converged;
        GradientMax = gradientMax;
    }

    /// <summary>Class labels seen in training, ascending.</summary>
    public IReadOnlyList<int> Classes => classes;
    /// <summary>Weight vector of each class (row a belongs to <c>Classes[a]</c>); one zero row for a single class.</summary>
    public IReadOnlyList<double[]> Weights => weights;
    /// <summary>Intercept of each class.</summary>
    public IReadOnlyList<double> Intercepts => intercepts;
    /// <summary>L-BFGS iterations used.</summary>
    public int Iterations { get; }
    /// <summary>True when the gradient tolerance was met.</summary>
    public bool Converged { get; }
    /// <summary>Largest absolute gradient entry (of the objective divided by n) at the returned parameters.</summary>
    public double GradientMax { get; }

    /// <summary>Class scores <c>W x + b</c> of one sample.</summary>
    public double[] Scores(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var z = new double[classes.Length];
        if (classes.Length == 1) return z;
        for (int a = 0; a < z.Length; a++) z[a] = KernelData.Dot(weights[a], x) + intercepts[a];
        return z;
    }

    /// <summary>Softmax class probabilities of each row.</summary>
    public double[][] PredictProbabilities(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Select(row =>
        {
            var z = Scores(row);
            double m = z.Max(), sum = 0;
            for (int a = 0; a < z.Length; a++) { z[a] = Math.Exp(z[a] - m); sum += z[a]; }
            for (int a = 0; a < z.Length; a++) z[a] /= sum;
            return z;
        }).ToArray();
    }

    /// <summary>Most probable label of each row (ties → smallest label).</summary>
    public int[] Predict(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Select(row =>
        {
            var z = Scores(row);
            int best = 0;
            for (int a = 1; a < z.Length; a++) if (z[a] > z[best]) best = a;
            return classes[best];
        }).ToArray();
    }
}
