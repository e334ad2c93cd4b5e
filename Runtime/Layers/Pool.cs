using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

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
        var denominator = counts.to(x.dtype).clamp_min(Scalars.One).unsqueeze(1);
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
        var nonEmpty = counts.gt(Scalars.Zero).unsqueeze(1);
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
