using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary>The compacted-layout SMO solver against the pre-rewrite solver (<see cref="ReferenceSmoSolver"/>).</summary>
public class FastSmoTests
{
    /// <summary>600 standardised samples, 1 informative and 10 noise dimensions, RBF with γ = "scale".</summary>
    static (KernelData Data, sbyte[] Y) Problem(int perClass = 300, int seed = 21)
    {
        var (x, y) = EvalTestData.OverlappingGaussians(perClass, noiseDims: 10, seed: seed);
        var xs = Standardizer.Fit(x).Transform(x);
        var data = new KernelData(xs, SvcKernel.Rbf, KernelData.ScaleGamma(xs));
        return (data, y.Select(v => v == 1 ? (sbyte)1 : (sbyte)-1).ToArray());
    }

    static void AssertBitIdentical(SmoResult expected, SmoResult actual)
    {
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.Converged, actual.Converged);
        Assert.Equal(expected.Gap, actual.Gap);
        Assert.Equal(expected.Rho, actual.Rho);
        Assert.Equal(expected.Alpha, actual.Alpha);
        Assert.Equal(expected.Gradient, actual.Gradient);
    }

    [Theory]
    [InlineData(0.01, true)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(1000, true)]
    [InlineData(100, false)]
    public void CompactedSolver_IsBitIdenticalToTheReferenceSolver(double c, bool shrinking)
    {
        var (data, y) = Problem();
        var expected = ReferenceSmoSolver.Solve(data.RowsFor(null), y, c, 1e-3, 10_000_000, shrinking);
        var actual = SmoSolver.Solve(data.RowsFor(null), y, c, 1e-3, 10_000_000, shrinking);
        AssertBitIdentical(expected, actual);
        if (shrinking && c >= 100) Assert.True(actual.Iterations > 2000, "the problem should be hard enough to shrink several times");
    }

    [Fact]
    public void CompactRowCache_TinyBudget_EvictsButGivesTheSameResult()
    {
        // Room for 2 compact rows only: every update evicts; the two rows of one update must not evict each other.
        var (data, y) = Problem();
        var expected = ReferenceSmoSolver.Solve(data.RowsFor(null), y, 100, 1e-3, 10_000_000, true);
        var actual = SmoSolver.Solve(data.RowsFor(null), y, 100, 1e-3, 10_000_000, true, compactCacheBytes: 1);
        AssertBitIdentical(expected, actual);
    }

    [Fact]
    public void CompactedSolver_OnTheOnDemandRowCache_IsBitIdentical()
    {
        var (x, y01) = EvalTestData.OverlappingGaussians(100, noiseDims: 4, seed: 3);
        var data = new KernelData(x, SvcKernel.Rbf, 0.3) { FullGramLimit = 0, CacheBudgetBytes = 5 * 8 * x.Length };
        var y = y01.Select(v => v == 1 ? (sbyte)1 : (sbyte)-1).ToArray();
        var expected = ReferenceSmoSolver.Solve(new KernelData(x, SvcKernel.Rbf, 0.3).RowsFor(null), y, 10, 1e-3, 10_000_000, true);
        var actual = SmoSolver.Solve(data.RowsFor(null), y, 10, 1e-3, 10_000_000, true);
        AssertBitIdentical(expected, actual);
    }

    [Fact]
    public void CompactRowCache_InABorrowedDirtyPool_GivesTheSameResultAndIsGivenBack()
    {
        // The pool is borrowed at full size and never cleared: a slot read before it is written would show as NaN.
        var (data, y) = Problem();
        var expected = ReferenceSmoSolver.Solve(data.RowsFor(null), y, 100, 1e-3, 10_000_000, true);
        var buffers = new GramBuffers();
        var dirty = new double[600 * 600];
        Array.Fill(dirty, double.NaN);
        buffers.Return(dirty);
        for (int run = 0; run < 2; run++) // the second solve reuses what the first left in the pool
        {
            var actual = SmoSolver.Solve(data.RowsFor(null), y, 100, 1e-3, 10_000_000, true, buffers: buffers);
            AssertBitIdentical(expected, actual);
        }
        Assert.Same(dirty, buffers.Rent(1));
    }
}

