using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class MoCoSwAVTests
{
    [Fact]
    public void MoCo_OneRowQueue_MatchesClosedForm()
    {
        // q = [e1, e2], k = [(2,0), (3,0)] → k̂ = [e1, e1], queue = [e2], τ = 0.5.
        // Row 0: logits [e1·e1, e1·e2]/τ = [2, 0] → −log(e²/(e² + 1)) = log(1 + e^{−2}).
        // Row 1: logits [e2·e1, e2·e2]/τ = [0, 2] → −log(1/(1 + e²)) = log(1 + e²) = 2 + log(1 + e^{−2}).
        // mean = 1 + log(1 + e^{−2}).
        var q = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        var k = Kit.T(new double[,] { { 2, 0 }, { 3, 0 } });
        var queue = Kit.T(new double[,] { { 0, 1 } });
        Assert.Equal(1 + Math.Log(1 + Math.Exp(-2)), Kit.S(Losses.MoCo(q, k, queue, 0.5)), 12);
    }

    [Fact]
    public void MoCo_RandomInputs_MatchReference_GradientOnlyThroughQueries()
    {
        var queueHost = Kit.M(Kit.Randn(7, 3, seed: 70));
        var queue = Kit.T(Kit.Normalise(queueHost));
        var x = new[] { Kit.M(Kit.Randn(4, 3, seed: 71)), Kit.M(Kit.Randn(4, 3, seed: 72)), Kit.M(queue) };
        Func<Tensor[], Tensor> f = t => Losses.MoCo(t[0], t[1], t[2], 0.2);
        Assert.Equal(MoCoReference(x[0], x[1], x[2], 0.2), Kit.S(f(x.Select(a => Kit.T(a)).ToArray())), 11);
        Kit.AssertGradient(f, Kit.Eval(f), x, new[] { 0 });
        var leaves = x.Select(a => Kit.T(a).requires_grad_(true)).ToArray();
        f(leaves).backward();
        Assert.True(Kit.NoGradient(leaves[1]));
        Assert.True(Kit.NoGradient(leaves[2]));
        Assert.Throws<ArgumentException>(() => Losses.MoCo(Kit.T(x[0]), Kit.T(x[1]), Kit.Randn(5, 2, 73), 0.2));
        Assert.Throws<ArgumentException>(() => Losses.MoCo(Kit.T(x[0]), Kit.T(x[1]), queue, -0.2));
    }

    [Fact]
    public void Sinkhorn_SymmetricTwoByTwo_MatchesClosedForm()
    {
        // scores = I (N = K = 2): Q = exp(I/ε)ᵀ = [[a, 1], [1, a]], a = e^{1/ε}. Rows and columns already have
        // equal sums, so every normalisation only rescales: codes = [[a, 1], [1, a]]/(a + 1).
        double a = Math.Exp(1 / 0.5);
        var codes = Kit.M(Losses.Sinkhorn(Kit.T(new double[,] { { 1, 0 }, { 0, 1 } }), 0.5, 3));
        Assert.Equal(a / (a + 1), codes[0, 0], 12);
        Assert.Equal(1 / (a + 1), codes[0, 1], 12);
        Assert.Equal(1 / (a + 1), codes[1, 0], 12);
        Assert.Equal(a / (a + 1), codes[1, 1], 12);
    }

    [Fact]
    public void Sinkhorn_Marginals_ReferenceAndStability()
    {
        // N = 12 samples, K = 4 prototypes. Rows (samples) sum to 1 after any number of iterations; columns
        // (prototypes) approach N/K = 3 as iterations grow.
        var scores = Kit.Randn(12, 4, seed: 80).mul(0.3);
        var few = Kit.M(Losses.Sinkhorn(scores, 0.05, 3));
        var many = Kit.M(Losses.Sinkhorn(scores, 0.05, 500));
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(k => few[i, k]), 12);
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(k => many[i, k]), 12);
        }
        for (int k = 0; k < 4; k++)
            Assert.Equal(3.0, Enumerable.Range(0, 12).Sum(i => many[i, k]), 6);
        // Same numbers as the exp-domain algorithm of the SwAV paper, run in double loops.
        var reference = SinkhornReference(Kit.M(scores), 0.05, 3);
        for (int i = 0; i < 12; i++)
            for (int k = 0; k < 4; k++)
                Assert.Equal(reference[i, k], few[i, k], 10);
        // float32 with scores/ε = 2e4: exp would overflow; the result is still a valid code matrix.
        var big = Losses.Sinkhorn(scores.mul(1000).to(ScalarType.Float32), 0.05, 3);
        Assert.Equal(ScalarType.Float32, big.dtype);
        Assert.True(big.isfinite().all().item<bool>());
        Assert.Throws<ArgumentException>(() => Losses.Sinkhorn(scores, 0.05, 0));
        Assert.Throws<ArgumentException>(() => Losses.Sinkhorn(scores, 0, 3));
    }

    [Fact]
    public void SwAV_KEqualsTwo_MatchesClosedForm()
    {
        // z1 = z2 = prototypes = I (N = K = D = 2): scores = I; codes (see the Sinkhorn test)
        // q_n = (a, 1)/(a + 1) for n = 0 and (1, a)/(a + 1) for n = 1, a = e^{1/ε}; log p_0 = (1/τ − L, −L) with
        // L = log(1 + e^{1/τ}). Sample 0: Σ_k q log p = (a/(a+1))/τ − L; sample 1 is symmetric; both swapped
        // terms are equal → loss = L − (a/(a + 1))/τ.
        // Swapping the rows of z2 swaps its codes: q2_0 = (1, a)/(a + 1) → loss = L − (1/(a + 1))/τ for the
        // z1 term; the z2 term is symmetric (its codes q1 are swapped relative to z2's scores) → same value.
        double eps = 0.5, tau = 0.5;
        double a = Math.Exp(1 / eps), l = Math.Log(1 + Math.Exp(1 / tau));
        var eye = Kit.T(new double[,] { { 1, 0 }, { 0, 1 } });
        var swapped = Kit.T(new double[,] { { 0, 1 }, { 1, 0 } });
        Assert.Equal(l - a / (a + 1) / tau, Kit.S(Losses.SwAV(eye, eye, eye, tau, eps, 3)), 12);
        Assert.Equal(l - 1 / (a + 1) / tau, Kit.S(Losses.SwAV(eye, swapped, eye, tau, eps, 3)), 12);
    }

    [Fact]
    public void SwAV_RandomInputs_MatchReference()
    {
        var z1 = Kit.M(Kit.Randn(6, 3, seed: 90));
        var z2 = Kit.M(Kit.Randn(6, 3, seed: 91));
        var c = Kit.Normalise(Kit.M(Kit.Randn(4, 3, seed: 92)));
        double expected = SwAVReference(z1, z2, c, 0.1, 0.05, 3, null, null);
        Assert.Equal(expected, Kit.S(Losses.SwAV(Kit.T(z1), Kit.T(z2), Kit.T(c), 0.1, 0.05, 3)), 9);
        var f32 = Losses.SwAV(Kit.T(z1, ScalarType.Float32), Kit.T(z2, ScalarType.Float32), Kit.T(c, ScalarType.Float32), 0.1, 0.05, 3);
        Assert.Equal(ScalarType.Float32, f32.dtype);
        Assert.Equal(expected, Kit.S(f32), 3);
    }

    [Fact]
    public void SwAV_WithQueues_MatchesReference()
    {
        // Codes are computed over [queue; batch] (5 + 6 samples) and only the batch rows are kept.
        var z1 = Kit.M(Kit.Randn(6, 3, seed: 93));
        var z2 = Kit.M(Kit.Randn(6, 3, seed: 94));
        var c = Kit.Normalise(Kit.M(Kit.Randn(4, 3, seed: 95)));
        var queue1 = Kit.Normalise(Kit.M(Kit.Randn(5, 3, seed: 96)));
        var queue2 = Kit.Normalise(Kit.M(Kit.Randn(5, 3, seed: 97)));
        double expected = SwAVReference(z1, z2, c, 0.1, 0.05, 3, queue1, queue2);
        double actual = Kit.S(Losses.SwAV(Kit.T(z1), Kit.T(z2), Kit.T(c), 0.1, 0.05, 3, Kit.T(queue1), Kit.T(queue2)));
        Assert.Equal(expected, actual, 9);
        // The queue matters (guards against a silently ignored queue).
        Assert.NotEqual(SwAVReference(z1, z2, c, 0.1, 0.05, 3, null, null), actual, 6);
    }

    [Fact]
    public void SwAV_Gradient_TreatsCodesAsConstants()
    {
        var z1 = Kit.M(Kit.Randn(4, 3, seed: 100));
        var z2 = Kit.M(Kit.Randn(4, 3, seed: 101));
        var c = Kit.Normalise(Kit.M(Kit.Randn(3, 3, seed: 102)));
        const double tau = 0.5, eps = 0.3;
        // Codes of the unperturbed inputs, held fixed for the finite differences.
        double[,] q1, q2;
        using (torch.no_grad())
        {
            var s1 = Kit.T(Kit.Normalise(z1)).mm(Kit.T(c).t());
            var s2 = Kit.T(Kit.Normalise(z2)).mm(Kit.T(c).t());
            var codes1 = Losses.Sinkhorn(s1, eps, 3);
            Assert.False(codes1.requires_grad);
            q1 = Kit.M(codes1);
            q2 = Kit.M(Losses.Sinkhorn(s2, eps, 3));
        }
        Func<Tensor[], Tensor> f = t => Losses.SwAV(t[0], t[1], t[2], tau, eps, 3);
        var inputs = new[] { z1, z2, c };
        // Gradients w.r.t. embeddings and prototypes = derivative of the loss with the codes frozen.
        Kit.AssertGradient(f, x => SwappedPredictionReference(x[0], x[1], x[2], tau, q1, q2), inputs, new[] { 0, 1, 2 });
        // …and not the derivative through the codes: the full finite difference differs somewhere.
        var leaves = inputs.Select(a => Kit.T(a).requires_grad_(true)).ToArray();
        f(leaves).backward();
        var analytic = Kit.M(leaves[0].grad!);
        double maxDifference = 0;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
            {
                double saved = z1[i, j];
                z1[i, j] = saved + 1e-6; double plus = SwAVReference(z1, z2, c, tau, eps, 3, null, null);
                z1[i, j] = saved - 1e-6; double minus = SwAVReference(z1, z2, c, tau, eps, 3, null, null);
                z1[i, j] = saved;
                maxDifference = Math.Max(maxDifference, Math.Abs((plus - minus) / 2e-6 - analytic[i, j]));
            }
        Assert.True(maxDifference > 1e-4, $"the codes seem to carry gradient (max difference {maxDifference})");
    }

    [Fact]
    public void NormalizePrototypes_InPlaceWithoutGradient()
    {
        var p = Kit.T(new double[,] { { 3, 4 }, { 0, 2 } }).requires_grad_(true);
        Losses.NormalizePrototypes(p);
        var m = Kit.M(p);
        Assert.Equal(0.6, m[0, 0], 12);
        Assert.Equal(0.8, m[0, 1], 12);
        Assert.Equal(0.0, m[1, 0], 12);
        Assert.Equal(1.0, m[1, 1], 12);
        Assert.True(p.requires_grad);
        Assert.True(p.is_leaf);
    }

    static double MoCoReference(double[,] q, double[,] k, double[,] queue, double tau)
    {
        int n = q.GetLength(0), kk = queue.GetLength(0);
        var qn = Kit.Normalise(q);
        var kn = Kit.Normalise(k);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double positive = Math.Exp(Kit.Dot(qn, i, kn, i) / tau), denominator = positive;
            for (int j = 0; j < kk; j++) denominator += Math.Exp(Kit.Dot(qn, i, queue, j) / tau);
            total -= Math.Log(positive / denominator);
        }
        return total / n;
    }

    /// <summary>SwAV's Sinkhorn-Knopp as published: exp, global normalisation, alternate row/column scaling.</summary>
    static double[,] SinkhornReference(double[,] scores, double eps, int iterations)
    {
        int n = scores.GetLength(0), k = scores.GetLength(1);
        double max = scores.Cast<double>().Max();
        var q = new double[k, n];
        double total = 0;
        for (int p = 0; p < k; p++)
            for (int i = 0; i < n; i++) { q[p, i] = Math.Exp((scores[i, p] - max) / eps); total += q[p, i]; }
        for (int p = 0; p < k; p++) for (int i = 0; i < n; i++) q[p, i] /= total;
        for (int it = 0; it < iterations; it++)
        {
            for (int p = 0; p < k; p++)
            {
                double row = 0;
                for (int i = 0; i < n; i++) row += q[p, i];
                for (int i = 0; i < n; i++) q[p, i] /= row * k;
            }
            for (int i = 0; i < n; i++)
            {
                double column = 0;
                for (int p = 0; p < k; p++) column += q[p, i];
                for (int p = 0; p < k; p++) q[p, i] /= column * n;
            }
        }
        var codes = new double[n, k];
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) codes[i, p] = q[p, i] * n;
        return codes;
    }

    static double[,] Scores(double[,] z, double[,] c)
    {
        var zn = Kit.Normalise(z);
        var s = new double[z.GetLength(0), c.GetLength(0)];
        for (int i = 0; i < z.GetLength(0); i++)
            for (int p = 0; p < c.GetLength(0); p++) s[i, p] = Kit.Dot(zn, i, c, p);
        return s;
    }

    static double[,] Codes(double[,] z, double[,] c, double eps, int iterations, double[,]? queue)
    {
        var s = Scores(z, c);
        if (queue is null) return SinkhornReference(s, eps, iterations);
        int nq = queue.GetLength(0), n = z.GetLength(0), k = c.GetLength(0);
        var all = new double[nq + n, k];
        for (int i = 0; i < nq; i++) for (int p = 0; p < k; p++) all[i, p] = Kit.Dot(queue, i, c, p);
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) all[nq + i, p] = s[i, p];
        var codes = SinkhornReference(all, eps, iterations);
        var kept = new double[n, k];
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) kept[i, p] = codes[nq + i, p];
        return kept;
    }

    static double SwAVReference(double[,] z1, double[,] z2, double[,] c, double tau, double eps, int iterations,
        double[,]? queue1, double[,]? queue2) =>
        SwappedPredictionReference(z1, z2, c, tau, Codes(z1, c, eps, iterations, queue1), Codes(z2, c, eps, iterations, queue2));

    static double SwappedPredictionReference(double[,] z1, double[,] z2, double[,] c, double tau, double[,] q1, double[,] q2)
    {
        int n = z1.GetLength(0), k = c.GetLength(0);
        var s1 = Scores(z1, c);
        var s2 = Scores(z2, c);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double norm1 = 0, norm2 = 0;
            for (int p = 0; p < k; p++) { norm1 += Math.Exp(s1[i, p] / tau); norm2 += Math.Exp(s2[i, p] / tau); }
            for (int p = 0; p < k; p++)
            {
                total += q2[i, p] * Math.Log(Math.Exp(s1[i, p] / tau) / norm1);
                total += q1[i, p] * Math.Log(Math.Exp(s2[i, p] / tau) / norm2);
            }
        }
        return -0.5 * total / n;
    }
}
