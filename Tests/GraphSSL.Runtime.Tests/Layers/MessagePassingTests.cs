using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;
using static GraphSSL.Runtime.Tests.Layers.KernelAsserts;

namespace GraphSSL.Runtime.Tests.Layers;

/// <summary>The C# CSR kernel (CPU, float32) against libtorch's index_select + index_add: values and gradients.</summary>
public sealed class MessagePassingTests : IDisposable
{
    readonly bool saved = MessagePassing.CpuKernelEnabled;

    public void Dispose() => MessagePassing.CpuKernelEnabled = saved;

    /// <summary>Random edges (duplicates and self-loops allowed) over n nodes.</summary>
    static Tensor RandomEdges(Random rng, int n, int e)
    {
        var idx = new long[2 * e];
        for (int i = 0; i < 2 * e; i++) idx[i] = rng.Next(n);
        return torch.tensor(idx, new long[] { 2, e });
    }

    /// <summary>Output and input gradient of loss = Σ w ⊙ aggregate(x) on one path.</summary>
    static (float[] Value, float[] Grad) Run(bool kernel, float[] x, long n, long f, Tensor edges, float[] w)
    {
        MessagePassing.CpuKernelEnabled = kernel;
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(x, new[] { n, f }).requires_grad_(true);
        Assert.Equal(kernel, MessagePassing.UsesCpuKernel(input));
        var output = MessagePassing.SelfPlusNeighbourSum(input, edges);
        Assert.Equal(new[] { n, f }, output.shape);
        (output * torch.tensor(w, new[] { n, f })).sum().backward();
        return (Floats(output), Floats(input.grad!));
    }

    [Theory]
    [InlineData(50, 200, 13, 1)]     // F not a multiple of the vector width: scalar tail
    [InlineData(40, 120, 64, 2)]     // the benchmark's width
    [InlineData(3000, 7000, 64, 3)]  // large enough for the multi-threaded path
    [InlineData(30, 0, 8, 4)]        // edgeless
    [InlineData(1, 0, 5, 5)]         // one node, no edge
    [InlineData(1, 3, 9, 6)]         // one node with repeated self-loops
    [InlineData(0, 0, 4, 7)]         // no nodes at all
    public void Kernel_and_libtorch_give_the_same_values_and_gradients(int n, int e, int f, int seed)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, n * f).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var w = Enumerable.Range(0, n * f).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        using var edges = RandomEdges(rng, Math.Max(n, 1), e);
        var reference = Run(false, x, n, f, edges, w);
        var kernel = Run(true, x, n, f, edges, w);
        AssertClose(reference.Value, kernel.Value);
        AssertClose(reference.Grad, kernel.Grad);
    }

    [Fact]
    public void The_multi_threaded_kernel_is_deterministic_and_independent_of_the_thread_count()
    {
        var rng = new Random(11);
        int n = 4000, f = 64;
        var x = Enumerable.Range(0, n * f).Select(_ => (float)rng.NextDouble()).ToArray();
        var w = Enumerable.Range(0, n * f).Select(_ => (float)rng.NextDouble()).ToArray();
        using var edges = RandomEdges(rng, n, 20000);
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = Run(true, x, n, f, edges, w);
            torch.set_num_threads(Math.Max(2, Environment.ProcessorCount));
            var many = Run(true, x, n, f, edges, w);
            Assert.Equal(one.Value, many.Value);
            Assert.Equal(one.Grad, many.Grad);
        }
        finally { torch.set_num_threads(threads); }
    }

    [Fact]
    public void A_GIN_encoder_gives_the_same_embeddings_and_parameter_gradients_on_both_paths()
    {
        var rng = new Random(3);
        int n = 60, f = 7;
        var x = Enumerable.Range(0, n * f).Select(_ => (float)rng.NextDouble()).ToArray();
        var batchVector = Enumerable.Range(0, n).Select(i => (long)(i / 20)).ToArray();
        // Edges inside each of the three 20-node graphs.
        var idx = new long[2 * 150];
        for (int i = 0; i < 150; i++)
        {
            int g = i % 3;
            idx[i] = g * 20 + rng.Next(20);
            idx[150 + i] = g * 20 + rng.Next(20);
        }
        (float[] Out, float[] Grads) Encode(bool kernel)
        {
            MessagePassing.CpuKernelEnabled = kernel;
            using var scope = torch.NewDisposeScope();
            torch.manual_seed(5);
            using var encoder = new GinEncoderModule(f, 16, 3, learnEps: true);
            var batch = new GraphBatch(torch.tensor(x, new long[] { n, f }), torch.tensor(idx, new long[] { 2, 150 }), torch.tensor(batchVector), 3);
            var output = encoder.Encode(batch).Graph;
            output.pow(2).sum().backward();
            return (Floats(output), encoder.parameters().SelectMany(p => Floats(p.grad!)).ToArray());
        }
        var reference = Encode(false);
        var kernel = Encode(true);
        // The aggregation sums in index_add's order, but the batch norm kernel computes its statistics in double where
        // libtorch uses float, and the backward pass sums each node's outgoing gradients in another order; three batch
        // norms amplify that rounding. Pooled sums of O(1) values can be small: compare on the scale of the largest output.
        float outScale = reference.Out.Max(Math.Abs);
        AssertClose(reference.Out.Select(v => v / outScale).ToArray(), kernel.Out.Select(v => v / outScale).ToArray());
        // Biases in front of a batch norm have a true gradient of 0, so theirs is rounding noise of the size of the
        // other gradients' rounding: compare on the scale of the largest gradient.
        float scale = reference.Grads.Max(Math.Abs);
        AssertClose(reference.Grads.Select(g => g / scale).ToArray(), kernel.Grads.Select(g => g / scale).ToArray(), 1e-4f);
    }

    [Theory]
    [InlineData(new long[] { 0, 0, 0, 1, 1, 2 }, 3, 13)]
    [InlineData(new long[] { 0, 2, 2, 2, 4 }, 6, 64)]   // graphs 1, 3 and 5 have no nodes
    [InlineData(new long[] { 0 }, 1, 9)]               // one node
    [InlineData(new long[0], 2, 8)]                     // no nodes at all
    [InlineData(new long[] { 1, 0, 1 }, 2, 8)]          // not sorted: libtorch's index_add handles it
    public void Sum_pooling_gives_the_same_values_and_gradients_on_both_paths(long[] batchVector, int graphs, int f)
    {
        var rng = new Random(graphs * 31 + f);
        int n = batchVector.Length;
        var x = Enumerable.Range(0, n * f).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var w = Enumerable.Range(0, graphs * f).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        (float[] Value, float[] Grad) Pooled(bool kernel)
        {
            MessagePassing.CpuKernelEnabled = kernel;
            using var scope = torch.NewDisposeScope();
            var input = torch.tensor(x, new long[] { n, f }).requires_grad_(true);
            var output = Pool.Sum(input, torch.tensor(batchVector, new long[] { n }), graphs);
            Assert.Equal(new long[] { graphs, f }, output.shape);
            (output * torch.tensor(w, new long[] { graphs, f })).sum().backward();
            return (Floats(output), Floats(input.grad!));
        }
        var reference = Pooled(false);
        var kernel = Pooled(true);
        AssertClose(reference.Value, kernel.Value);
        AssertClose(reference.Grad, kernel.Grad);
    }

    [Fact]
    public void Out_of_range_edges_are_refused_before_any_memory_is_read()
    {
        MessagePassing.CpuKernelEnabled = true;
        using var scope = torch.NewDisposeScope();
        var h = torch.ones(3, 4);
        var edges = torch.tensor(new long[] { 0, 1, 3, 0 }, new long[] { 2, 2 });
        Assert.Throws<ArgumentException>(() => MessagePassing.SelfPlusNeighbourSum(h, edges));
        var negative = torch.tensor(new long[] { 0, -1, 1, 0 }, new long[] { 2, 2 });
        Assert.Throws<ArgumentException>(() => MessagePassing.SelfPlusNeighbourSum(h, negative));
    }
}
