using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class SmoSolverTests
{
    /// <summary>Full α vector (zeros off the support) of a binary model.</summary>
    static double[] FullAlpha(SvcBinaryMachine m, int n)
    {
        var a = new double[n];
        for (int s = 0; s < m.SupportIndices.Length; s++) a[m.SupportIndices[s]] = m.Alphas[s];
        return a;
    }

    static (double[][] X, int[] Y) Overlapping(int perClass, int seed)
    {
        // Two 2-D Gaussian clouds with means (±0.7, 0) and unit variance: overlapping, so some α sit at C.
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < perClass; i++)
            for (int c = 0; c < 2; c++)
            {
                x.Add([(c == 0 ? -0.7 : 0.7) + EvalTestData.Gaussian(rng), EvalTestData.Gaussian(rng)]);
                y.Add(c);
            }
        return (x.ToArray(), y.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Solution_SatisfiesKktConditionsWithinTolerance(bool shrinking)
    {
        // Dual: min ½ αᵀQα − eᵀα, 0 ≤ α ≤ C, yᵀα = 0 with Q_ij = y_i y_j K_ij. Optimality (KKT) in terms of
        // the decision values f(x_t) = Σ_s y_s α_s K_ts + b:
        //   α_t = 0 → y_t f_t ≥ 1;  0 < α_t < C → y_t f_t = 1;  α_t = C → y_t f_t ≤ 1,
        // and the maximal violating pair gap m − M (m = max_{I_up} −y G, M = min_{I_low} −y G, G = Qα − e)
        // is below ε. SMO stops at gap < ε = 1e-3, and b = −ρ with ρ the mean of y G over free α; every free
        // −y G lies in [M, m], so each condition holds within ε. Everything is recomputed here from scratch.
        const double c = 1, gamma = 0.5, eps = 1e-3;
        var (x, y01) = Overlapping(40, seed: 11);
        var model = Svc.Fit(x, y01, new SvcOptions(C: c, Gamma: gamma) { Shrinking = shrinking });
        var m = model.Machines.Single();
        int n = x.Length;
        var y = y01.Select(v => v == 1 ? 1.0 : -1.0).ToArray();
        var alpha = FullAlpha(m, n);
        Assert.All(alpha, a => Assert.InRange(a, 0, c));
        Assert.Equal(0, alpha.Select((a, i) => a * y[i]).Sum(), 10);
        Assert.Contains(alpha, a => a >= c);             // the overlap forces bound SVs...
        Assert.Contains(alpha, a => a > 0 && a < c);     // ...and some free ones
        var g = new double[n];
        double mUp = double.NegativeInfinity, mLow = double.PositiveInfinity;
        for (int t = 0; t < n; t++)
        {
            double s = 0;
            for (int u = 0; u < n; u++) s += y[t] * y[u] * alpha[u] * EvalTestData.Rbf(x[t], x[u], gamma);
            g[t] = s - 1;
            bool inUp = y[t] > 0 ? alpha[t] < c : alpha[t] > 0;
            bool inLow = y[t] > 0 ? alpha[t] > 0 : alpha[t] < c;
            if (inUp) mUp = Math.Max(mUp, -y[t] * g[t]);
            if (inLow) mLow = Math.Min(mLow, -y[t] * g[t]);
        }
        Assert.True(mUp - mLow < eps, $"gap {mUp - mLow}");
        for (int t = 0; t < n; t++)
        {
            double margin = g[t] + 1 + y[t] * m.Bias; // y_t f_t = y_t Σ_u y_u α_u K_tu + y_t b = G_t + 1 + y_t b
            if (alpha[t] <= 0) Assert.True(margin >= 1 - eps, $"α=0 but y f = {margin}");
            else if (alpha[t] >= c) Assert.True(margin <= 1 + eps, $"α=C but y f = {margin}");
            else Assert.True(Math.Abs(margin - 1) <= eps, $"free α but y f = {margin}");
        }
    }

    [Fact]
    public void Shrinking_ChangesSpeedNotTheSolution()
    {
        // Both runs stop at a gap < 1e-3, so their dual objectives agree to about that accuracy.
        var (x, y) = Overlapping(60, seed: 5);
        var a = Svc.Fit(x, y, new SvcOptions(C: 10, Gamma: 1) { Shrinking = true });
        var b = Svc.Fit(x, y, new SvcOptions(C: 10, Gamma: 1) { Shrinking = false });
        Assert.Equal(a.Predict(x), b.Predict(x));
        Assert.Equal(a.Machines[0].Bias, b.Machines[0].Bias, 2);
    }

    [Fact]
    public void RowCache_GivesBitIdenticalResultsToTheFullGramMatrix()
    {
        // Every kernel value goes through one dot-product routine, so the on-demand row cache (forced here
        // with a limit of 0 and room for only 3 rows) must reproduce the full-matrix run exactly.
        double[][] centres = [[0, 0], [2, 0], [0, 2]];
        var (x, y) = EvalTestData.Blobs(centres, 25, 1.0, seed: 3);
        var options = new SvcOptions(C: 5, Gamma: 0.7);
        var dense = Svc.FitKernel(new KernelData(x, SvcKernel.Rbf, 0.7), y, options);
        var cached = Svc.FitKernel(new KernelData(x, SvcKernel.Rbf, 0.7) { FullGramLimit = 0, CacheBudgetBytes = 3 * 8 * x.Length }, y, options);
        Assert.Equal(dense.Machines.Count, cached.Machines.Count);
        for (int k = 0; k < dense.Machines.Count; k++)
        {
            Assert.Equal(dense.Machines[k].SupportIndices, cached.Machines[k].SupportIndices);
            Assert.Equal(dense.Machines[k].Alphas, cached.Machines[k].Alphas);
            Assert.Equal(dense.Machines[k].Bias, cached.Machines[k].Bias);
            Assert.Equal(dense.Machines[k].Iterations, cached.Machines[k].Iterations);
        }
    }

    [Fact]
    public void IterationCap_IsReportedAsNotConverged()
    {
        var (x, y) = Overlapping(40, seed: 2);
        var model = Svc.Fit(x, y, new SvcOptions(C: 100, Gamma: 1, MaxIterations: 3));
        Assert.False(model.Machines[0].Converged);
        Assert.Equal(3, model.Machines[0].Iterations);
        Assert.True(Svc.Fit(x, y, new SvcOptions(C: 100, Gamma: 1)).Machines[0].Converged);
    }
}
