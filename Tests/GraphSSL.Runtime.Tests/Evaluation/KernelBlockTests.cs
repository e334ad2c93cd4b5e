using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary>The register-blocked Gram and cross-kernel routines against one <see cref="KernelData.Dot"/> per entry.</summary>
public class KernelBlockTests
{
    static double[][] Rows(int n, int f, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, f).Select(_ => EvalTestData.Gaussian(rng)).ToArray()).ToArray();
    }

    // Sizes that are not multiples of 4 or of the 64-row tiles, and feature counts with and without a SIMD tail.
    [Theory]
    [InlineData(203, 96, SvcKernel.Rbf)]
    [InlineData(130, 7, SvcKernel.Rbf)]
    [InlineData(67, 13, SvcKernel.Linear)]
    [InlineData(3, 5, SvcKernel.Rbf)]
    public void FullGram_IsBitIdenticalToOneDotPerEntry(int n, int f, SvcKernel kernel)
    {
        var x = Rows(n, f, seed: n + f);
        var data = new KernelData(x, kernel, 0.05);
        var gram = data.FullGram();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = kernel == SvcKernel.Linear ? KernelData.Dot(x[i], x[j])
                    : i == j ? 1.0 : Math.Exp(-0.05 * Math.Max(0.0, KernelData.Dot(x[i], x[i]) + KernelData.Dot(x[j], x[j]) - 2 * KernelData.Dot(x[i], x[j])));
                Assert.Equal(expected, gram[(long)i * n + j]);
                Assert.Equal(data.Value(i, j), gram[(long)i * n + j]);
            }
    }

    [Theory]
    [InlineData(203, 41, 96)]
    [InlineData(70, 9, 7)]
    public void Cross_IsBitIdenticalToOneDotPerEntry(int n, int m, int f)
    {
        var x = Rows(n, f, seed: 1);
        var other = Rows(m, f, seed: 2);
        var data = new KernelData(x, SvcKernel.Rbf, 0.05);
        var columns = Enumerable.Range(0, n).Where(i => i % 3 != 1).Reverse().ToArray(); // any order, a subset
        foreach (var cols in new[] { null, columns })
        {
            var block = data.Cross(other, cols);
            var c = cols ?? Enumerable.Range(0, n).ToArray();
            for (int r = 0; r < m; r++)
                for (int t = 0; t < c.Length; t++)
                {
                    double d2 = KernelData.Dot(other[r], other[r]) + KernelData.Dot(x[c[t]], x[c[t]]) - 2 * KernelData.Dot(other[r], x[c[t]]);
                    Assert.Equal(Math.Exp(-0.05 * Math.Max(0.0, d2)), block[(long)r * c.Length + t]);
                }
        }
    }

    [Fact]
    public void FullGram_InAReusedDirtyBuffer_WritesEveryEntry()
    {
        // A rented buffer is neither cleared nor exactly n² long: every entry of the n × n prefix must be written.
        var x = Rows(131, 9, seed: 5);
        var fresh = new KernelData(x, SvcKernel.Rbf, 0.1).FullGram();
        var buffers = new GramBuffers();
        var dirty = new double[131 * 131 + 77];
        Array.Fill(dirty, double.NaN);
        buffers.Return(dirty);
        var data = new KernelData(x, SvcKernel.Rbf, 0.1) { Buffers = buffers };
        var reused = data.FullGram();
        Assert.Same(dirty, reused);
        Assert.Equal(fresh, reused.AsSpan(0, 131 * 131).ToArray());
        data.ReleaseGram();
        Assert.Same(dirty, buffers.Rent(100)); // given back for the next fold
    }

    [Fact]
    public void Cross_InAReusedDirtyBuffer_WritesEveryEntry()
    {
        var x = Rows(70, 9, seed: 6);
        var other = Rows(23, 9, seed: 7);
        var data = new KernelData(x, SvcKernel.Rbf, 0.1);
        var fresh = data.Cross(other);
        var buffers = new GramBuffers();
        var dirty = new double[23 * 70 + 5];
        Array.Fill(dirty, double.NaN);
        buffers.Return(dirty);
        var reused = data.Cross(other, null, buffers);
        Assert.Same(dirty, reused);
        Assert.Equal(fresh, reused.AsSpan(0, 23 * 70).ToArray());
    }
}
