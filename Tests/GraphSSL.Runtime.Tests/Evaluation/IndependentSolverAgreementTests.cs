using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary>
/// Cross-checks the SMO SVC against a deliberately different solver of the SAME dual problem:
/// accelerated projected gradient (FISTA with adaptive restart) on
/// min ½ αᵀQα − eᵀα  s.t. 0 ≤ α ≤ C, yᵀα = 0, where the projection onto the feasible set is found by
/// bisection on the multiplier λ of yᵀα = 0 (α = clip(v − λy, 0, C)). It shares no code with the library:
/// own standardisation, own γ = "scale", own kernel, own bias.
/// </summary>
public class IndependentSolverAgreementTests(Xunit.Abstractions.ITestOutputHelper output)
{
    sealed class ReferenceSvm
    {
        readonly double[][] xs;
        readonly double[] y;
        readonly double[] coef;
        readonly double bias;
        readonly double gamma;
        public double DualObjective { get; }

        public ReferenceSvm(double[][] x, int[] labels, double c, double gamma)
        {
            this.gamma = gamma;
            xs = x;
            int n = x.Length;
            y = labels.Select(l => l == 1 ? 1.0 : -1.0).ToArray();
            var q = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) q[i * n + j] = y[i] * y[j] * EvalTestData.Rbf(x[i], x[j], gamma);
            // Lipschitz constant of the gradient = largest eigenvalue of Q (power iteration, then 1 % margin).
            var v = Enumerable.Repeat(1.0, n).ToArray();
            var w = new double[n];
            double lip = 0;
            for (int it = 0; it < 100; it++)
            {
                MatVec(q, v, w);
                lip = Math.Sqrt(w.Sum(t => t * t));
                for (int i = 0; i < n; i++) v[i] = w[i] / lip;
            }
            lip *= 1.01;
            // FISTA with gradient-based adaptive restart (O'Donoghue & Candès 2015).
            var alpha = new double[n];
            var z = new double[n];
            var grad = new double[n];
            var step = new double[n];
            double tk = 1;
            for (int it = 0; it < Iterations; it++)
            {
                MatVec(q, z, grad);
                for (int i = 0; i < n; i++) step[i] = z[i] - (grad[i] - 1) / lip;
                var next = Project(step, y, c);
                double restart = 0;
                for (int i = 0; i < n; i++) restart += (z[i] - next[i]) * (next[i] - alpha[i]);
                double tNext = restart > 0 ? 1 : (1 + Math.Sqrt(1 + 4 * tk * tk)) / 2;
                double momentum = restart > 0 ? 0 : (tk - 1) / tNext;
                for (int i = 0; i < n; i++) z[i] = next[i] + momentum * (next[i] - alpha[i]);
                alpha = next;
                tk = tNext;
            }
            DualObjective = Objective(q, alpha);
            coef = alpha.Select((a, i) => a * y[i]).ToArray();
            // b from the free multipliers: y_t f_t = 1 ⇒ b = y_t − Σ_s coef_s K_ts, averaged.
            var decisions = Enumerable.Range(0, n).Select(t => Enumerable.Range(0, n).Sum(s => coef[s] * EvalTestData.Rbf(x[s], x[t], gamma))).ToArray();
            var free = Enumerable.Range(0, n).Where(t => alpha[t] > 1e-6 * c && alpha[t] < (1 - 1e-6) * c).ToArray();
            bias = free.Length > 0 ? free.Average(t => y[t] - decisions[t]) : 0;
        }

        public int Predict(double[] x)
        {
            double f = bias;
            for (int s = 0; s < xs.Length; s++) if (coef[s] != 0) f += coef[s] * EvalTestData.Rbf(xs[s], x, gamma);
            return f > 0 ? 1 : 0;
        }

        const int Iterations = 600;

        static void MatVec(double[] q, double[] v, double[] result)
        {
            int n = v.Length;
            for (int i = 0; i < n; i++)
            {
                var row = q.AsSpan(i * n, n);
                double s = 0;
                for (int j = 0; j < n; j++) s += row[j] * v[j];
                result[i] = s;
            }
        }

        static double Objective(double[] q, double[] a)
        {
            var qa = new double[a.Length];
            MatVec(q, a, qa);
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += 0.5 * a[i] * qa[i] - a[i];
            return s;
        }

        static double[] Project(double[] v, double[] y, double c)
        {
            // h(λ) = Σ y_i clip(v_i − λ y_i, 0, C) is non-increasing in λ; find its zero by bisection.
            double lo = -(v.Max(Math.Abs) + c + 1), hi = -lo;
            for (int it = 0; it < 64; it++)
            {
                double mid = (lo + hi) / 2, h = 0;
                for (int i = 0; i < v.Length; i++) h += y[i] * Math.Clamp(v[i] - mid * y[i], 0, c);
                if (h > 0) lo = mid; else hi = mid;
            }
            double lambda = (lo + hi) / 2;
            return v.Select((vi, i) => Math.Clamp(vi - lambda * y[i], 0, c)).ToArray();
        }
    }

    static (double[][] Train, double[][] Test) Standardise(double[][] x, int[] train, int[] test)
    {
        int f = x[0].Length;
        var mean = new double[f];
        var std = new double[f];
        for (int d = 0; d < f; d++)
        {
            mean[d] = train.Average(i => x[i][d]);
            std[d] = Math.Sqrt(train.Average(i => (x[i][d] - mean[d]) * (x[i][d] - mean[d])));
        }
        double[] Apply(int i) => Enumerable.Range(0, f).Select(d => (x[i][d] - mean[d]) / std[d]).ToArray();
        return (train.Select(Apply).ToArray(), test.Select(Apply).ToArray());
    }

    [Fact]
    public void Smo_AgreesWithProjectedGradient_OnOverlappingGaussians()
    {
        // Class means ±1 on the first coordinate, unit variance, plus one noise coordinate: the Bayes rule
        // (sign of x₁) is right with probability Φ(1) ≈ 84.13 %. 100 + 100 samples, 10 stratified folds,
        // C = 1 and γ = 1 / (features · Var(X_train)) fixed, so both solvers face identical problems.
        const double c = 1, bayes = 0.8413;
        var (x, y) = EvalTestData.OverlappingGaussians(100, noiseDims: 1, seed: 7);
        var folds = StratifiedKFold.Split(y, 10, seed: 0);
        int smoCorrect = 0, refCorrect = 0, total = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (train, test) in folds)
        {
            var (xs, xt) = Standardise(x, train, test);
            var ys = train.Select(i => y[i]).ToArray();
            var yt = test.Select(i => y[i]).ToArray();
            double mean = xs.SelectMany(r => r).Average();
            double gamma = 1 / (xs[0].Length * xs.SelectMany(r => r).Average(v => (v - mean) * (v - mean)));

            var smo = Svc.Fit(xs, ys, new SvcOptions(C: c));
            Assert.Equal(gamma, smo.Gamma!.Value, 12);
            var reference = new ReferenceSvm(xs, ys, c, gamma);

            // Same optimum: SMO's dual objective (from its α) within 1e-4 relative of the reference (observed ~1e-7).
            var m = smo.Machines.Single();
            var yy = ys.Select(l => l == 1 ? 1.0 : -1.0).ToArray();
            var alpha = new double[xs.Length];
            for (int s = 0; s < m.SupportIndices.Length; s++) alpha[m.SupportIndices[s]] = m.Alphas[s];
            double quad = 0;
            for (int i = 0; i < xs.Length; i++)
                for (int j = 0; j < xs.Length; j++) quad += alpha[i] * alpha[j] * yy[i] * yy[j] * EvalTestData.Rbf(xs[i], xs[j], gamma);
            double smoObjective = 0.5 * quad - alpha.Sum();
            Assert.True(Math.Abs(smoObjective - reference.DualObjective) <= 1e-4 * Math.Abs(reference.DualObjective),
                $"SMO {smoObjective} vs reference {reference.DualObjective}");

            output.WriteLine($"fold objective smo {smoObjective:R} ref {reference.DualObjective:R} t={sw.Elapsed.TotalSeconds:F2}s");
            var ps = smo.Predict(xt);
            for (int i = 0; i < xt.Length; i++)
            {
                if (ps[i] == yt[i]) smoCorrect++;
                if (reference.Predict(xt[i]) == yt[i]) refCorrect++;
            }
            total += xt.Length;
        }
        double smoAcc = (double)smoCorrect / total, refAcc = (double)refCorrect / total;
        Assert.True(Math.Abs(smoAcc - refAcc) <= 0.01, $"SMO {smoAcc:P2} vs reference {refAcc:P2}");
        Assert.InRange(smoAcc, bayes - 0.05, bayes + 0.03);
        Assert.InRange(refAcc, bayes - 0.05, bayes + 0.03);

        // The full nested pipeline (inner grid search over C) on the same data also lands near Bayes.
        output.WriteLine($"smo {smoAcc} ref {refAcc} t={sw.Elapsed.TotalSeconds:F2}s");
        var nested = CrossValidation.Evaluate(x, y, new EvalOptions(Seed: 0));
        output.WriteLine($"nested {nested.Accuracy} t={sw.Elapsed.TotalSeconds:F2}s");
        Assert.InRange(nested.Accuracy, bayes - 0.05, bayes + 0.03);
    }
}
