using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>
/// Graph readouts: reduce node representations <c>x [N, F]</c> to one row per graph <c>[G, F]</c>, using the
/// batch vector <c>batch [N]</c> (int64, graph of each node, non-decreasing as <see cref="Batching.GraphBatch"/> guarantees).
/// Every result is created on <c>x</c>'s device and dtype; nothing is read back to the host.
/// </summary>
public static class Pool
{
    /// <summary>
    /// Sum of each graph's node rows: <c>zeros(G, F).index_add(0, batch, x)</c>; on the CPU with float32 a C# segment
    /// sum over the contiguous node ranges (<see cref="MessagePassing"/>; same values, same gradient).
    /// </summary>
    public static Tensor Sum(Tensor x, Tensor batch, long graphCount)
    {
        Check(x, batch, graphCount);
        if (MessagePassing.SegmentSum(x, batch, graphCount) is { } fast) return fast;
        return torch.zeros(graphCount, x.shape[1], dtype: x.dtype, device: x.device).index_add_(0, batch, x, Segment.One);
    }

    /// <summary>Mean of each graph's node rows; a graph without nodes (never produced by batching) gives zeros.</summary>
    public static Tensor Mean(Tensor x, Tensor batch, long graphCount) => Mean(x, batch, graphCount, null);

    /// <summary>
    /// Element-wise maximum of each graph's node rows; a graph without nodes gives zeros. The gradient of each
    /// output element goes to exactly one input element, a maximal one (the last of the graph's maximal nodes
    /// on ties). Needs <paramref name="batch"/> non-decreasing and finite values in <paramref name="x"/>.
    /// </summary>
    /// <remarks>
    /// <c>scatter_reduce</c> and <c>index_reduce</c> are unavailable in TorchSharp 0.107, so the maximising node of
    /// every (graph, column) is found without gradient by a segmented running maximum
    /// (<see cref="Segment.ArgMax"/>) and the output is a differentiable <c>gather</c> of those rows.
    /// </remarks>
    public static Tensor Max(Tensor x, Tensor batch, long graphCount) => Max(x, batch, graphCount, null);

    /// <summary>The readout <paramref name="pooling"/> selects: <see cref="Sum"/>, <see cref="Mean(Tensor, Tensor, long)"/> or <see cref="Max(Tensor, Tensor, long)"/>.</summary>
    public static Tensor Readout(Pooling pooling, Tensor x, Tensor batch, long graphCount) =>
        Readout(pooling, x, batch, graphCount, null);

    /// <summary>Readout with node counts per graph (<see cref="Segment.Counts"/>) computed once by the caller.</summary>
    internal static Tensor Readout(Pooling pooling, Tensor x, Tensor batch, long graphCount, Tensor? counts) => pooling switch
    {
        Pooling.Sum => Sum(x, batch, graphCount),
        Pooling.Mean => Mean(x, batch, graphCount, counts),
        Pooling.Max => Max(x, batch, graphCount, counts),
        _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling."),
    };

    internal static Tensor Mean(Tensor x, Tensor batch, long graphCount, Tensor? counts)
    {
        using var scope = torch.NewDisposeScope();
        var sum = Sum(x, batch, graphCount);
        counts ??= Segment.Counts(batch, graphCount);
        var denominator = counts.to(x.dtype).clamp_min(1).unsqueeze(1);
        return sum.div_(denominator).MoveToOuterDisposeScope();
    }

    internal static Tensor Max(Tensor x, Tensor batch, long graphCount, Tensor? counts)
    {
        Check(x, batch, graphCount);
        using var scope = torch.NewDisposeScope();
        counts ??= Segment.Counts(batch, graphCount);
        var index = Segment.ArgMax(x, batch, counts);
        var max = x.gather(0, index);
        // Empty graphs (count 0) point at an arbitrary row; zero them.
        var nonEmpty = counts.gt(0).unsqueeze(1);
        return max.mul_(nonEmpty).MoveToOuterDisposeScope();
    }

    static void Check(Tensor x, Tensor batch, long graphCount)
    {
        if (x.dim() != 2) throw new ArgumentException($"Node features must be [N, F], got {x.dim()} dimensions.", nameof(x));
        if (batch.dim() != 1 || batch.shape[0] != x.shape[0])
            throw new ArgumentException($"Batch vector must be [N] with N = {x.shape[0]}, got [{string.Join(", ", batch.shape)}].", nameof(batch));
        if (graphCount < 0) throw new ArgumentOutOfRangeException(nameof(graphCount), graphCount, "Graph count must be non-negative.");
    }
}

/// <summary>
/// Reductions over contiguous segments of rows (graphs in a batch, incoming edges of a node after sorting by
/// target) that TorchSharp 0.107 lacks. All results stay on the input's device; no host reads.
/// </summary>
internal static class Segment
{
    /// <summary>alpha = 1 for <c>index_add</c> (integral, so it suits integer and float tensors alike).</summary>
    internal static readonly Scalar One = 1;

    /// <summary>Rows per segment <c>[S]</c>, int64, via <c>index_add</c> (bincount would synchronise on CUDA).</summary>
    internal static Tensor Counts(Tensor segment, long segmentCount)
    {
        using var scope = torch.NewDisposeScope();
        var ones = torch.ones(segment.shape[0], dtype: ScalarType.Int64, device: segment.device);
        return torch.zeros(segmentCount, dtype: ScalarType.Int64, device: segment.device)
            .index_add_(0, segment, ones, One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For every segment and column, the row index (into dim 0 of <paramref name="values"/> <c>[M, K]</c>) of a maximal
    /// element: <c>[S, K]</c> int64. <paramref name="sortedSegment"/> <c>[M]</c> must be non-decreasing;
    /// <paramref name="counts"/> <c>[S]</c> are the rows per segment. Empty segments get an arbitrary valid index.
    /// No gradient. Ties resolve to the last maximal row of the segment (float32/float16/bfloat16) or to an
    /// unspecified maximal row (float64).
    /// </summary>
    /// <remarks>
    /// float32 and narrower: every value is mapped exactly and monotonically to an integer through
    /// <c>frexp</c> (x = m·2^e, m·2^24 integral), the segment id is added in the high bits, and one running maximum
    /// (<c>cummax</c>) along each column gives at each segment's last row the index of the segment maximum.
    /// float64 cannot be packed that way into int64, so it sorts each column by value and then stably by segment
    /// (exact, slower; float64 is for checks and evaluation, not the training hot path).
    /// </remarks>
    internal static Tensor ArgMax(Tensor values, Tensor sortedSegment, Tensor counts)
    {
        long m = values.shape[0];
        long k = values.shape[1];
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (m == 0)
            return torch.zeros(counts.shape[0], k, dtype: ScalarType.Int64, device: values.device).MoveToOuterDisposeScope();
        var v = values.detach();
        Tensor index;
        if (v.dtype == ScalarType.Float64)
        {
            var starts = (counts.cumsum(0) - counts).clamp_(0, m - 1);
            var (_, byValue) = v.sort(0, descending: true);
            var segmentOfSorted = sortedSegment.index_select(0, byValue.reshape(-1)).view(m, k);
            var (_, bySegment) = segmentOfSorted.sort(0, stable: true);
            index = byValue.gather(0, bySegment).index_select(0, starts);
        }
        else
        {
            // Columns as rows so that the running maximum walks contiguous memory.
            var vt = v.t().to(ScalarType.Float32).contiguous();
            var (mantissa, exponent) = torch.frexp(vt);
            // Nonzero x: sign(m)·((e + 150)·2^24) + m·2^24 with e ≥ −148 and |m|·2^24 in [2^23, 2^24): strictly
            // monotone in x, |key| < 2^33. Zero: 0.
            var key = exponent.to(ScalarType.Int64).add_(150).mul_(mantissa.sign().to(ScalarType.Int64)).mul_(1L << 24)
                .add_(mantissa.mul_(16777216.0).to(ScalarType.Int64));
            key.add_((sortedSegment * (1L << 34)).unsqueeze(0));
            var (_, running) = key.cummax(1);
            var ends = (counts.cumsum(0) - 1).clamp_(0, m - 1);
            index = running.index_select(1, ends).t();
        }
        return index.MoveToOuterDisposeScope();
    }
}
