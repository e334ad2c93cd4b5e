namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary>Small seeded synthetic data sets for the evaluation tests.</summary>
internal static class EvalTestData
{
    public static double Gaussian(Random rng)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// Three unit-variance Gaussian blobs in 4 dimensions, blob c shifted by <paramref name="separation"/> along axis c, and a
    /// split like Planetoid's (30 train, 170 validation, 400 test): the node probes' test data.
    /// </summary>
    public static (double[][] X, int[] Y, GraphSSL.Data.NodeSplit Split) NodeBlobs(double separation, int seed = 5)
    {
        var random = new Random(seed);
        int n = 600;
        var x = new double[n][];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            x[i] = new double[4];
            for (int d = 0; d < 4; d++) x[i][d] = Gaussian(random) + (d == y[i] ? separation : 0);
        }
        return (x, y, new GraphSSL.Data.NodeSplit([.. Enumerable.Range(0, 30)], [.. Enumerable.Range(30, 170)], [.. Enumerable.Range(200, 400)]));
    }

    /// <summary>Isotropic Gaussian blobs with standard deviation <paramref name="sd"/>, <paramref name="perClass"/> samples per centre, classes interleaved.</summary>
    public static (double[][] X, int[] Y) Blobs(double[][] centres, int perClass, double sd, int seed)
    {
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < centres.Length; c++)
            {
                x.Add(centres[c].Select(m => m + sd * Gaussian(rng)).ToArray());
                y.Add(c);
            }
        }
        return (x.ToArray(), y.ToArray());
    }

    /// <summary>
    /// Two classes, first coordinate N(−1, 1) for class 0 and N(+1, 1) for class 1, plus
    /// <paramref name="noiseDims"/> pure N(0, 1) noise coordinates. Bayes rule: sign of the first
    /// coordinate; Bayes accuracy Φ(1) ≈ 0.8413.
    /// </summary>
    public static (double[][] X, int[] Y) OverlappingGaussians(int perClass, int noiseDims, int seed)
    {
        var rng = new Random(seed);
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                var row = new double[1 + noiseDims];
                row[0] = (c == 0 ? -1 : 1) + Gaussian(rng);
                for (int d = 1; d < row.Length; d++) row[d] = Gaussian(rng);
                x.Add(row);
                y.Add(c);
            }
        }
        return (x.ToArray(), y.ToArray());
    }

    public static double Accuracy(int[] predicted, int[] truth) =>
        (double)predicted.Zip(truth).Count(p => p.First == p.Second) / truth.Length;

    public static double Rbf(double[] a, double[] b, double gamma)
    {
        double d2 = 0;
        for (int i = 0; i < a.Length; i++) d2 += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Exp(-gamma * d2);
    }
}
