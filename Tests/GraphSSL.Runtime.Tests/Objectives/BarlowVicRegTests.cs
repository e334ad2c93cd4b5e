using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class BarlowVicRegTests
{
    const double Lambda = 3.9e-3, Scale = 1.0 / 32;

    [Fact]
    public void BarlowTwins_PerfectlyCorrelatedUncorrelatedDimensions_IsZeroUpToEpsilon()
    {
        // z = [(1,1), (1,−1), (−1,1), (−1,−1)]: per-dimension mean 0, biased variance 1, and the two dimensions
        // are uncorrelated. ẑ = z / sqrt(1 + 1e-5); with z1 = z2 = z: C_ii = 1/(1 + 1e-5) for both i,
        // C_01 = C_10 = (1 − 1 − 1 + 1)/(4(1 + 1e-5)) = 0.
        // loss = scale·2·(1 − 1/(1 + 1e-5))² ≈ 6.2e-12 — zero up to the safety ε. Checked to 1e-6 relative.
        var z = Kit.T(new double[,] { { 1, 1 }, { 1, -1 }, { -1, 1 }, { -1, -1 } });
        double c = 1 / (1 + 1e-5);
        AssertRelative(Scale * 2 * (1 - c) * (1 - c), Kit.S(Losses.BarlowTwins(z, z, Lambda, Scale)));
        // An affine copy 2z + 7 has variance 4: ẑ2 = 2z / sqrt(4 + 1e-5), so C_ii = sqrt(c)·sqrt(4/(4 + 1e-5)),
        // off-diagonals still 0: loss = scale·2·(1 − C_ii)².
        double c2 = Math.Sqrt(c) * Math.Sqrt(4 / (4 + 1e-5));
        AssertRelative(Scale * 2 * (1 - c2) * (1 - c2), Kit.S(Losses.BarlowTwins(z, z.mul(2).add(7), Lambda, Scale)));
        // Anti-correlated copy −z: C_ii = −c → loss = scale·2·(1 + c)² ≈ 8/32.
        AssertRelative(Scale * 2 * (1 + c) * (1 + c), Kit.S(Losses.BarlowTwins(z, z.neg(), Lambda, Scale)));
    }

    static void AssertRelative(double expected, double actual, double rel = 1e-6) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void BarlowTwins_TwoDimensionalCase_MatchesHandDerivation()
    {
        // N = 2: z1 = [(1,1), (−1,−1)], z2 = [(1,−1), (−1,1)]. Means 0, biased variances 1, so ẑ = s·z with
        // s² = 1/(1 + 1e-5). C = ẑ1ᵀẑ2 / 2:
        //   C_00 = s²(1·1 + (−1)(−1))/2 = s²      C_01 = s²(1·(−1) + (−1)·1)/2 = −s²
        //   C_10 = s²(1·1 + (−1)(−1))/2 = s²      C_11 = s²(1·(−1) + (−1)·1)/2 = −s²
        // loss = scale·((1 − s²)² + (1 + s²)² + λ(s⁴ + s⁴)) ≈ (4 + 2λ)/32.
        var z1 = Kit.T(new double[,] { { 1, 1 }, { -1, -1 } });
        var z2 = Kit.T(new double[,] { { 1, -1 }, { -1, 1 } });
        double s2 = 1 / (1 + 1e-5);
        double expected = Scale * ((1 - s2) * (1 - s2) + (1 + s2) * (1 + s2) + Lambda * 2 * s2 * s2);
        Assert.Equal(expected, Kit.S(Losses.BarlowTwins(z1, z2, Lambda, Scale)), 14);
    }

    [Fact]
    public void BarlowTwins_RandomInputs_MatchReference_AndFiniteDifferences()
    {
        var x = new[] { Kit.M(Kit.Randn(6, 4, seed: 50)), Kit.M(Kit.Randn(6, 4, seed: 51)) };
        Func<Tensor[], Tensor> f = t => Losses.BarlowTwins(t[0], t[1], 0.5, 0.25);
        Assert.Equal(BarlowReference(x[0], x[1], 0.5, 0.25), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 11);
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0, 1 });
        var f32 = Losses.BarlowTwins(Kit.T(x[0], ScalarType.Float32), Kit.T(x[1], ScalarType.Float32), Lambda, Scale);
        Assert.Equal(ScalarType.Float32, f32.dtype);
        Assert.Throws<ArgumentException>(() => Losses.BarlowTwins(Kit.Randn(1, 4, 52), Kit.Randn(1, 4, 53), Lambda, Scale));
        Assert.Throws<ArgumentException>(() => Losses.BarlowTwins(Kit.T(x[0]), Kit.T(x[1]), -1, Scale));
    }

    [Fact]
    public void VicReg_ConstantBatch_VarianceTermIsGammaMinusSqrtEps()
    {
        // Every row equal: variance 0 → std = sqrt(0 + 1e-4) = 0.01 → hinge max(0, 1 − 0.01) = 0.99 in every
        // dimension; v = 0.99 for each branch, averaged 0.99. Invariance 0 (z1 = z2), covariance 0.
        // Only the variance weight counts: 25·0.99 = 24.75; with weights (0, 1, 0) it is the bare term 0.99.
        var z = Kit.T(new double[,] { { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 } });
        Assert.Equal(24.75, Kit.S(Losses.VicReg(z, z)), 12);
        Assert.Equal(0.99, Kit.S(Losses.VicReg(z, z, invariance: 0, variance: 1, covariance: 0)), 12);
    }

    [Fact]
    public void VicReg_TwoByTwoCase_MatchesHandDerivation()
    {
        // z1 = [(1,1), (−1,−1)], z2 = [(1,−1), (−1,1)]; N = 2, D = 2.
        // invariance: differences (0, 2), (0, −2) → squares 0, 4, 0, 4 → mean 2.
        // variance: unbiased var = (1 + 1)/1 = 2 per dimension → std = sqrt(2.0001) > 1 → hinge 0.
        // covariance: Cov(Z1) = [[2, 2], [2, 2]], off-diagonal squares 4 + 4 = 8, /D = 4; Cov(Z2) = [[2, −2], [−2, 2]]
        // → 4 as well; c = 8. loss = 25·2 + 25·0 + 1·8 = 58.
        var z1 = Kit.T(new double[,] { { 1, 1 }, { -1, -1 } });
        var z2 = Kit.T(new double[,] { { 1, -1 }, { -1, 1 } });
        Assert.Equal(58.0, Kit.S(Losses.VicReg(z1, z2)), 12);
        // Partly active hinge: z = [(0.5), (−0.5)] in one dimension for both views: var = 0.5,
        // std = sqrt(0.5001); loss (weights 0, 1, 0) = 1 − sqrt(0.5001).
        var h = Kit.T(new double[,] { { 0.5 }, { -0.5 } });
        Assert.Equal(1 - Math.Sqrt(0.5001), Kit.S(Losses.VicReg(h, h, 0, 1, 0)), 12);
    }

    [Fact]
    public void VicReg_RandomInputs_MatchReference_AndFiniteDifferences()
    {
        // Scaled by 0.8 so that some dimensions have std below 1 (active hinge) and some above.
        var x = new[] { Kit.M(Kit.Randn(6, 4, seed: 60).mul(0.8)), Kit.M(Kit.Randn(6, 4, seed: 61).mul(0.8)) };
        Func<Tensor[], Tensor> f = t => Losses.VicReg(t[0], t[1], 25, 25, 1);
        Assert.Equal(VicRegReference(x[0], x[1], 25, 25, 1), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 10);
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0, 1 }, tol: 1e-5);
        Assert.Equal(ScalarType.Float32,
            Losses.VicReg(Kit.T(x[0], ScalarType.Float32), Kit.T(x[1], ScalarType.Float32)).dtype);
        Assert.Throws<ArgumentException>(() => Losses.VicReg(Kit.Randn(1, 4, 62), Kit.Randn(1, 4, 63)));
    }

    static double BarlowReference(double[,] z1, double[,] z2, double lambda, double scale)
    {
        int n = z1.GetLength(0), d = z1.GetLength(1);
        var a = StandardiseBiased(z1);
        var b = StandardiseBiased(z2);
        double loss = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double c = 0;
                for (int k = 0; k < n; k++) c += a[k, i] * b[k, j];
                c /= n;
                loss += i == j ? (1 - c) * (1 - c) : lambda * c * c;
            }
        return scale * loss;
    }

    static double[,] StandardiseBiased(double[,] z)
    {
        int n = z.GetLength(0), d = z.GetLength(1);
        var o = new double[n, d];
        for (int j = 0; j < d; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += z[i, j];
            mean /= n;
            for (int i = 0; i < n; i++) variance += (z[i, j] - mean) * (z[i, j] - mean);
            variance /= n;
            for (int i = 0; i < n; i++) o[i, j] = (z[i, j] - mean) / Math.Sqrt(variance + 1e-5);
        }
        return o;
    }

    static double VicRegReference(double[,] z1, double[,] z2, double lambda, double mu, double nu)
    {
        int n = z1.GetLength(0), d = z1.GetLength(1);
        double invariance = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) invariance += (z1[i, j] - z2[i, j]) * (z1[i, j] - z2[i, j]);
        invariance /= n * d;
        return lambda * invariance + mu * (Variance(z1) + Variance(z2)) / 2 + nu * (Covariance(z1) + Covariance(z2));

        double Variance(double[,] z)
        {
            double v = 0;
            for (int j = 0; j < d; j++)
            {
                double mean = 0, var = 0;
                for (int i = 0; i < n; i++) mean += z[i, j];
                mean /= n;
                for (int i = 0; i < n; i++) var += (z[i, j] - mean) * (z[i, j] - mean);
                var /= n - 1;
                v += Math.Max(0, 1 - Math.Sqrt(var + 1e-4));
            }
            return v / d;
        }

        double Covariance(double[,] z)
        {
            var mean = new double[d];
            for (int j = 0; j < d; j++) { for (int i = 0; i < n; i++) mean[j] += z[i, j]; mean[j] /= n; }
            double c = 0;
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    if (a == b) continue;
                    double cov = 0;
                    for (int i = 0; i < n; i++) cov += (z[i, a] - mean[a]) * (z[i, b] - mean[b]);
                    cov /= n - 1;
                    c += cov * cov;
                }
            return c / d;
        }
    }
}
