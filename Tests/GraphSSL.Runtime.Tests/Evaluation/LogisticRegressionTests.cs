using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class LogisticRegressionTests
{
    [Fact]
    public void TwoPoints_MatchTheHandDerivedOptimum()
    {
        // x = −1 (class 0), x = +1 (class 1), C = 1. By symmetry the optimum has w₁ = −w₀ = a and b₀ = b₁,
        // so the logit gap at x is 2a·x and the objective is 2·log(1 + e^{−2a}) + (a² + a²)/(2C) = 2 log(1 + e^{−2a}) + a²/C.
        // Setting the derivative to zero: −4σ(−2a) + 2a/C = 0, i.e. a = 2C·σ(−2a). Solved here by bisection.
        double lo = 0, hi = 10;
        for (int it = 0; it < 200; it++)
        {
            double mid = (lo + hi) / 2;
            if (mid - 2 / (1 + Math.Exp(2 * mid)) < 0) lo = mid; else hi = mid;
        }
        double a = (lo + hi) / 2;
        var model = LogisticRegression.Fit([[-1.0], [1.0]], [0, 1], c: 1, tolerance: 1e-10);
        Assert.True(model.Converged);
        Assert.Equal(a, model.Weights[1][0], 6);
        Assert.Equal(-a, model.Weights[0][0], 6);
        Assert.Equal(0.0, model.Intercepts[1] - model.Intercepts[0], 6);
        // P(class 1 | x = 1) = σ(2a).
        Assert.Equal(1 / (1 + Math.Exp(-2 * a)), model.PredictProbabilities([[1.0]])[0][1], 6);
    }

    [Fact]
    public void SeparableData_IsClassifiedPerfectly()
    {
        double[][] x = [[-3, 1], [-2, -1], [-1.5, 0.5], [1, 0], [2.5, -2], [4, 1]];
        int[] y = [0, 0, 0, 1, 1, 1];
        var model = LogisticRegression.Fit(x, y, c: 100);
        Assert.True(model.Converged);
        Assert.Equal(y, model.Predict(x));
    }

    [Fact]
    public void GaussianBlobs_ThreeClasses_AtLeast95Percent()
    {
        double[][] centres = [[0, 0], [5, 0], [0, 5]];
        var (x, y) = EvalTestData.Blobs(centres, 60, 1.0, seed: 1);
        var (xt, yt) = EvalTestData.Blobs(centres, 100, 1.0, seed: 2);
        var model = LogisticRegression.Fit(x, y, c: 1);
        Assert.True(model.Converged);
        Assert.True(EvalTestData.Accuracy(model.Predict(xt), yt) >= 0.95);
        Assert.All(model.PredictProbabilities(xt), p => Assert.Equal(1.0, p.Sum(), 12));
    }

    [Fact]
    public void StrongerRegularisation_ShrinksTheWeights()
    {
        var (x, y) = EvalTestData.OverlappingGaussians(50, noiseDims: 1, seed: 3);
        double Norm(LogisticRegressionModel m) => m.Weights.Sum(w => w.Sum(v => v * v));
        Assert.True(Norm(LogisticRegression.Fit(x, y, c: 0.01)) < Norm(LogisticRegression.Fit(x, y, c: 100)));
    }

    [Fact]
    public void Deterministic_AndSingleClassIsHandled()
    {
        var (x, y) = EvalTestData.OverlappingGaussians(30, noiseDims: 3, seed: 4);
        var a = LogisticRegression.Fit(x, y, c: 1);
        var b = LogisticRegression.Fit(x, y, c: 1);
        Assert.Equal(a.Weights[0], b.Weights[0]);
        Assert.Equal(a.Intercepts, b.Intercepts);
        var single = LogisticRegression.Fit([[1.0], [2.0]], [3, 3], c: 1);
        Assert.Equal([3, 3, 3], single.Predict([[0.0], [5.0], [-5.0]]));
    }
}
