using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Layers;

namespace GraphSSL.Runtime.Tests.Layers;

/// <summary>
/// The C# batch-norm kernel (CPU, float32, training mode, optional ReLU in front) against libtorch's
/// <c>BatchNorm1d</c> (after <c>relu</c>): outputs, input and parameter gradients, running statistics and the batch count.
/// </summary>
public sealed class BatchNormKernelTests : IDisposable
{
    readonly bool saved = MessagePassing.CpuKernelEnabled;

    public void Dispose() => MessagePassing.CpuKernelEnabled = saved;

    static float[] Floats(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    sealed record Outcome(float[] Y, float[] Dx, float[] DWeight, float[] DBias, float[] RunningMean, float[] RunningVar, long Batches);

    /// <summary>Two training steps (the second sees the first's running statistics), loss = Σ w ⊙ y.</summary>
    static Outcome Run(bool kernel, float[] x, int n, int c, float[] w, bool relu, double? momentum)
    {
        MessagePassing.CpuKernelEnabled = kernel;
        using var scope = torch.NewDisposeScope();
        using var norm = nn.BatchNorm1d(c);
        norm.momentum = momentum;
        norm.weight!.detach().copy_(torch.linspace(0.5, 1.5, c));
        norm.bias!.detach().copy_(torch.linspace(-0.2, 0.3, c));
        norm.train();
        var input = torch.tensor(x, new long[] { n, c }).requires_grad_(true);
        Assert.Equal(kernel, BatchNormKernel.Applies(norm, input));
        BatchNormKernel.Forward(norm, input * 0.5f, relu);   // a first step, so the running statistics blend twice
        var y = BatchNormKernel.Forward(norm, input, relu);
        (y * torch.tensor(w, new long[] { n, c })).sum().backward();
        return new Outcome(Floats(y), Floats(input.grad!), Floats(norm.weight!.grad!), Floats(norm.bias!.grad!),
            Floats(norm.running_mean!), Floats(norm.running_var!), norm.num_batches_tracked!.item<long>());
    }

    static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = Math.Max(1e-6f, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: libtorch {expected[i]}, kernel {actual[i]}");
    }

    [Theory]
    [InlineData(40, 64, true, 0.1, 1)]      // GIN's case: ReLU then batch norm, the benchmark's width
    [InlineData(40, 64, false, 0.1, 2)]     // batch norm alone
    [InlineData(3, 13, true, 0.1, 3)]       // few rows; a width with a scalar tail
    [InlineData(3000, 64, true, 0.1, 4)]    // several row chunks, the multi-threaded path
    [InlineData(700, 200, false, 0.0, 5)]   // momentum 0: the running statistics stay
    [InlineData(700, 24, false, null, 7)]   // momentum null: the cumulative average (1 / batches)
    [InlineData(50, 7, true, 0.9, 6)]
    public void Kernel_and_libtorch_agree(int n, int c, bool relu, double? momentum, int seed)
    {
        var rng = new Random(seed);
        // Shifted, scaled columns, so the mean is not 0 and a ReLU cuts part of every column.
        var x = Enumerable.Range(0, n * c).Select(i => (float)((rng.NextDouble() * 2 - 0.7) * (1 + i % c))).ToArray();
        var w = Enumerable.Range(0, n * c).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var reference = Run(false, x, n, c, w, relu, momentum);
        var kernel = Run(true, x, n, c, w, relu, momentum);
        AssertClose(reference.Y, kernel.Y, 1e-5f, "y");
        AssertClose(reference.Dx, kernel.Dx, 1e-4f, "dx");
        AssertClose(reference.DWeight, kernel.DWeight, 1e-4f, "dγ");
        AssertClose(reference.DBias, kernel.DBias, 1e-5f, "dβ");
        // libtorch sums the statistics in float, in an order that depends on its thread count (which other tests
        // change); the kernel sums in double. Columns here have variances up to ~10⁴: allow libtorch's float rounding.
        AssertClose(reference.RunningMean, kernel.RunningMean, 5e-5f, "running mean");
        AssertClose(reference.RunningVar, kernel.RunningVar, 5e-5f, "running var");
        Assert.Equal(2, reference.Batches);
        Assert.Equal(reference.Batches, kernel.Batches);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        var rng = new Random(9);
        int n = 5000, c = 64;
        var x = Enumerable.Range(0, n * c).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
        var w = Enumerable.Range(0, n * c).Select(_ => (float)rng.NextDouble()).ToArray();
        int threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = Run(true, x, n, c, w, true, 0.1);
            torch.set_num_threads(Math.Max(2, Environment.ProcessorCount));
            var many = Run(true, x, n, c, w, true, 0.1);
            Assert.Equal(one.Y, many.Y);
            Assert.Equal(one.Dx, many.Dx);
            Assert.Equal(one.DWeight, many.DWeight);
            Assert.Equal(one.RunningVar, many.RunningVar);
        }
        finally { torch.set_num_threads(threads); }
    }

    [Fact]
    public void Evaluation_mode_and_single_rows_take_the_module_path()
    {
        MessagePassing.CpuKernelEnabled = true;
        using var scope = torch.NewDisposeScope();
        using var norm = nn.BatchNorm1d(4);
        var x = torch.randn(5, 4);
        Assert.True(BatchNormKernel.Applies(norm, x));
        Assert.False(BatchNormKernel.Applies(norm, x.narrow(0, 0, 1)));   // one row has no variance (n − 1 = 0): libtorch's behaviour
        Assert.False(BatchNormKernel.Applies(norm, x.to(ScalarType.Float64)));
        norm.eval();
        Assert.False(BatchNormKernel.Applies(norm, x));
        // Evaluation mode normalises with the running statistics (here 0 and 1): ReLU then the identity affine map.
        var y = BatchNormKernel.Forward(norm, x, reluFirst: true);
        AssertClose(Floats(x.relu() / Math.Sqrt(1 + 1e-5)), Floats(y), 1e-6f, "eval");
    }

    [Fact]
    public void RowBatchNorm_is_a_drop_in_BatchNorm1d()
    {
        MessagePassing.CpuKernelEnabled = true;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var x = torch.randn(30, 6) * 2 + 1;
        using var reference = nn.BatchNorm1d(6);
        using var rows = new RowBatchNorm(6);
        // Same state-dict names and shapes, so a module saved with either loads into the other.
        Assert.Equal(reference.state_dict().Keys.OrderBy(k => k), rows.state_dict().Keys.OrderBy(k => k));
        reference.weight!.detach().copy_(torch.linspace(0.5, 2, 6));
        using (var stream = new MemoryStream())
        {
            reference.save(new BinaryWriter(stream));
            stream.Position = 0;
            rows.load(new BinaryReader(stream));
        }
        AssertClose(Floats(reference.weight!), Floats(rows.weight!), 0, "loaded weight");
        // Training mode (the kernel) and evaluation mode (libtorch, running statistics) give libtorch's values.
        Assert.True(BatchNormKernel.Applies(rows, x));
        AssertClose(Floats(reference.forward(x)), Floats(rows.forward(x)), 1e-5f, "training");
        AssertClose(Floats(reference.running_var!), Floats(rows.running_var!), 1e-5f, "running var");
        reference.eval();
        rows.eval();
        AssertClose(Floats(reference.forward(x)), Floats(rows.forward(x)), 1e-6f, "evaluation");
        Assert.Throws<ArgumentException>(() => rows.forward(torch.ones(6)));
    }
}
