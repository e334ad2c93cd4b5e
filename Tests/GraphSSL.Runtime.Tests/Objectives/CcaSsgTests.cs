using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class CcaSsgTests
{
    [Fact]
    public void Identical_uncorrelated_views_give_minus_the_dimension_times_n_minus_one_over_n()
    {
        // z = [(1,1), (1,−1), (−1,1), (−1,−1)]: mean 0, unbiased variance 4/3 per column, columns uncorrelated.
        // ẑ = z / sqrt(4/3); C = C1 = C2 = ẑᵀẑ / 4 = (4 / (4/3)) / 4 · I = 3/4 · I.
        // loss = −tr(C) + λ(‖I − C1‖² + ‖I − C2‖²) = −1.5 + λ · 2 · 2 · (1/4)² = −1.5 + λ/4.
        var z = Kit.T(new double[,] { { 1, 1 }, { 1, -1 }, { -1, 1 }, { -1, -1 } });
        Assert.Equal(-1.5 + 0.1 / 4, Kit.S(Losses.CcaSsg(z, z, 0.1)), 12);
        // Standardisation makes the loss blind to per-column scale and shift of either view.
        Assert.Equal(-1.5 + 0.1 / 4, Kit.S(Losses.CcaSsg(z, z.mul(3).add(-2), 0.1)), 12);
        // An anti-correlated copy turns the invariance term around: −tr(C) = +1.5.
        Assert.Equal(1.5 + 0.1 / 4, Kit.S(Losses.CcaSsg(z, z.neg(), 0.1)), 12);
    }

    [Fact]
    public void Random_inputs_match_a_host_reference_and_finite_differences()
    {
        var x = new[] { Kit.M(Kit.Randn(7, 3, seed: 70)), Kit.M(Kit.Randn(7, 3, seed: 71)) };
        Func<Tensor[], Tensor> f = t => Losses.CcaSsg(t[0], t[1], 0.3);
        Assert.Equal(Reference(x[0], x[1], 0.3), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 11);
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0, 1 });
        Assert.Equal(ScalarType.Float32, Losses.CcaSsg(Kit.T(x[0], ScalarType.Float32), Kit.T(x[1], ScalarType.Float32), 1e-3).dtype);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_shared_range_words()
    {
        var a = Kit.Randn(5, 3, 72);
        var b = Kit.Randn(5, 3, 73);
        var negative = Assert.Throws<ArgumentException>(() => Losses.CcaSsg(a, b, -1));
        Assert.Equal("lambda must be 0 or more, was -1. (Parameter 'lambda')", negative.Message);
        Assert.Throws<ArgumentException>(() => Losses.CcaSsg(Kit.Randn(1, 3, 74), Kit.Randn(1, 3, 75), 0.1));
        Assert.Throws<ArgumentException>(() => Losses.CcaSsg(a, Kit.Randn(5, 4, 76), 0.1));
        // The declared record checks its hyperparameter with the same rule.
        var declared = Assert.Throws<ArgumentException>(() => new CcaSsg(Lambda: -0.5).Validate());
        Assert.StartsWith("Lambda must be 0 or more, was -0.5.", declared.Message);
    }

    /// <summary>The loss written out on the host in float64, straight from the definition.</summary>
    static double Reference(double[,] z1, double[,] z2, double lambda)
    {
        int n = z1.GetLength(0), d = z1.GetLength(1);
        double[,] H(double[,] z)
        {
            var h = new double[n, d];
            for (int j = 0; j < d; j++)
            {
                double mean = 0, sq = 0;
                for (int i = 0; i < n; i++) mean += z[i, j];
                mean /= n;
                for (int i = 0; i < n; i++) sq += (z[i, j] - mean) * (z[i, j] - mean);
                double std = Math.Sqrt(sq / (n - 1));
                for (int i = 0; i < n; i++) h[i, j] = (z[i, j] - mean) / std;
            }
            return h;
        }
        double Dot(double[,] a, double[,] b, int p, int q) { double s = 0; for (int i = 0; i < n; i++) s += a[i, p] * b[i, q]; return s / n; }
        var h1 = H(z1);
        var h2 = H(z2);
        double loss = 0;
        for (int p = 0; p < d; p++) loss -= Dot(h1, h2, p, p);
        double dec = 0;
        for (int p = 0; p < d; p++)
            for (int q = 0; q < d; q++)
            {
                double id = p == q ? 1 : 0;
                dec += Math.Pow(id - Dot(h1, h1, p, q), 2) + Math.Pow(id - Dot(h2, h2, p, q), 2);
            }
        return loss + lambda * dec;
    }
}
