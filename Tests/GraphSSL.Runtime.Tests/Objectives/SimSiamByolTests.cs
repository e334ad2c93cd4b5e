using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class SimSiamByolTests
{
    static readonly double[,] E = { { 1, 0 }, { 0, 1 } };

    [Fact]
    public void SimSiam_ClosedForms()
    {
        // Same directions: cos = 1 for every pair → D = −1 each → loss = −1/2 − 1/2 = −1 (scale is irrelevant).
        var z = Kit.T(E);
        Assert.Equal(-1.0, Kit.S(Losses.SimSiam(z.mul(3), z.mul(0.5), z, z)), 12);
        // Orthogonal: p = [e2, e1] against z = [e1, e2] → cos = 0 → loss 0.
        var swapped = Kit.T(new double[,] { { 0, 1 }, { 1, 0 } });
        Assert.Equal(0.0, Kit.S(Losses.SimSiam(swapped, swapped, z, z)), 12);
        // Opposite: cos = −1 → D = +1 → loss 1.
        Assert.Equal(1.0, Kit.S(Losses.SimSiam(z.neg(), z.neg(), z, z)), 12);
        // Mixed, N = 1: p1 = (1, 1), z2 = (1, 0): cos = 1/√2; p2 = (0, 1), z1 = (1, 0): cos = 0.
        // loss = −(1/√2)/2 − 0/2 = −1/(2√2).
        var p1 = Kit.T(new double[,] { { 1, 1 } });
        var p2 = Kit.T(new double[,] { { 0, 1 } });
        var e1 = Kit.T(new double[,] { { 1, 0 } });
        Assert.Equal(-1 / (2 * Math.Sqrt(2)), Kit.S(Losses.SimSiam(p1, p2, e1, e1)), 12);
    }

    [Fact]
    public void SimSiam_RandomInputs_MatchReference_AndGradientsStopAtZ()
    {
        var x = Enumerable.Range(0, 4).Select(i => Kit.M(Kit.Randn(4, 3, seed: 20 + i))).ToArray();
        Func<Tensor[], Tensor> f = t => Losses.SimSiam(t[0], t[1], t[2], t[3]);
        Assert.Equal(SimSiamReference(x), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 12);
        // Gradient w.r.t. p1, p2 matches finite differences; z1, z2 get none (stop-gradient), although the
        // loss value does depend on them.
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0, 1 });
        var leaves = x.Select(a => Kit.T(a).requires_grad_(true)).ToArray();
        f(leaves).backward();
        Assert.True(Kit.NoGradient(leaves[2]));
        Assert.True(Kit.NoGradient(leaves[3]));
        Assert.False(Kit.NoGradient(leaves[0]));
    }

    [Fact]
    public void Byol_ClosedForms()
    {
        // ℓ(p, t) = 2 − 2cos. Same direction: 0. Orthogonal: each ℓ = 2, summed 4. Opposite: each 4, summed 8.
        var z = Kit.T(E);
        var swapped = Kit.T(new double[,] { { 0, 1 }, { 1, 0 } });
        Assert.Equal(0.0, Kit.S(Losses.Byol(z.mul(2), z, z, z.mul(5))), 12);
        Assert.Equal(4.0, Kit.S(Losses.Byol(swapped, swapped, z, z)), 12);
        Assert.Equal(8.0, Kit.S(Losses.Byol(z.neg(), z.neg(), z, z)), 12);
        // N = 2, rows differ:
        // n = 0: ℓ(p1=(1,0), t2=(1,0)) = 0; ℓ(p2=(0,1), t1=(0,−1)) = 2 + 2 = 4 → 4.
        // n = 1: ℓ(p1=(1,0), t2=(0,1)) = 2; ℓ(p2=(0,1), t1=(1,1)) = 2 − 2/√2 = 2 − √2 → 4 − √2.
        // mean = (8 − √2)/2 = 4 − √2/2.
        var p1 = Kit.T(new double[,] { { 1, 0 }, { 1, 0 } });
        var p2 = Kit.T(new double[,] { { 0, 1 }, { 0, 1 } });
        var t1 = Kit.T(new double[,] { { 0, -1 }, { 1, 1 } });
        var t2 = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        Assert.Equal(4 - Math.Sqrt(2) / 2, Kit.S(Losses.Byol(p1, p2, t1, t2)), 12);
    }

    [Fact]
    public void Byol_RandomInputs_MatchReference_AndGradientsStopAtTargets()
    {
        var x = Enumerable.Range(0, 4).Select(i => Kit.M(Kit.Randn(5, 3, seed: 30 + i))).ToArray();
        Func<Tensor[], Tensor> f = t => Losses.Byol(t[0], t[1], t[2], t[3]);
        Assert.Equal(ByolReference(x), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 12);
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0, 1 });
        var leaves = x.Select(a => Kit.T(a).requires_grad_(true)).ToArray();
        f(leaves).backward();
        Assert.True(Kit.NoGradient(leaves[2]));
        Assert.True(Kit.NoGradient(leaves[3]));
    }

    [Fact]
    public void DtypeAndShapeChecks()
    {
        var a = Kit.Randn(3, 2, seed: 40, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, Losses.SimSiam(a, a, a, a).dtype);
        Assert.Equal(ScalarType.Float32, Losses.Byol(a, a, a, a).dtype);
        var b = Kit.Randn(3, 3, seed: 41, ScalarType.Float32);
        Assert.Throws<ArgumentException>(() => Losses.SimSiam(a, a, a, b));
        Assert.Throws<ArgumentException>(() => Losses.Byol(a, b, a, a));
    }

    static double SimSiamReference(double[][,] x)
    {
        var (p1, p2, z1, z2) = (x[0], x[1], x[2], x[3]);
        int n = p1.GetLength(0);
        double d1 = 0, d2 = 0;
        for (int i = 0; i < n; i++) { d1 -= Kit.Cos(p1, i, z2, i); d2 -= Kit.Cos(p2, i, z1, i); }
        return d1 / n / 2 + d2 / n / 2;
    }

    static double ByolReference(double[][,] x)
    {
        var (p1, p2, t1, t2) = (x[0], x[1], x[2], x[3]);
        int n = p1.GetLength(0);
        double total = 0;
        for (int i = 0; i < n; i++) total += (2 - 2 * Kit.Cos(p1, i, t2, i)) + (2 - 2 * Kit.Cos(p2, i, t1, i));
        return total / n;
    }
}
