using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;
using static GraphSSL.Runtime.Tests.Layers.KernelAsserts;

namespace GraphSSL.Runtime.Tests.Layers;

/// <summary>The sparse first-layer product (CPU, float32) against libtorch's dense <c>linear</c>: values, gradients, fallbacks.</summary>
public sealed class SparseInputTests : IDisposable
{
    readonly bool saved = SparseInput.Enabled;

    public void Dispose() => SparseInput.Enabled = saved;

    /// <summary>An [n, f] matrix with about <paramref name="density"/> of its entries non-zero (values in ±1), plus some all-zero rows.</summary>
    static float[] SparseMatrix(Random rng, int n, int f, double density)
    {
        var x = new float[n * f];
        for (int i = 0; i < x.Length; i++)
            if (rng.NextDouble() < density) x[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int r = 0; r < n; r += 7) Array.Clear(x, r * f, f); // empty rows
        return x;
    }

    /// <summary>Output and weight gradient of loss = Σ g ⊙ (x·Wᵀ) on one path.</summary>
    static (float[] Value, float[] Grad) Run(bool sparse, float[] x, int n, int f, float[] w, int o, float[] g)
    {
        SparseInput.Enabled = sparse;
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(x, new long[] { n, f });
        var weight = torch.tensor(w, new long[] { o, f }).requires_grad_(true);
        var output = SparseInput.Linear(input, weight);
        Assert.Equal(new long[] { n, o }, output.shape);
        (output * torch.tensor(g, new long[] { n, o })).sum().backward();
        return (Floats(output), Floats(weight.grad!));
    }

    static float[] Uniform(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(50, 100, 13, 0.02, 1)]     // output width not a multiple of the vector width: scalar tail
    [InlineData(40, 203, 64, 0.05, 2)]     // input width not a multiple of the vector width: the scan's scalar tail
    [InlineData(2708, 1433, 512, 0.0127, 3)] // Cora's shape and density: the multi-threaded path when threads > 1
    [InlineData(30, 64, 8, 0.0, 4)]        // all zeros
    [InlineData(0, 128, 4, 0.01, 5)]       // no rows at all
    public void Sparse_and_dense_products_give_the_same_values_and_weight_gradients(int n, int f, int o, double density, int seed)
    {
        var rng = new Random(seed);
        var x = SparseMatrix(rng, n, f, density);
        var w = Uniform(rng, o * f);
        var g = Uniform(rng, n * o);
        using (var probe = torch.tensor(x, new long[] { n, f }))
        using (var weight = torch.zeros(o, f))
        {
            Assert.True(SparseInput.Applies(probe, weight));
            Assert.NotNull(NonZeros.TryRead(probe, SparseInput.MaxDensity)); // really the sparse path, not its fallback
        }
        var dense = Run(false, x, n, f, w, o, g);
        var sparse = Run(true, x, n, f, w, o, g);
        AssertClose(dense.Value, sparse.Value);
        AssertClose(dense.Grad, sparse.Grad);
    }

    [Fact]
    public void The_non_zeros_are_read_by_row_and_by_column_including_NaN()
    {
        float nan = float.NaN;
        var x = new float[]
        {
            0, 2, 0, 0,
            0, 0, 0, 0,
            3, 0, nan, -1,
        };
        using var t = torch.tensor(x, new long[] { 3, 4 });
        var nz = NonZeros.TryRead(t, 1.0)!;
        Assert.Equal(new[] { 0, 1, 1, 4 }, nz.RowStarts);
        Assert.Equal(new[] { 1, 0, 2, 3 }, nz.Columns);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, nz.ColumnStarts);
        Assert.Equal(new[] { 2, 0, 2, 2 }, nz.RowsByColumn);
        Assert.Equal(2f, nz.ValuesByColumn[1]);
        Assert.True(float.IsNaN(nz.ValuesByColumn[2]));
    }

    [Fact]
    public void A_dense_input_is_refused_by_the_scan_and_multiplied_densely()
    {
        var rng = new Random(7);
        var x = SparseMatrix(rng, 64, 128, 0.5);
        using var t = torch.tensor(x, new long[] { 64, 128 });
        Assert.Null(NonZeros.TryRead(t, SparseInput.MaxDensity));
        var w = Uniform(rng, 16 * 128);
        var g = Uniform(rng, 64 * 16);
        AssertClose(Run(false, x, 64, 128, w, 16, g).Value, Run(true, x, 64, 128, w, 16, g).Value);
    }

    [Fact]
    public void Narrow_inputs_and_inputs_that_need_their_own_gradient_take_the_dense_path()
    {
        SparseInput.Enabled = true;
        using var narrow = torch.zeros(10, SparseInput.MinColumns - 1);
        using var narrowWeight = torch.zeros(4, SparseInput.MinColumns - 1);
        Assert.False(SparseInput.Applies(narrow, narrowWeight));

        // GraphMAE's learnable mask token makes the encoder input require a gradient: the dense product gives it one.
        using var scope = torch.NewDisposeScope();
        var x = torch.zeros(5, 100);
        x[0, 3] = torch.tensor(2f);
        x.requires_grad_(true);
        var weight = torch.ones(3, 100).requires_grad_(true);
        Assert.False(SparseInput.Applies(x, weight));
        SparseInput.Linear(x, weight).sum().backward();
        Assert.NotNull(x.grad);
        Assert.Equal(3f, x.grad![0, 3].item<float>());
        Assert.Equal(2f, weight.grad![1, 3].item<float>());

        SparseInput.Enabled = false;
        using var wide = torch.zeros(10, 100);
        Assert.False(SparseInput.Applies(wide, torch.zeros(4, 100)));
    }

    [Fact]
    public void A_GCN_encoder_gives_the_same_node_states_and_gradients_either_way()
    {
        // The encoder's first layer is where the product is used (a wide input, narrower output).
        var rng = new Random(11);
        int n = 60, f = 300, e = 150;
        var x = SparseMatrix(rng, n, f, 0.02);
        var edges = Enumerable.Range(0, 2 * e).Select(_ => (long)rng.Next(n)).ToArray();
        (float[] Out, float[] Grad) Encode(bool sparse)
        {
            SparseInput.Enabled = sparse;
            using var scope = torch.NewDisposeScope();
            torch.manual_seed(5);
            using var encoder = new GcnEncoderModule(f, 16, 2, Pooling.Sum, jumpingKnowledge: false, batchNorm: false);
            var batch = new GraphBatch(torch.tensor(x, new long[] { n, f }), torch.tensor(edges, new long[] { 2, e }), torch.zeros(n, dtype: ScalarType.Int64), 1);
            var output = encoder.Encode(batch).Nodes;
            output.pow(2).sum().backward();
            var firstWeight = encoder.parameters().Single(p => p.dim() == 2 && p.shape[1] == f);
            return (Floats(output), Floats(firstWeight.grad!));
        }
        var dense = Encode(false);
        var sparse = Encode(true);
        AssertClose(dense.Out, sparse.Out, 1e-4f);
        AssertClose(dense.Grad, sparse.Grad, 1e-4f);
    }
}
