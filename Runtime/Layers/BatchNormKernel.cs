using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>
/// Batch norm over node rows in training mode, optionally preceded by a ReLU, as one C# kernel on the CPU:
/// <c>y = γ·(r − mean)/√(var + ε) + β</c> with <c>r = ReLU(x)</c> (or <c>x</c>), mean and biased variance over the
/// rows, the module's running statistics updated as <see cref="BatchNorm"/> does (unbiased variance, its momentum,
/// <c>num_batches_tracked</c> + 1). This kernel reads the rows contiguously, sums in double (so it is at least as exact
/// as libtorch's float sums, and independent of the thread count) and fuses the ReLU and its gradient mask. Measured
/// on an NCI1 GIN 3 × 64 trainer (docs/PERFORMANCE.md): no gain at one thread, 1.36× per epoch at two threads, where
/// libtorch's batch norm pays for its parallel regions.
/// It applies on the CPU to float32 <c>[N, C]</c> inputs with N ≥ 2 in training mode with affine parameters and
/// running statistics; everywhere else (CUDA, evaluation mode, other dtypes, <see cref="Enabled"/> or
/// <see cref="MessagePassing.CpuKernelEnabled"/> off) the module's own <c>forward</c> runs, so the two paths agree up to float rounding.
/// </summary>
public static class BatchNormKernel
{
    /// <summary>Rows per chunk: fixed, so the chunked sums (and the results) do not depend on the thread count.</summary>
    internal const int ChunkRows = 512;

    /// <summary>
    /// Whether the kernel is used where it applies (default true; <c>GRAPHSSL_BN_KERNEL=off</c> in the environment turns
    /// it off). <see cref="MessagePassing.CpuKernelEnabled"/> off turns every C# kernel off, this one included.
    /// </summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("GRAPHSSL_BN_KERNEL"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>norm(ReLU(x))</c> when <paramref name="reluFirst"/>, else <c>norm(x)</c>, through the kernel where it applies.</summary>
    public static Tensor Forward(BatchNorm norm, Tensor x, bool reluFirst = false)
    {
        ArgumentNullException.ThrowIfNull(norm);
        ArgumentNullException.ThrowIfNull(x);
        return Applies(norm, x) ? Apply(norm, x, reluFirst) : norm.forward(reluFirst ? x.relu() : x);
    }

    /// <summary>The kernel path of <see cref="Forward"/>, for a caller that has checked <see cref="Applies"/>.</summary>
    internal static Tensor Apply(BatchNorm norm, Tensor x, bool reluFirst)
    {
        // As BatchNorm.forward: count the batch, then blend the running statistics by the momentum, or by
        // 1 / batches counted when the momentum is null (the cumulative average).
        norm.num_batches_tracked?.add_(Scalars.One, Scalars.One);
        double factor = norm.momentum ?? 1.0 / norm.num_batches_tracked!.to(ScalarType.Float64).item<double>();
        return Function.apply(x, norm.weight!, norm.bias!, new Settings(norm.running_mean!, norm.running_var!, factor, norm.eps, reluFirst));
    }

    /// <summary>Whether <see cref="Forward"/> runs the C# kernel for <paramref name="norm"/> and <paramref name="x"/>.</summary>
    public static bool Applies(BatchNorm norm, Tensor x) =>
        Enabled && MessagePassing.UsesCpuKernel(x) && norm.training && x.shape[0] >= 2 && x.shape[0] <= int.MaxValue && x.shape[1] == norm.num_features
        && (norm.momentum is not null || norm.num_batches_tracked is not null)
        && norm.weight is not null && norm.bias is not null && norm.running_mean is not null && norm.running_var is not null
        && Kernels.IsContiguousCpuFloat(norm.weight) && Kernels.IsContiguousCpuFloat(norm.bias)
        && Kernels.IsContiguousCpuFloat(norm.running_mean) && Kernels.IsContiguousCpuFloat(norm.running_var);

    sealed record Settings(Tensor RunningMean, Tensor RunningVar, double Factor, double Eps, bool ReluFirst);

    /// <summary>What the backward pass needs besides the input: the batch mean and 1/σ per column, and γ as it was in the forward pass.</summary>
    sealed record Saved(double[] Mean, double[] InvStd, float[] Weight, bool ReluFirst);

    sealed class Function : torch.autograd.SingleTensorFunction<Function>
    {
        public override string Name => "GraphSSL.BatchNorm";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var x = ((Tensor)vars[0]).contiguous();
            var weight = (Tensor)vars[1];
            var bias = (Tensor)vars[2];
            var s = (Settings)vars[3];
            var (y, saved) = BatchNormCpu.Forward(x, weight, bias, s.RunningMean, s.RunningVar, s.Factor, s.Eps, s.ReluFirst);
            // The input through autograd's own saved variables (a plain reference would be disposed with its scope).
            ctx.save_for_backward([x]);
            ctx.save_data("saved", saved);
            return y;
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var saved = (Saved)ctx.get_data("saved");
            var input = ctx.get_saved_variables()[0];
            var (dx, dweight, dbias) = BatchNormCpu.Backward(input, gradOutput.contiguous(), saved);   // input: the contiguous x saved above
            return [dx, dweight, dbias, null!];
        }
    }

    /// <summary>The loops, over float32 row-major storage (<see cref="Kernels.Data"/>).</summary>
    static unsafe class BatchNormCpu
    {
        internal static (Tensor Y, Saved Saved) Forward(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
            double factor, double eps, bool reluFirst)
        {
            int n = (int)x.shape[0], c = (int)x.shape[1];
            float* px = (float*)Kernels.Data(x);
            // One pass for Σr and Σr² in double: a float and its square are exact in double, so E[r²] − mean² loses
            // only double rounding (relative 1e-16 · mean²/var), far below float resolution.
            var (sum, squares) = ColumnSums(px, null, n, c, reluFirst);
            var mean = new double[c];
            for (int j = 0; j < c; j++) mean[j] = sum[j] / n;
            var invStd = new double[c];
            var w = new float[c];
            var scale = new float[c];
            var shift = new float[c];
            float* pw = (float*)Kernels.Data(weight);
            float* pb = (float*)Kernels.Data(bias);
            float* prm = (float*)Kernels.Data(runningMean);
            float* prv = (float*)Kernels.Data(runningVar);
            for (int j = 0; j < c; j++)
            {
                double variance = Math.Max(0, squares[j] / n - mean[j] * mean[j]);
                invStd[j] = 1.0 / Math.Sqrt(variance + eps);
                w[j] = pw[j];
                scale[j] = (float)(pw[j] * invStd[j]);
                shift[j] = (float)(pb[j] - mean[j] * pw[j] * invStd[j]);
                // The running statistics as libtorch keeps them: the unbiased variance, blended by the factor.
                prm[j] = (float)((1 - factor) * prm[j] + factor * mean[j]);
                prv[j] = (float)((1 - factor) * prv[j] + factor * variance * n / (n - 1));
            }
            var y = torch.empty_like(x);
            nint ax = (nint)px, ay = (nint)Kernels.Data(y);
            ForChunks(n, c, (begin, end) => Normalize((float*)ax, (float*)ay, scale, shift, begin, end, c, reluFirst));
            GC.KeepAlive(weight);
            GC.KeepAlive(bias);
            GC.KeepAlive(runningMean);
            GC.KeepAlive(runningVar);
            return (y, new Saved(mean, invStd, w, reluFirst));
        }

        internal static (Tensor Dx, Tensor DWeight, Tensor DBias) Backward(Tensor x, Tensor dy, Saved s)
        {
            int n = (int)x.shape[0], c = (int)x.shape[1];
            float* px = (float*)Kernels.Data(x);
            float* pdy = (float*)Kernels.Data(dy);
            // Σ dy and Σ dy·(r − mean) per column, in fixed chunks, then dβ = Σ dy and dγ = Σ dy·x̂.
            var (sumDy, sumDyR) = ColumnSums(px, pdy, n, c, s.ReluFirst);
            var dweight = torch.empty(c, dtype: ScalarType.Float32);
            var dbias = torch.empty(c, dtype: ScalarType.Float32);
            float* pdw = (float*)Kernels.Data(dweight);
            float* pdb = (float*)Kernels.Data(dbias);
            // dr = γ/σ · (dy − Σdy/n − x̂·Σ(dy·x̂)/n) = a·dy + b·r + d per column.
            var a = new float[c];
            var b = new float[c];
            var d = new float[c];
            for (int j = 0; j < c; j++)
            {
                double inv = s.InvStd[j];
                double dgamma = (sumDyR[j] - s.Mean[j] * sumDy[j]) * inv;   // Σ dy·(r − mean)/σ
                pdw[j] = (float)dgamma;
                pdb[j] = (float)sumDy[j];
                double g = s.Weight[j] * inv;
                double k = dgamma * inv / n;          // multiplies (r − mean)
                a[j] = (float)g;
                b[j] = (float)(-g * k);
                d[j] = (float)(g * (k * s.Mean[j] - sumDy[j] / n));
            }
            var dx = torch.empty_like(x);
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)Kernels.Data(dx);
            bool relu = s.ReluFirst;
            ForChunks(n, c, (begin, end) => InputGradient((float*)ax, (float*)ady, (float*)adx, a, b, d, begin, end, c, relu));
            GC.KeepAlive(x);
            GC.KeepAlive(dy);
            return (dx, dweight, dbias);
        }

        /// <summary>
        /// Per column, in double: (Σr, Σr²) when <paramref name="g"/> is null, else (Σg, Σg·r), with r = ReLU(x) or x.
        /// Rows go in fixed chunks whose partial sums are added in chunk order (independent of the thread count).
        /// </summary>
        static (double[] First, double[] Second) ColumnSums(float* x, float* g, int n, int c, bool relu)
        {
            int chunks = (n + ChunkRows - 1) / ChunkRows;
            var first = new double[chunks * c];
            var second = new double[chunks * c];
            nint ax = (nint)x, ag = (nint)g;
            ForChunks(n, c, (begin, end) =>
            {
                int k = begin / ChunkRows;
                fixed (double* p1 = &first[k * c], p2 = &second[k * c])
                    ChunkSums((float*)ax, (float*)ag, begin, end, c, relu, p1, p2);
            });
            return (Reduce(first, chunks, c), Reduce(second, chunks, c));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void ChunkSums(float* x, float* g, int begin, int end, int c, bool relu, double* first, double* second)
        {
            int vectorEnd = Vector256.IsHardwareAccelerated ? c - c % Vector256<float>.Count : 0;
            int j = 0;
            // Eight columns at a time, down the rows, the four accumulators in registers.
            for (; j < vectorEnd; j += Vector256<float>.Count)
            {
                Vector256<double> a1 = default, a1h = default, a2 = default, a2h = default;
                for (int i = begin; i < end; i++)
                {
                    var xv = Vector256.Load(x + (long)i * c + j);
                    var (r, rh) = Vector256.Widen(relu ? Vector256.Max(xv, Vector256<float>.Zero) : xv);
                    if (g == null)
                    {
                        a1 += r; a1h += rh;
                        a2 += r * r; a2h += rh * rh;
                    }
                    else
                    {
                        var (gv, gh) = Vector256.Widen(Vector256.Load(g + (long)i * c + j));
                        a1 += gv; a1h += gh;
                        a2 += gv * r; a2h += gh * rh;
                    }
                }
                a1.Store(first + j); a1h.Store(first + j + 4);
                a2.Store(second + j); a2h.Store(second + j + 4);
            }
            for (; j < c; j++)
            {
                double s1 = 0, s2 = 0;
                for (int i = begin; i < end; i++)
                {
                    double r = relu ? Math.Max(x[(long)i * c + j], 0f) : x[(long)i * c + j];
                    double w = g == null ? r : g[(long)i * c + j];
                    s1 += w;
                    s2 += w * r;
                }
                first[j] = s1;
                second[j] = s2;
            }
        }

        static double[] Reduce(double[] partial, int chunks, int c)
        {
            var total = new double[c];
            for (int k = 0; k < chunks; k++)
                for (int j = 0; j < c; j++) total[j] += partial[k * c + j];
            return total;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void Normalize(float* x, float* y, float[] scale, float[] shift, int begin, int end, int c, bool relu)
        {
            int vectorEnd = Vector256.IsHardwareAccelerated ? c - c % Vector256<float>.Count : 0;
            fixed (float* ps = scale, pt = shift)
            {
                for (int i = begin; i < end; i++)
                {
                    float* xr = x + (long)i * c;
                    float* yr = y + (long)i * c;
                    int j = 0;
                    for (; j < vectorEnd; j += Vector256<float>.Count)
                    {
                        var r = Vector256.Load(xr + j);
                        if (relu) r = Vector256.Max(r, Vector256<float>.Zero);
                        (r * Vector256.Load(ps + j) + Vector256.Load(pt + j)).Store(yr + j);
                    }
                    for (; j < c; j++)
                    {
                        float r = relu ? Math.Max(xr[j], 0f) : xr[j];
                        yr[j] = r * ps[j] + pt[j];
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static void InputGradient(float* x, float* dy, float* dx, float[] a, float[] b, float[] d, int begin, int end, int c, bool relu)
        {
            int vectorEnd = Vector256.IsHardwareAccelerated ? c - c % Vector256<float>.Count : 0;
            fixed (float* pa = a, pb = b, pd = d)
            {
                for (int i = begin; i < end; i++)
                {
                    float* xr = x + (long)i * c;
                    float* gr = dy + (long)i * c;
                    float* dr = dx + (long)i * c;
                    int j = 0;
                    for (; j < vectorEnd; j += Vector256<float>.Count)
                    {
                        var xv = Vector256.Load(xr + j);
                        var r = relu ? Vector256.Max(xv, Vector256<float>.Zero) : xv;
                        var g = Vector256.Load(pa + j) * Vector256.Load(gr + j) + Vector256.Load(pb + j) * r + Vector256.Load(pd + j);
                        // ReLU's gradient: zero where the input was not positive (as libtorch's threshold_backward).
                        if (relu) g = Vector256.ConditionalSelect(Vector256.GreaterThan(xv, Vector256<float>.Zero), g, Vector256<float>.Zero);
                        g.Store(dr + j);
                    }
                    for (; j < c; j++)
                    {
                        float r = relu ? Math.Max(xr[j], 0f) : xr[j];
                        float g = pa[j] * gr[j] + pb[j] * r + pd[j];
                        dr[j] = relu && !(xr[j] > 0f) ? 0f : g;
                    }
                }
            }
        }

        /// <summary>Fixed <see cref="ChunkRows"/>-row chunks over the shared thread rule (<see cref="Kernels.ThreadsFor"/>).</summary>
        static void ForChunks(int n, int c, Action<int, int> body) =>
            Kernels.ForEachChunk((n + ChunkRows - 1) / ChunkRows, Kernels.ThreadsFor((long)n * c), k => body(k * ChunkRows, Math.Min(n, (k + 1) * ChunkRows)));
    }
}

/// <summary>
/// <c>BatchNorm1d</c> over rows (<c>[N, C]</c>, or <c>[N, C, L]</c>) whose CPU float32 training forward is
/// <see cref="BatchNormKernel"/>: the same parameters, buffers and state-dict names as <c>nn.BatchNorm1d</c> (a module
/// saved with either loads into the other), the same defaults (ε 1e-5, momentum 0.1, affine, running statistics).
/// Every batch norm of the runtime's encoders and heads is one.
/// </summary>
public sealed class RowBatchNorm : BatchNorm
{
    /// <summary>Batch norm over <paramref name="features"/> columns.</summary>
    public RowBatchNorm(long features, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(RowBatchNorm))
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        BatchNormKernel.Applies(this, input) ? BatchNormKernel.Apply(this, input, reluFirst: false) : base.forward(input);

    /// <inheritdoc />
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 2 && input.ndim != 3)
            throw new ArgumentException($"Expected a 2D or 3D input (got a {input.ndim}D one).", nameof(input));
    }
}

