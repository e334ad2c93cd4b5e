using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Layers;

namespace GraphSSL.Runtime.Tests.Layers;

public class PoolTests
{
    // Three graphs: g0 = rows 0..2, g1 = rows 3..4, g2 = row 5.
    static readonly double[] Values =
    {
        1, 5,
        3, 2,
        4, 0,
        -1, -2,
        -3, -7,
        0.5, -0.25,
    };
    static Tensor X(ScalarType dtype) => torch.tensor(Values, new long[] { 6, 2 }, dtype: ScalarType.Float64).to(dtype);
    static Tensor Batch() => torch.tensor(new long[] { 0, 0, 0, 1, 1, 2 });
    static double[] Doubles(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Fact]
    public void Sum_matches_hand_computation()
    {
        using var scope = torch.NewDisposeScope();
        // g0: [1+3+4, 5+2+0] = [8, 7]; g1: [−4, −9]; g2: [0.5, −0.25].
        Assert.Equal(new double[] { 8, 7, -4, -9, 0.5, -0.25 }, Doubles(Pool.Sum(X(ScalarType.Float64), Batch(), 3)));
    }

    [Fact]
    public void Mean_matches_hand_computation_and_guards_empty_graphs()
    {
        using var scope = torch.NewDisposeScope();
        // g0: [8/3, 7/3]; g1: [−2, −4.5]; g2: itself; g3 has no nodes → zeros.
        var mean = Doubles(Pool.Mean(X(ScalarType.Float64), Batch(), 4));
        var expected = new[] { 8.0 / 3, 7.0 / 3, -2, -4.5, 0.5, -0.25, 0, 0 };
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], mean[i], 12);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void Max_matches_hand_computation_and_guards_empty_graphs(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        // g0: [4, 5]; g1: [−1, −2]; g2: [0.5, −0.25]; g3 (empty) → zeros.
        Assert.Equal(new double[] { 4, 5, -1, -2, 0.5, -0.25, 0, 0 }, Doubles(Pool.Max(X(dtype), Batch(), 4)));
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void Max_gradient_goes_to_the_argmax(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var x = X(dtype).requires_grad_(true);
        var max = Pool.Max(x, Batch(), 3);
        // Weight every output element differently: d(Σ w·max)/dx puts w[g, f] on graph g's maximal row in column f.
        var w = torch.tensor(new double[] { 10, 20, 30, 40, 50, 60 }, new long[] { 3, 2 }, dtype: ScalarType.Float64).to(dtype);
        (max * w).sum().backward();
        // Maxima: g0 col0 row 2 (4), col1 row 0 (5); g1 col0 row 3 (−1), col1 row 3 (−2); g2 row 5.
        Assert.Equal(new double[] { 0, 20, 0, 0, 10, 0, 30, 40, 0, 0, 50, 60 }, Doubles(x.grad!));
    }

    [Fact]
    public void Max_float32_orders_extremes_denormals_and_signed_zeros_exactly()
    {
        using var scope = torch.NewDisposeScope();
        // Each graph is one column pair; expected maxima derived by hand:
        //   g0: {1e-45 (denormal), 0, −1e-45}     → 1e-45
        //   g1: {−3e38, −1e-45, −2e-45}           → −1e-45
        //   g2: {3e38, 3.0000001e38 (next float), 1}  → the larger of the two near-equal huge values
        //   g3: {1.25, 1.2500001 (next float), −0} → 1.2500001
        float next38 = MathF.BitIncrement(3e38f), next125 = MathF.BitIncrement(1.25f);
        var values = new float[] { 1e-45f, 0f, -1e-45f, -3e38f, -1e-45f, -2e-45f, 3e38f, next38, 1f, 1.25f, next125, -0f };
        var x = torch.tensor(values, new long[] { 12, 1 });
        var batch = torch.tensor(new long[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 });
        var max = Pool.Max(x, batch, 4).data<float>().ToArray();
        Assert.Equal(new[] { 1e-45f, -1e-45f, next38, next125 }, max);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void Max_agrees_with_per_graph_amax_on_random_batches(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(7);
        var counts = new long[] { 1, 5, 2, 9, 3, 1, 4 };
        var batch = torch.repeat_interleave(torch.arange(counts.Length, dtype: ScalarType.Int64), torch.tensor(counts));
        var x = torch.randn(counts.Sum(), 6, generator: generator, dtype: dtype).mul_(100).round_();   // many ties
        var max = Pool.Max(x, batch, counts.Length);
        long start = 0;
        for (int g = 0; g < counts.Length; g++)
        {
            var expected = x[TensorIndex.Slice(start, start + counts[g])].amax(new long[] { 0 });
            Assert.Equal(Doubles(expected), Doubles(max[g]));
            start += counts[g];
        }
    }

    [Fact]
    public void Readout_dispatches_on_pooling()
    {
        using var scope = torch.NewDisposeScope();
        var x = X(ScalarType.Float64);
        Assert.Equal(Doubles(Pool.Sum(x, Batch(), 3)), Doubles(Pool.Readout(Pooling.Sum, x, Batch(), 3)));
        Assert.Equal(Doubles(Pool.Mean(x, Batch(), 3)), Doubles(Pool.Readout(Pooling.Mean, x, Batch(), 3)));
        Assert.Equal(Doubles(Pool.Max(x, Batch(), 3)), Doubles(Pool.Readout(Pooling.Max, x, Batch(), 3)));
    }
}
