using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Runtime.Tests.Objectives;

/// <summary>Host-side helpers for the objective tests: tensors ↔ arrays, seeded inputs, finite differences.</summary>
internal static class Kit
{
    /// <summary>A seeded standard-normal matrix.</summary>
    public static Tensor Randn(long rows, long cols, long seed, ScalarType dtype = ScalarType.Float64)
    {
        using var generator = new torch.Generator((ulong)seed);
        return torch.randn(rows, cols, dtype: dtype, generator: generator);
    }

    /// <summary>A float64 tensor from a host matrix.</summary>
    public static Tensor T(double[,] a, ScalarType dtype = ScalarType.Float64)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var flat = new double[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                flat[i * c + j] = a[i, j];
        return torch.tensor(flat, new long[] { r, c }, dtype: ScalarType.Float64).to(dtype);
    }

    /// <summary>The matrix values of a tensor, as float64 on the host.</summary>
    public static double[,] M(Tensor t)
    {
        using var host = t.detach().to(ScalarType.Float64).cpu().contiguous();
        var flat = host.data<double>().ToArray();
        int r = (int)t.shape[0], c = (int)t.shape[1];
        var a = new double[r, c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                a[i, j] = flat[i * c + j];
        return a;
    }

    /// <summary>The scalar value of a tensor, as a double.</summary>
    public static double S(Tensor t)
    {
        using var host = t.detach().to(ScalarType.Float64).cpu();
        return host.item<double>();
    }

    /// <summary>
    /// Checks the autograd gradient of <paramref name="loss"/> with respect to each input listed in
    /// <paramref name="check"/> against central finite differences of <paramref name="reference"/>
    /// (float64, step h): |analytic − numeric| ≤ tol·(1 + |numeric|) for every element.
    /// </summary>
    public static void AssertGradient(
        Func<Tensor[], Tensor> loss, Func<double[][,], double> reference, double[][,] inputs, int[] check,
        double h = 1e-6, double tol = 1e-6)
    {
        using var scope = torch.NewDisposeScope();
        var leaves = inputs.Select(a => T(a).requires_grad_(true)).ToArray();
        loss(leaves).backward();
        foreach (int which in check)
        {
            var grad = leaves[which].grad;
            Assert.NotNull(grad);
            var analytic = M(grad!);
            var x = inputs[which];
            for (int i = 0; i < x.GetLength(0); i++)
                for (int j = 0; j < x.GetLength(1); j++)
                {
                    double saved = x[i, j];
                    x[i, j] = saved + h;
                    double plus = reference(inputs);
                    x[i, j] = saved - h;
                    double minus = reference(inputs);
                    x[i, j] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    Assert.True(Math.Abs(analytic[i, j] - numeric) <= tol * (1 + Math.Abs(numeric)),
                        $"input {which} [{i},{j}]: autograd {analytic[i, j]:R} vs finite difference {numeric:R}");
                }
        }
    }

    /// <summary>The loss evaluated on host copies, without gradient (for finite differences of the function itself).</summary>
    public static Func<double[][,], double> Eval(Func<Tensor[], Tensor> loss) => inputs =>
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return S(loss(inputs.Select(a => T(a)).ToArray()));
    };

    /// <summary>True when the tensor received no gradient (null) or only zeros.</summary>
    public static bool NoGradient(Tensor leaf)
    {
        var g = leaf.grad;
        if (g is null) return true;
        return M(g.reshape(1, -1)).Cast<double>().All(v => v == 0);
    }

    public static double[,] Copy(double[,] a) => (double[,])a.Clone();

    public static double Dot(double[,] a, int i, double[,] b, int j)
    {
        double s = 0;
        for (int d = 0; d < a.GetLength(1); d++) s += a[i, d] * b[j, d];
        return s;
    }

    /// <summary>Rows scaled to unit length (host).</summary>
    public static double[,] Normalise(double[,] a)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var o = new double[r, c];
        for (int i = 0; i < r; i++)
        {
            double norm = Math.Sqrt(Dot(a, i, a, i));
            for (int j = 0; j < c; j++) o[i, j] = a[i, j] / Math.Max(norm, 1e-8);
        }
        return o;
    }

    public static double Cos(double[,] a, int i, double[,] b, int j) =>
        Dot(a, i, b, j) / (Math.Sqrt(Dot(a, i, a, i)) * Math.Sqrt(Dot(b, j, b, j)));
}
