using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

/// <summary>Closed-form and definition-derived checks of the losses added with the open DSL.</summary>
public class NewObjectivesTests
{
    [Fact]
    public void CrossViewNtXent_OrthogonalIdenticalViews_MatchesClosedForm()
    {
        // s = I: loss_i = −s_ii/τ + log Σ_{j≠i} e^{s_ij/τ} = −1/τ + log(e⁰) = −1/τ (the positive is not in the denominator).
        var z = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        Assert.Equal(-2.0, Kit.S(Losses.CrossViewNtXent(z, z, 0.5)), 12);
    }

    [Fact]
    public void CrossViewNtXent_MatchesItsDefinitionAndIsOneDirectional()
    {
        var g = new Generator(5);
        var z1 = torch.randn(6, 4, generator: g, dtype: ScalarType.Float64);
        var z2 = torch.randn(6, 4, generator: g, dtype: ScalarType.Float64);
        double tau = 0.3;
        var a = Kit.M(z1); var b = Kit.M(z2);
        double Cos(int i, int j)
        {
            double dot = 0, na = 0, nb = 0;
            for (int k = 0; k < 4; k++) { dot += a[i, k] * b[j, k]; na += a[i, k] * a[i, k]; nb += b[j, k] * b[j, k]; }
            return dot / Math.Sqrt(na * nb);
        }
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double negatives = 0;
            for (int j = 0; j < 6; j++) if (j != i) negatives += Math.Exp(Cos(i, j) / tau);
            expected += -Math.Log(Math.Exp(Cos(i, i) / tau) / negatives);
        }
        expected /= 6;
        Assert.Equal(expected, Kit.S(Losses.CrossViewNtXent(z1, z2, tau)), 10);
        // One direction: swapping the views changes the value (same-view similarities never enter).
        Assert.NotEqual(Kit.S(Losses.CrossViewNtXent(z1, z2, tau)), Kit.S(Losses.CrossViewNtXent(z2, z1, tau)), 6);
    }

    [Fact]
    public void ScaledCosine_IsZeroForParallelRowsAndTwoToTheAlphaForOpposite()
    {
        var x = Kit.T(new double[,] { { 1, 2, 0 }, { 0, -1, 3 } });
        Assert.Equal(0.0, Kit.S(Losses.ScaledCosine(x.mul(4), x, 2)), 12);
        Assert.Equal(Math.Pow(2, 3), Kit.S(Losses.ScaledCosine(x.neg(), x, 3)), 12);
        // Orthogonal rows: (1 − 0)^α = 1.
        Assert.Equal(1.0, Kit.S(Losses.ScaledCosine(Kit.T(new double[,] { { 1, 0 } }), Kit.T(new double[,] { { 0, 1 } }), 2.5)), 12);
    }

    [Fact]
    public void Unit_IsPyTorchNormalizeWithItsDefaultEpsilon_ForTinyAndOrdinaryRows()
    {
        // F.normalize(x, eps = 1e-12) = x / max(‖x‖, 1e-12): a row of norm 1e-13 becomes x / 1e-12 (not a unit row),
        // a row of norm 5e-9 and an ordinary row become unit rows, a row of zeros stays zero.
        var x = Kit.T(new double[,] { { 3e-13, 4e-13 }, { 3e-9, 4e-9 }, { 3, -4 }, { 0, 0 } }, ScalarType.Float32);
        var u = Kit.M(Losses.Unit(x));
        Assert.Equal(0.3, u[0, 0], 5);
        Assert.Equal(0.4, u[0, 1], 5);
        Assert.Equal(0.6, u[1, 0], 5);
        Assert.Equal(0.8, u[1, 1], 5);
        Assert.Equal(0.6, u[2, 0], 6);
        Assert.Equal(-0.8, u[2, 1], 6);
        Assert.Equal(0.0, u[3, 0]);
        Assert.Equal(0.0, u[3, 1]);
    }

    [Fact]
    public void ScaledCosine_OfAZeroReconstruction_HasAGradientAdamCanSquare()
    {
        // GraphMAE on Cora: a node masked together with all its neighbours is reconstructed as the decoder's bias alone,
        // which starts at zero. Its gradient is 1/ε-sized; it must stay far enough below float32's 3.4e38 that Adam's
        // g² is finite, or the second moment becomes infinite and the bias never moves again.
        var bias = torch.zeros(1, 3, dtype: ScalarType.Float32).requires_grad_(true);
        var reconstructed = torch.zeros(2, 3, dtype: ScalarType.Float32).add(bias);
        var target = Kit.T(new double[,] { { 1, 0, 2 }, { 0, 3, 1 } }, ScalarType.Float32);
        Losses.ScaledCosine(reconstructed, target, 3).backward();
        var g = Kit.M(bias.grad!);
        for (int j = 0; j < 3; j++)
        {
            Assert.True(double.IsFinite(g[0, j] * g[0, j]) && Math.Abs(g[0, j]) <= 1e13, $"gradient {g[0, j]}");
            Assert.True(float.IsFinite((float)(g[0, j] * g[0, j])), $"g² of {g[0, j]} overflows float32");
        }
        // One Adam step moves every coordinate by about the learning rate (before the fix: not at all).
        using var adam = torch.optim.Adam(new[] { new TorchSharp.Modules.Parameter(bias.detach().clone(), requires_grad: true) }, 1e-3);
        var p = adam.parameters().Single();
        p.grad = bias.grad!.clone();
        adam.step();
        var moved = Kit.M(p.detach().view(1, 3));
        for (int j = 0; j < 3; j++) Assert.InRange(Math.Abs(moved[0, j]), 0.5e-3, 1.5e-3);
    }

    [Fact]
    public void InfoGraph_MatchesTheJensenShannonEstimateByHand()
    {
        // Two graphs: nodes 0, 1 in graph 0, node 2 in graph 1. Scores s = l·gᵀ.
        var l = Kit.T(new double[,] { { 1, 0 }, { 0.5, 0.5 }, { -1, 2 } });
        var gEmb = Kit.T(new double[,] { { 2, 1 }, { 0, -1 } });
        var batch = torch.tensor(new long[] { 0, 0, 1 });
        double Softplus(double v) => Math.Log(1 + Math.Exp(v));
        double[,] s = { { 2, 0 }, { 1.5, -0.5 }, { 0, -2 } };
        int[] own = { 0, 0, 1 };
        double pos = 0, neg = 0;
        for (int n = 0; n < 3; n++)
            for (int k = 0; k < 2; k++)
            {
                if (k == own[n]) pos += Math.Log(2) - Softplus(-s[n, k]);
                else neg += Softplus(-s[n, k]) + s[n, k] - Math.Log(2);
            }
        double expected = neg / (3 * 1) - pos / 3;
        Assert.Equal(expected, Kit.S(Losses.InfoGraph(l, gEmb, batch)), 12);
    }

    [Fact]
    public void AlignAndUniform_MatchTheirDefinitions()
    {
        // Unit rows e1, e2 against e1, e1: ‖u1 − u2‖² = 0 and 2 → align (α = 2) = mean(0, 2) = 1.
        var z1 = Kit.T(new double[,] { { 3, 0 }, { 0, 2 } });
        var z2 = Kit.T(new double[,] { { 1, 0 }, { 5, 0 } });
        Assert.Equal(1.0, Kit.S(Losses.Align(z1, z2, 2)), 12);
        // Uniform over e1, e2, −e1: pair distances² 2, 4, 2 → log mean(e^{−2t}, e^{−4t}, e^{−2t}).
        var z = Kit.T(new double[,] { { 1, 0 }, { 0, 1 }, { -1, 0 } });
        double t = 2;
        Assert.Equal(Math.Log((2 * Math.Exp(-2 * t) + Math.Exp(-4 * t)) / 3), Kit.S(Losses.Uniform(z, t)), 12);
    }
}
