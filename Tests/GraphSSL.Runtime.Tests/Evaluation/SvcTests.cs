using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class SvcTests
{
    static double[][] Col(params double[] v) => v.Select(x => new[] { x }).ToArray();

    /// <summary>w = Σ_s y_s α_s x_s for a linear machine.</summary>
    static double[] Weights(SvcModel m, double[][] x)
    {
        var machine = m.Machines.Single();
        var w = new double[x[0].Length];
        for (int s = 0; s < machine.SupportIndices.Length; s++)
            for (int d = 0; d < w.Length; d++) w[d] += machine.DualCoefficients[s] * x[machine.SupportIndices[s]][d];
        return w;
    }

    [Fact]
    public void TwoPoints_LinearHardMargin_GivesUnitWeightZeroBiasAndHalfAlphas()
    {
        // x = −1 (class 0 → y = −1), x = +1 (class 1 → y = +1), K(a, b) = ab.
        // Q_ij = y_i y_j K_ij = [[1, 1], [1, 1]]. yᵀα = 0 forces α_1 = α_2 = a, so the dual is
        // ½ · a² · (1 + 1 + 1 + 1) − 2a = 2a² − 2a, minimised at a = ½ (< C = 1000: not at the bound).
        // w = Σ y_i α_i x_i = (−1)(½)(−1) + (+1)(½)(+1) = 1; both are free, so y_i (w x_i + b) = 1 gives b = 0.
        var x = Col(-1, 1);
        var model = Svc.Fit(x, [0, 1], new SvcOptions(C: 1000, Kernel: SvcKernel.Linear));
        var m = model.Machines.Single();
        Assert.Equal([0, 1], m.SupportIndices);
        Assert.Equal(0.5, m.Alphas[0], 12);
        Assert.Equal(0.5, m.Alphas[1], 12);
        Assert.Equal(1.0, Weights(model, x)[0], 12);
        Assert.Equal(0.0, m.Bias, 12);
        Assert.True(m.Converged);
        // f(x) = x: positive → class 1 (the larger label).
        var f = model.DecisionFunction(Col(-2, 0.5, 3));
        Assert.Equal(-2.0, f[0], 12);
        Assert.Equal(0.5, f[1], 12);
        Assert.Equal(3.0, f[2], 12);
        Assert.Equal([0, 1, 1], model.Predict(Col(-2, 0.5, 3)));
    }

    [Fact]
    public void OneDimensionalSeparableSet_FindsMaximumMarginHyperplane()
    {
        // Class 0 at {−3, −2, −1.5}, class 1 at {1, 2.5, 4}. Hard margin (C huge): the closest points −1.5
        // and 1 are the only support vectors; the boundary is their midpoint −0.25 and the margin
        // condition w·1 + b = 1, w·(−1.5) + b = −1 gives w = 2 / 2.5 = 0.8, b = 0.2.
        // With α_s = a on both, w = a·1 + a·1.5 = 2.5a, so a = 0.32.
        var x = Col(-3, -2, -1.5, 1, 2.5, 4);
        int[] y = [0, 0, 0, 1, 1, 1];
        var model = Svc.Fit(x, y, new SvcOptions(C: 1e6, Kernel: SvcKernel.Linear));
        var m = model.Machines.Single();
        Assert.Equal([2, 3], m.SupportIndices);
        Assert.Equal(0.32, m.Alphas[0], 6);
        Assert.Equal(0.32, m.Alphas[1], 6);
        Assert.Equal(0.8, Weights(model, x)[0], 6);
        Assert.Equal(0.2, m.Bias, 6);
        Assert.Equal(y, model.Predict(x));
    }

    [Fact]
    public void Xor_WithRbfKernel_IsClassifiedPerfectly()
    {
        // Label 1 when the signs of the coordinates agree. No line separates it; an RBF machine does.
        double[][] x = [[1, 1], [-1, -1], [1, -1], [-1, 1], [2, 2], [-2, -2], [2, -2], [-2, 2]];
        int[] y = [1, 1, 0, 0, 1, 1, 0, 0];
        var model = Svc.Fit(x, y, new SvcOptions(C: 10, Gamma: 1));
        Assert.Equal(y, model.Predict(x));
        double[][] probe = [[0.8, 1.3], [-1.2, -0.7], [1.1, -0.9], [-0.9, 1.2]];
        Assert.Equal([1, 1, 0, 0], model.Predict(probe));
        var linear = Svc.Fit(x, y, new SvcOptions(C: 10, Kernel: SvcKernel.Linear));
        Assert.True(EvalTestData.Accuracy(linear.Predict(x), y) < 1.0); // control: the linear kernel cannot
    }

    [Fact]
    public void SoftMargin_TwoPointsWithSmallC_SitAtTheBound()
    {
        // Same two points as the hard-margin case, but C = 0.1 < ½ (the unconstrained optimum), so
        // α_1 = α_2 = C = 0.1. w = 0.1 + 0.1 = 0.2. No free variable: ρ is the midpoint of
        // [max over lower-side y G, min over upper-side y G]: G_i = (Qα)_i − 1 = 0.2 − 1 = −0.8, y G = ±0.8,
        // so ρ = (0.8 + (−0.8)) / 2 = 0 and b = 0. Both points violate the margin (y f = 0.2 < 1).
        var x = Col(-1, 1);
        var model = Svc.Fit(x, [0, 1], new SvcOptions(C: 0.1, Kernel: SvcKernel.Linear));
        var m = model.Machines.Single();
        Assert.Equal(0.1, m.Alphas[0], 12);
        Assert.Equal(0.1, m.Alphas[1], 12);
        Assert.Equal(0.2, Weights(model, x)[0], 12);
        Assert.Equal(0.0, m.Bias, 12);
    }

    [Fact]
    public void SoftMargin_Outlier_HasAlphaEqualToC()
    {
        // Class 0 at {−2, −1, 3}, class 1 at {1, 2}: the class-0 point at 3 lies deep on the class-1 side.
        // No hyperplane separates the data, so its α is pushed to the bound C = 1 (its margin stays violated),
        // and every α stays in [0, C].
        var x = Col(-2, -1, 3, 1, 2);
        int[] y = [0, 0, 0, 1, 1];
        var model = Svc.Fit(x, y, new SvcOptions(C: 1, Kernel: SvcKernel.Linear));
        var m = model.Machines.Single();
        int outlier = Array.IndexOf(m.SupportIndices, 2);
        Assert.True(outlier >= 0);
        Assert.Equal(1.0, m.Alphas[outlier], 12);
        Assert.All(m.Alphas, a => Assert.InRange(a, 0, 1.0));
        Assert.Equal(1, model.Predict(Col(3))[0]); // the outlier is misclassified: a soft margin
        Assert.Equal(0.0, m.DualCoefficients.Sum(), 12); // yᵀα = 0
    }

    [Fact]
    public void ThreeGaussianBlobs_OneVsOne_AtLeast95Percent()
    {
        // Centres 5 apart, unit variance: each pairwise Bayes error is Φ(−2.5) ≈ 0.6 %.
        double[][] centres = [[0, 0], [5, 0], [0, 5]];
        var (x, y) = EvalTestData.Blobs(centres, 60, 1.0, seed: 1);
        var (xt, yt) = EvalTestData.Blobs(centres, 100, 1.0, seed: 2);
        var model = Svc.Fit(x, y, new SvcOptions());
        Assert.Equal(3, model.Machines.Count);
        Assert.Equal([0, 1, 2], model.Classes);
        Assert.True(EvalTestData.Accuracy(model.Predict(xt), yt) >= 0.95);
        Assert.Throws<InvalidOperationException>(() => model.DecisionFunction(xt));
    }

    [Fact]
    public void Labels_AreArbitraryIntegers_ReportedSortedAndPredictedAsGiven()
    {
        // Three classes on a line at 0, 10, 20 with labels 7, 3, 5: Classes is the sorted label set and
        // predictions come back as the original labels (one-vs-one over three machines).
        var x = Col(0, 0.5, 10, 10.5, 20, 20.5);
        int[] y = [7, 7, 3, 3, 5, 5];
        var model = Svc.Fit(x, y, new SvcOptions(C: 10, Kernel: SvcKernel.Rbf, Gamma: 0.1));
        Assert.Equal([3, 5, 7], model.Classes);
        Assert.Equal(y, model.Predict(x));
    }

    [Fact]
    public void SingleClass_PredictsThatClass()
    {
        var model = Svc.Fit(Col(1, 2, 3), [4, 4, 4], new SvcOptions());
        Assert.Empty(model.Machines);
        Assert.Equal([4, 4], model.Predict(Col(-5, 5)));
    }

    [Fact]
    public void GammaScale_MatchesScikitLearnDefinition()
    {
        // X = [[0, 0], [2, 4]]: entries {0, 0, 2, 4}, mean 1.5, variance (2.25 + 2.25 + 0.25 + 6.25) / 4 = 2.75,
        // γ = 1 / (2 · 2.75) = 1 / 5.5.
        var model = Svc.Fit([[0, 0], [2, 4]], [0, 1], new SvcOptions());
        Assert.Equal(1 / 5.5, model.Gamma!.Value, 15);
        Assert.Null(Svc.Fit([[0, 0], [2, 4]], [0, 1], new SvcOptions(Kernel: SvcKernel.Linear)).Gamma);
    }

    [Fact]
    public void InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentException>(() => Svc.Fit(Col(1, 2), [0, 1], new SvcOptions(C: 0)));
        Assert.Throws<ArgumentException>(() => Svc.Fit(Col(1, 2), [0, 1], new SvcOptions(Gamma: -1)));
        Assert.Throws<ArgumentException>(() => Svc.Fit(Col(1, 2), [0], new SvcOptions()));
    }
}
