using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// Neighbour sums <c>h_v + Σ_{u→v} h_u</c> (GIN's aggregation). On the CPU with float32 features this runs a C#
/// CSR kernel as a custom autograd function: the forward pass walks each target's incoming edges (edges sorted by
/// target, no atomics, each output row written by one thread), the backward pass walks the transpose; rows are
/// vectorised (<see cref="Vector256"/>) and split over threads for large batches. Elsewhere (CUDA, other dtypes)
/// it is libtorch's <c>index_select</c> + <c>index_add</c>. Both give the same values and gradients up to float
/// rounding (the forward sums in the same order, so it is usually bit-identical).
/// </summary>
public static class MessagePassing
{
    /// <summary>
    /// Whether the CPU CSR kernel is used where it applies (default true; <c>GRAPHSSL_CSR_KERNEL=off</c> in the
    /// environment turns it off). Set to false to compare against libtorch's ops.
    /// </summary>
    public static bool CpuKernelEnabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("GRAPHSSL_CSR_KERNEL"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="SelfPlusNeighbourSum"/> runs the CSR kernel for features <paramref name="h"/>.</summary>
    public static bool UsesCpuKernel(Tensor h) =>
        CpuKernelEnabled && h.device_type == DeviceType.CPU && h.dtype == ScalarType.Float32 && h.dim() == 2;

    /// <summary>
    /// <c>h_v + Σ_{(u, v) ∈ edges} h_u</c> for <paramref name="h"/> <c>[N, F]</c> and <paramref name="edgeIndex"/>
    /// <c>[2, E]</c> (int64, row 0 sources, row 1 targets). Pass the <paramref name="adjacency"/> from
    /// <see cref="Adjacency"/> to reuse it across layers; null builds it when needed.
    /// </summary>
    public static Tensor SelfPlusNeighbourSum(Tensor h, Tensor edgeIndex, CsrAdjacency? adjacency = null)
    {
        if (!UsesCpuKernel(h))
            return h.index_add(0, edgeIndex[1], h.index_select(0, edgeIndex[0]), Segment.One);
        adjacency ??= CsrAdjacency.FromEdgeIndex(edgeIndex, h.shape[0]);
        if (adjacency.NodeCount != h.shape[0])
            throw new ArgumentException($"The adjacency has {adjacency.NodeCount} nodes, the features {h.shape[0]} rows.", nameof(adjacency));
        return CsrSumFunction.apply(h, adjacency);
    }

    /// <summary>
    /// Sum of each graph's node rows <c>[G, F]</c> for a non-decreasing <paramref name="batch"/> (CPU float32: a C#
    /// segment sum whose gradient copies each graph's row back to its nodes; elsewhere null, and the caller uses
    /// libtorch's <c>index_add</c>).
    /// </summary>
    internal static Tensor? SegmentSum(Tensor x, Tensor batch, long graphCount)
    {
        if (!UsesCpuKernel(x) || batch.device_type != DeviceType.CPU || graphCount > int.MaxValue || x.shape[0] > int.MaxValue) return null;
        // Not non-decreasing or out of range: libtorch's index_add (which sums any order, and reports bad indices).
        var starts = Kernels.SegmentStarts(batch, (int)graphCount);
        return starts is null ? null : SegmentSumFunction.apply(x, new Segments(starts));
    }

    sealed record Segments(int[] Starts);

    /// <summary>Custom autograd function: y[g] = Σ_{i ∈ segment g} x[i]; dx[i] = dy[segment of i].</summary>
    sealed class SegmentSumFunction : torch.autograd.SingleTensorFunction<SegmentSumFunction>
    {
        public override string Name => "GraphSSL.CsrSegmentSum";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var s = (Segments)vars[1];
            ctx.save_data("segments", s);
            return Kernels.SegmentSum(x, s.Starts);
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var s = (Segments)ctx.get_data("segments");
            return [Kernels.SegmentBroadcast(gradOutput, s.Starts), null!];
        }
    }

    /// <summary>The CSR form of <paramref name="edgeIndex"/> when <see cref="SelfPlusNeighbourSum"/> would use it for <paramref name="h"/>, else null.</summary>
    public static CsrAdjacency? Adjacency(Tensor h, Tensor edgeIndex) =>
        UsesCpuKernel(h) ? CsrAdjacency.FromEdgeIndex(edgeIndex, h.shape[0]) : null;

    /// <summary>Rows × columns below which the kernel stays on one thread (thread hand-off costs more than it saves).</summary>
    internal const long ParallelThreshold = 1 << 16;

    /// <summary>Custom autograd function: y = x + A·x forward, dx = dy + Aᵀ·dy backward.</summary>
    sealed class CsrSumFunction : torch.autograd.SingleTensorFunction<CsrSumFunction>
    {
        public override string Name => "GraphSSL.CsrSelfPlusNeighbourSum";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var a = (CsrAdjacency)vars[1];
            ctx.save_data("adjacency", a);
            return Kernels.SelfPlusSpmm(x, a.TargetStarts, a.Sources);
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var a = (CsrAdjacency)ctx.get_data("adjacency");
            return [Kernels.SelfPlusSpmm(gradOutput, a.SourceStarts, a.Targets), null!];
        }
    }
}

/// <summary>
/// A batch's edges in compressed sparse row form, both ways: by target (incoming edges of each node, for the
/// forward sum) and by source (outgoing edges, for the gradient). Built on the host in O(N + E) by a stable
/// counting sort, so each node's edges keep their order in the edge index.
/// </summary>
public sealed class CsrAdjacency
{
    CsrAdjacency(int nodeCount, int[] targetStarts, int[] sources, int[] sourceStarts, int[] targets)
    {
        NodeCount = nodeCount;
        TargetStarts = targetStarts;
        Sources = sources;
        SourceStarts = sourceStarts;
        Targets = targets;
    }

    /// <summary>Nodes N.</summary>
    public int NodeCount { get; }
    /// <summary>Edges E.</summary>
    public int EdgeCount => Sources.Length;
    /// <summary>[N + 1]: the incoming edges of node v are <c>Sources[TargetStarts[v] .. TargetStarts[v + 1])</c>.</summary>
    internal int[] TargetStarts { get; }
    /// <summary>[E]: sources of the edges, grouped by target.</summary>
    internal int[] Sources { get; }
    /// <summary>[N + 1]: the outgoing edges of node u are <c>Targets[SourceStarts[u] .. SourceStarts[u + 1])</c>.</summary>
    internal int[] SourceStarts { get; }
    /// <summary>[E]: targets of the edges, grouped by source.</summary>
    internal int[] Targets { get; }

    /// <summary>Builds both CSR forms of <paramref name="edgeIndex"/> <c>[2, E]</c> (int64, CPU) over <paramref name="nodeCount"/> nodes; refuses out-of-range indices.</summary>
    public static CsrAdjacency FromEdgeIndex(Tensor edgeIndex, long nodeCount)
    {
        if (edgeIndex.dim() != 2 || edgeIndex.shape[0] != 2)
            throw new ArgumentException($"Edge index must be [2, E], got [{string.Join(", ", edgeIndex.shape)}].", nameof(edgeIndex));
        if (edgeIndex.device_type != DeviceType.CPU) throw new ArgumentException("The CSR adjacency is built from a CPU edge index.", nameof(edgeIndex));
        if (nodeCount > int.MaxValue || edgeIndex.shape[1] > int.MaxValue) throw new ArgumentException("Too many nodes or edges for the CSR kernel.", nameof(edgeIndex));
        int n = (int)nodeCount;
        int e = (int)edgeIndex.shape[1];
        using var scope = torch.NewDisposeScope();
        var edges = edgeIndex.to(ScalarType.Int64).contiguous();
        var src = new int[e];
        var dst = new int[e];
        Kernels.ReadEdges(edges, src, dst, n);
        var (targetStarts, sources) = Group(dst, src, n);
        var (sourceStarts, targets) = Group(src, dst, n);
        return new CsrAdjacency(n, targetStarts, sources, sourceStarts, targets);
    }

    /// <summary>Stable counting sort of <paramref name="values"/> by <paramref name="keys"/>: (starts [n + 1], values grouped by key).</summary>
    static (int[] Starts, int[] Grouped) Group(int[] keys, int[] values, int n)
    {
        var starts = new int[n + 1];
        foreach (var k in keys) starts[k + 1]++;
        for (int v = 0; v < n; v++) starts[v + 1] += starts[v];
        var next = starts.AsSpan(0, n).ToArray();
        var grouped = new int[values.Length];
        for (int i = 0; i < keys.Length; i++) grouped[next[keys[i]]++] = values[i];
        return (starts, grouped);
    }
}

/// <summary>The raw loops: pointers into libtorch's CPU storage, <see cref="Vector256"/> over each row.</summary>
internal static unsafe class Kernels
{
    [DllImport("LibTorchSharp")]
    static extern IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The address of <paramref name="t"/>'s CPU storage (the caller keeps <paramref name="t"/> alive while it reads).</summary>
    internal static void* Data(Tensor t)
    {
        var p = THSTensor_data(t.Handle);
        if (p == IntPtr.Zero) torch.CheckForErrors();
        return (void*)p;
    }

    /// <summary>Whether <paramref name="t"/> is a contiguous CPU float32 tensor, the storage every float kernel here reads.</summary>
    internal static bool IsContiguousCpuFloat(Tensor t) => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    /// <summary>
    /// Threads for a kernel over <paramref name="work"/> elements: one below <see cref="MessagePassing.ParallelThreshold"/>
    /// (a hand-off costs more than it saves), else libtorch's intra-op thread count.
    /// </summary>
    internal static int ThreadsFor(long work) => work < MessagePassing.ParallelThreshold ? 1 : Math.Max(1, torch.get_num_threads());

    /// <summary>Runs <paramref name="chunk"/>(0 … chunks − 1) on the .NET pool with at most <paramref name="threads"/> workers, inline for one.</summary>
    internal static void ForEachChunk(int chunks, int threads, Action<int> chunk)
    {
        if (threads <= 1 || chunks <= 1)
        {
            for (int k = 0; k < chunks; k++) chunk(k);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk);
    }

    /// <summary>
    /// Calls <paramref name="range"/>(begin, end) over <c>[0, rows)</c>: inline on one thread, else in fixed chunks
    /// (<paramref name="threads"/> × 4) so each row is written by exactly one worker and the result does not depend on
    /// the thread count.
    /// </summary>
    internal static void ForEachRowRange(int rows, int threads, Action<int, int> range)
    {
        if (threads <= 1)
        {
            range(0, rows);
            return;
        }
        int chunks = threads * 4;
        int rowsPerChunk = (rows + chunks - 1) / chunks;
        ForEachChunk(chunks, threads, c =>
        {
            int begin = c * rowsPerChunk, end = Math.Min(rows, begin + rowsPerChunk);
            if (begin < end) range(begin, end);
        });
    }

    /// <summary>Copies a contiguous int64 <c>[2, E]</c> edge index into <paramref name="src"/> and <paramref name="dst"/>, checking 0 ≤ index &lt; n.</summary>
    internal static void ReadEdges(Tensor edges, int[] src, int[] dst, int n)
    {
        int e = src.Length;
        if (e == 0) return;
        long* p = (long*)Data(edges);
        for (int i = 0; i < e; i++)
        {
            long s = p[i], d = p[e + i];
            if ((ulong)s >= (ulong)n || (ulong)d >= (ulong)n)
                throw new ArgumentException($"Edge {i} ({s} → {d}) points outside the {n} nodes.");
            src[i] = (int)s;
            dst[i] = (int)d;
        }
    }

    /// <summary><c>y[v] = x[v] + Σ_{e ∈ [starts[v], starts[v+1])} x[cols[e]]</c> for float32 <paramref name="input"/> <c>[N, F]</c>.</summary>
    internal static Tensor SelfPlusSpmm(Tensor input, int[] starts, int[] cols)
    {
        var x = input.contiguous();
        var y = torch.empty_like(x);
        long n = x.shape[0], f = x.shape[1];
        if (n == 0 || f == 0) return y;
        float* px = (float*)Data(x);
        float* py = (float*)Data(y);
        int threads = ThreadsFor(n * f * 2 + (long)cols.Length * f);
        fixed (int* ps = starts, pc = cols)
        {
            nint ax = (nint)px, ay = (nint)py, aps = (nint)ps, apc = (nint)pc;
            int fi = (int)f;
            ForEachRowRange((int)n, threads, (begin, end) => Rows((float*)ax, (float*)ay, (int*)aps, (int*)apc, begin, end, fi));
        }
        GC.KeepAlive(x);
        return y;
    }

    /// <summary>Start of every segment <c>[G + 1]</c> from a non-decreasing int64 <paramref name="batch"/> with values in [0, G); null otherwise.</summary>
    internal static int[]? SegmentStarts(Tensor batch, int g)
    {
        using var scope = torch.NewDisposeScope();
        var b = batch.to(ScalarType.Int64).contiguous();
        int n = (int)b.shape[0];
        var starts = new int[g + 1];
        if (n == 0) return starts;
        long* p = (long*)Data(b);
        long previous = 0;
        for (int i = 0; i < n; i++)
        {
            long v = p[i];
            if (v < previous || v >= g) return null;
            starts[v + 1]++;
            previous = v;
        }
        for (int k = 0; k < g; k++) starts[k + 1] += starts[k];
        return starts;
    }

    /// <summary><c>y[g] = Σ_{i ∈ [starts[g], starts[g+1])} x[i]</c>, rows in order (as <c>index_add</c> adds them).</summary>
    internal static Tensor SegmentSum(Tensor input, int[] starts)
    {
        var x = input.contiguous();
        int g = starts.Length - 1;
        long f = x.shape[1];
        var y = torch.zeros(new long[] { g, f }, dtype: x.dtype, device: x.device);
        if (g == 0 || f == 0 || x.shape[0] == 0) return y;
        float* px = (float*)Data(x);
        float* py = (float*)Data(y);
        int fi = (int)f;
        int vectorEnd = Vector256.IsHardwareAccelerated ? fi - fi % Vector256<float>.Count : 0;
        for (int k = 0; k < g; k++)
        {
            float* yr = py + (long)k * f;
            int i0 = starts[k], i1 = starts[k + 1];
            int j = 0;
            for (; j < vectorEnd; j += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                for (int i = i0; i < i1; i++) acc += Vector256.Load(px + (long)i * f + j);
                acc.Store(yr + j);
            }
            for (; j < fi; j++)
            {
                float acc = 0;
                for (int i = i0; i < i1; i++) acc += px[(long)i * f + j];
                yr[j] = acc;
            }
        }
        GC.KeepAlive(x);
        return y;
    }

    /// <summary><c>dx[i] = dy[g]</c> for every row i of segment g.</summary>
    internal static Tensor SegmentBroadcast(Tensor gradOutput, int[] starts)
    {
        var dy = gradOutput.contiguous();
        int g = starts.Length - 1;
        long f = dy.shape[1];
        var dx = torch.empty(new long[] { starts[g], f }, dtype: dy.dtype, device: dy.device);
        if (starts[g] == 0 || f == 0) return dx;
        float* pdy = (float*)Data(dy);
        float* pdx = (float*)Data(dx);
        long bytes = f * sizeof(float);
        for (int k = 0; k < g; k++)
            for (int i = starts[k]; i < starts[k + 1]; i++)
                Buffer.MemoryCopy(pdy + (long)k * f, pdx + (long)i * f, bytes, bytes);
        GC.KeepAlive(dy);
        return dx;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(float* x, float* y, int* starts, int* cols, int begin, int end, int f)
    {
        int vectorEnd = Vector256.IsHardwareAccelerated ? f - f % Vector256<float>.Count : 0;
        for (int v = begin; v < end; v++)
        {
            float* yr = y + (long)v * f;
            float* xr = x + (long)v * f;
            int e0 = starts[v], e1 = starts[v + 1];
            int j = 0;
            for (; j < vectorEnd; j += Vector256<float>.Count)
            {
                var acc = Vector256.Load(xr + j);
                for (int e = e0; e < e1; e++) acc += Vector256.Load(x + (long)cols[e] * f + j);
                acc.Store(yr + j);
            }
            for (; j < f; j++)
            {
                float acc = xr[j];
                for (int e = e0; e < e1; e++) acc += x[(long)cols[e] * f + j];
                yr[j] = acc;
            }
        }
    }
}
