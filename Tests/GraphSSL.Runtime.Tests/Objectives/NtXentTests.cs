using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class NtXentTests
{
    [Fact]
    public void TwoOrthogonalGraphsWithIdenticalViews_MatchesClosedForm()
    {
        // u = [e1, e2, e1, e2]. Anchor 0 (e1): self excluded; k=1 (e2) s=0, k=2 (e1, the positive) s=1,
        // k=3 (e2) s=0. loss_0 = −log(e^{1/τ} / (e^{1/τ} + 2)) = log(1 + 2e^{−1/τ}); every anchor is alike.
        // τ = 0.5: log(1 + 2e^{−2}) = 0.238616...
        var z = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        double expected = Math.Log(1 + 2 * Math.Exp(-2));
        Assert.Equal(expected, Kit.S(Losses.NtXent(z, z, 0.5)), 12);
        // Scaling rows changes nothing (cosine similarity).
        var scaled = Kit.T(new double[,] { { 3, 0 }, { 0, 0.25 } });
        Assert.Equal(expected, Kit.S(Losses.NtXent(z, scaled, 0.5)), 12);
    }

    [Fact]
    public void AllVectorsIdentical_IsLogOfThree()
    {
        // Every similarity is 1: loss_i = −log(e^{1/τ} / (3 e^{1/τ})) = log 3 for any τ (2N − 1 = 3 terms).
        var z = Kit.T(new double[,] { { 1, 2 }, { 2, 4 } });
        Assert.Equal(Math.Log(3), Kit.S(Losses.NtXent(z, z, 0.2)), 12);
        Assert.Equal(Math.Log(3), Kit.S(Losses.NtXent(z, z, 7.0)), 12);
    }

    [Fact]
    public void OppositeViews_MatchesClosedForm()
    {
        // z1 = [e1, e2], z2 = [−e1, −e2]; u = [e1, e2, −e1, −e2]. Anchor 0: k=1 s=0, k=2 (positive) s=−1,
        // k=3 s=0 → loss = −log(e^{−1/τ} / (e^{−1/τ} + 2)) = log(1 + 2e^{1/τ}). τ = 1: log(1 + 2e).
        var z1 = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        var z2 = Kit.T(new double[,] { { -1, 0 }, { 0, -1 } });
        Assert.Equal(Math.Log(1 + 2 * Math.E), Kit.S(Losses.NtXent(z1, z2, 1.0)), 12);
    }

    [Fact]
    public void RandomInputs_MatchDoubleLoopReference()
    {
        var z1 = Kit.Randn(5, 3, seed: 1);
        var z2 = Kit.Randn(5, 3, seed: 2);
        double expected = Reference(Kit.M(z1), Kit.M(z2), 0.3);
        Assert.Equal(expected, Kit.S(Losses.NtXent(z1, z2, 0.3)), 10);
        // float32 in, float32 out, same value to float32 precision.
        var loss32 = Losses.NtXent(z1.to(ScalarType.Float32), z2.to(ScalarType.Float32), 0.3);
        Assert.Equal(ScalarType.Float32, loss32.dtype);
        Assert.Equal(0, loss32.dim());
        Assert.Equal(expected, Kit.S(loss32), 4);
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var inputs = new[] { Kit.M(Kit.Randn(3, 4, seed: 3)), Kit.M(Kit.Randn(3, 4, seed: 4)) };
        Func<Tensor[], Tensor> f = x => Losses.NtXent(x[0], x[1], 0.5);
        Kit.AssertGradient(f, Kit.Eval(f), inputs, new[] { 0, 1 });
    }

    [Fact]
    public void HugeNormsAndSmallTemperature_StayFiniteAndScaleInvariant()
    {
        // Rows of norm ~1e30 in float32: ‖z‖² would overflow (> 3.4e38), and τ = 0.01 makes logits up to
        // 100 (e^100 overflows float32). The loss must equal the loss of the unscaled inputs.
        var z1 = Kit.Randn(8, 4, seed: 5, ScalarType.Float32);
        var z2 = z1.add(Kit.Randn(8, 4, seed: 6, ScalarType.Float32).mul(0.1));
        double small = Kit.S(Losses.NtXent(z1, z2, 0.01));
        var h1 = z1.mul(1e30).requires_grad_(true);
        var h2 = z2.mul(1e30).requires_grad_(true);
        var loss = Losses.NtXent(h1, h2, 0.01);
        double huge = Kit.S(loss);
        Assert.True(double.IsFinite(huge), $"loss {huge}");
        Assert.Equal(small, huge, 2);
        loss.backward();
        Assert.True(h1.grad!.isfinite().all().item<bool>());
        // Identical views with τ = 0.01: the positive logit is 100 in float32; still finite.
        var identical = Losses.NtXent(z1.mul(1e30), z1.mul(1e30), 0.01);
        Assert.True(double.IsFinite(Kit.S(identical)));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var one = Kit.Randn(1, 3, seed: 7);
        var a = Kit.Randn(4, 3, seed: 8);
        var b = Kit.Randn(4, 2, seed: 9);
        Assert.Throws<ArgumentException>(() => Losses.NtXent(one, one, 0.5));
        Assert.Throws<ArgumentException>(() => Losses.NtXent(a, b, 0.5));
        Assert.Throws<ArgumentException>(() => Losses.NtXent(a, a, 0));
        Assert.Throws<ArgumentException>(() => Losses.NtXent(a, a, double.NaN));
        Assert.Throws<ArgumentException>(() => Losses.NtXent(a, a.to(ScalarType.Float32), 0.5));
        Assert.Throws<ArgumentException>(() => Losses.NtXent(a.reshape(12), a.reshape(12), 0.5));
    }

    /// <summary>Straight from the definition, with explicit exponentials (fine in float64 for moderate τ).</summary>
    static double Reference(double[,] z1, double[,] z2, double tau)
    {
        int n = z1.GetLength(0), d = z1.GetLength(1);
        var u = new double[2 * n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { u[i, j] = z1[i, j]; u[n + i, j] = z2[i, j]; }
        double total = 0;
        for (int i = 0; i < 2 * n; i++)
        {
            int p = i < n ? i + n : i - n;
            double denominator = 0;
            for (int k = 0; k < 2 * n; k++)
                if (k != i) denominator += Math.Exp(Kit.Cos(u, i, u, k) / tau);
            total += -Math.Log(Math.Exp(Kit.Cos(u, i, u, p) / tau) / denominator);
        }
        return total / (2 * n);
    }
}
