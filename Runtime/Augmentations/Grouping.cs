using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// Per-group (per-graph) tensor primitives shared by the augmentations: prefix offsets, random
/// ranks inside each group and node removal. Everything runs on the device of its inputs, in batched
/// tensor ops; nothing loops over groups or items in .NET.
/// </summary>
internal static class Grouping
{
    /// <summary>Random keys live in the low 40 bits of a composite (group, key) int64 sort key.</summary>
    const int KeyBits = 40;
    static readonly Scalar GroupShift = (1L << KeyBits).ToScalar();

    /// <summary>Exclusive prefix sum: where each group starts when items are laid out group by group.</summary>
    public static Tensor Starts(Tensor counts) => counts.cumsum(0) - counts;

    /// <summary>
    /// ⌊share·count + 0.5⌋ per group, computed in float64 so that it equals the same expression evaluated
    /// in .NET <see cref="double"/> arithmetic.
    /// </summary>
    public static Tensor Rounded(Tensor counts, double share)
    {
        using var shareScalar = share.ToScalar();
        return (counts.to_type(ScalarType.Float64) * shareScalar).add(Scalars.Half, Scalars.One).floor().to_type(ScalarType.Int64);
    }

    /// <summary>
    /// A uniformly random permutation of every group's items, drawn independently per group. Returns
    /// <c>Rank</c> (each item's 0-based position inside its group's permutation) and <c>Position</c>
    /// (<c>groupStarts[group] + Rank</c>: where the item lands when the items are laid out group by group
    /// in permutation order). One composite sort over the whole batch: key = group·2⁴⁰ + random 40-bit
    /// integer; ties (probability ≈ 2⁻⁴⁰ per pair) only make the order among the tied items arbitrary.
    /// </summary>
    public static (Tensor Rank, Tensor Position) RandomRanks(Tensor group, Tensor groupStarts, Generator generator)
    {
        long m = group.shape[0];
        var device = group.device;
        var noise = torch.randint(1L << KeyBits, new[] { m }, dtype: ScalarType.Int64, device: device, generator: generator);
        var order = (group * GroupShift).add(noise, Scalars.One).argsort();
        var sortedStarts = groupStarts.index_select(0, group.index_select(0, order));
        var sortedRank = Scalars.Range(m, device) - sortedStarts;
        var rank = torch.empty_like(sortedRank).index_copy_(0, order, sortedRank);
        return (rank, groupStarts.index_select(0, group).add(rank, Scalars.One));
    }

    /// <summary>
    /// Keeps the nodes where <paramref name="keepNode"/> is true: their feature rows and batch entries in
    /// the original order, node ids renumbered densely, and exactly the edges whose two endpoints are kept.
    /// Two host synchronisations (the kept node and edge counts).
    /// </summary>
    public static GraphBatch KeepNodes(GraphBatch batch, Tensor keepNode)
    {
        var kept = keepNode.nonzero().squeeze(1);
        var newId = keepNode.to_type(ScalarType.Int64).cumsum(0) - Scalars.One;
        var edges = batch.EdgeIndex;
        var keepEdge = keepNode.index_select(0, edges[0]).logical_and(keepNode.index_select(0, edges[1]));
        var keptEdges = edges.index_select(1, keepEdge.nonzero().squeeze(1));
        var remapped = newId.index_select(0, keptEdges.reshape(-1)).reshape(2, -1);
        return new GraphBatch(batch.X.index_select(0, kept), remapped, batch.Batch.index_select(0, kept), batch.GraphCount);
    }

    /// <summary>Whether <paramref name="edgeGraph"/> is non-decreasing (edges grouped by graph in graph order). One host synchronisation.</summary>
    public static bool IsGrouped(Tensor edgeGraph) =>
        edgeGraph.shape[0] < 2 || (edgeGraph[1..] >= edgeGraph[..^1]).all().item<bool>();

    /// <summary>
    /// Reorders edges <c>[2, E]</c> (and their graph ids) so that they are grouped by graph in graph order,
    /// keeping their relative order inside a graph. Free when they already are; otherwise one sort on the unique key graph·E + position.
    /// </summary>
    public static (Tensor Edges, Tensor Graph) GroupEdgesByGraph(Tensor edgeIndex, Tensor edgeGraph)
    {
        if (IsGrouped(edgeGraph)) return (edgeIndex.alias(), edgeGraph.alias());
        long e = edgeIndex.shape[1];
        using var edgeCount = e.ToScalar();
        var key = (edgeGraph * edgeCount).add(Scalars.Range(e, edgeIndex.device), Scalars.One);
        var order = key.argsort();
        return (edgeIndex.index_select(1, order), edgeGraph.index_select(0, order));
    }

    /// <summary>
    /// Merges two edge lists that are each grouped by graph into one grouped list: every graph's edges from
    /// <paramref name="first"/>, then its edges from <paramref name="second"/>. No sort: each edge's output
    /// position is computed from per-graph counts.
    /// </summary>
    public static Tensor MergeGrouped(Tensor first, Tensor firstGraph, Tensor second, Tensor secondGraph, long graphCount)
    {
        var device = first.device;
        var firstCount = Segment.Counts(firstGraph, graphCount);
        var secondCount = Segment.Counts(secondGraph, graphCount);
        var firstEnd = firstCount.cumsum(0);
        var secondStart = secondCount.cumsum(0) - secondCount;
        long a = first.shape[1], b = second.shape[1];
        // Edge i of `first` (graph g) moves past the `second` edges of graphs before g; edge j of `second`
        // (graph g) lands after all `first` edges of graphs up to g.
        var firstPosition = Scalars.Range(a, device).add(secondStart.index_select(0, firstGraph), Scalars.One);
        var secondPosition = Scalars.Range(b, device).add(firstEnd.index_select(0, secondGraph), Scalars.One);
        return torch.empty(2, a + b, dtype: first.dtype, device: device)
            .index_copy_(1, firstPosition, first)
            .index_copy_(1, secondPosition, second);
    }

    /// <summary>
    /// <paramref name="perGraph"/> random directed edges (u, v) inside each graph, u and v uniform over the
    /// graph's nodes with u ≠ v; graphs with fewer than two nodes get none. Returns the edges <c>[2, A]</c>
    /// (grouped by graph) and the graph of each edge <c>[A]</c>. One host synchronisation (A).
    /// </summary>
    public static (Tensor Edges, Tensor Graph) RandomEdges(Tensor nodeCounts, Tensor nodeStarts, Tensor perGraph, Generator generator)
    {
        var device = nodeCounts.device;
        long g = nodeCounts.shape[0];
        var count = torch.where(nodeCounts >= Scalars.Two, perGraph, torch.zeros_like(perGraph));
        var graph = torch.repeat_interleave(Scalars.Range(g, device), count);
        long a = graph.shape[0];
        var n = nodeCounts.index_select(0, graph);
        // u uniform on 0..n-1; v = u + 1 + w (mod n) with w uniform on 0..n-2, i.e. v uniform on the other nodes.
        var u = torch.minimum((torch.rand(a, dtype: ScalarType.Float64, device: device, generator: generator) * n).floor().to_type(ScalarType.Int64), n - Scalars.One);
        var w = torch.minimum((torch.rand(a, dtype: ScalarType.Float64, device: device, generator: generator) * (n - Scalars.One)).floor().to_type(ScalarType.Int64), n - Scalars.Two);
        var v = u.add(Scalars.One, Scalars.One).add(w, Scalars.One).remainder(n);
        var start = nodeStarts.index_select(0, graph);
        return (torch.stack(new[] { start.add(u, Scalars.One), start.add(v, Scalars.One) }), graph);
    }
}
