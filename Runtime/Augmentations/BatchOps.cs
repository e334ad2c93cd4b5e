using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// Whole-graph operations on a <see cref="GraphBatch"/>: pick graphs out of a batch, reorder them and
/// concatenate batches. Batched tensor ops on the batch's device; no .NET loop over graphs, nodes or edges.
/// Outputs are new tensors in the caller's dispose scope (temporaries are released before returning).
/// </summary>
public static class BatchOps
{
    /// <summary>
    /// The graphs <paramref name="graphIds"/> (int64 <c>[K]</c>, on the batch's device, values in
    /// <c>0 … GraphCount − 1</c>) as a new batch of <c>K</c> graphs, in the order given: graph <c>j</c> of
    /// the result is graph <c>graphIds[j]</c> of <paramref name="batch"/>. A permutation therefore reorders
    /// the batch; repeated ids copy a graph. Node ids are renumbered so that every graph owns a contiguous
    /// range; inside a graph nodes and edges keep their order, and the result's edges are grouped by graph.
    /// On CUDA the only synchronisations are the output sizes.
    /// </summary>
    public static GraphBatch Select(GraphBatch batch, Tensor graphIds)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(graphIds);
        if (graphIds.dim() != 1) throw new ArgumentException("Graph ids must be a 1-d int64 tensor.", nameof(graphIds));
        using var scope = torch.NewDisposeScope();
        var device = batch.X.device;
        var ids = graphIds.to_type(ScalarType.Int64);
        long k = ids.shape[0];
        var positions = Scalars.Range(k, device);

        // Nodes: each selected graph's node range, laid out one after another.
        var nodeCounts = Segment.Counts(batch.Batch, batch.GraphCount);
        var nodeStarts = Grouping.Starts(nodeCounts);
        var outNodeCounts = nodeCounts.index_select(0, ids);
        var outNodeStarts = Grouping.Starts(outNodeCounts);
        var outBatch = torch.repeat_interleave(positions, outNodeCounts);
        var nodeLocal = Scalars.Range(outBatch.shape[0], device) - outNodeStarts.index_select(0, outBatch);
        var nodeIds = nodeStarts.index_select(0, ids).index_select(0, outBatch).add(nodeLocal, Scalars.One);

        // Edges: group them by graph first (a batch does not promise grouped edges), then the same gather.
        var edgeGraph = batch.Batch.index_select(0, batch.EdgeIndex[0]);
        var (grouped, _) = Grouping.GroupEdgesByGraph(batch.EdgeIndex, edgeGraph);
        var edgeCounts = Segment.Counts(edgeGraph, batch.GraphCount);
        var edgeStarts = Grouping.Starts(edgeCounts);
        var outEdgeCounts = edgeCounts.index_select(0, ids);
        var outEdgeStarts = Grouping.Starts(outEdgeCounts);
        var outEdgeGraph = torch.repeat_interleave(positions, outEdgeCounts);
        var edgeLocal = Scalars.Range(outEdgeGraph.shape[0], device) - outEdgeStarts.index_select(0, outEdgeGraph);
        var edgeIds = edgeStarts.index_select(0, ids).index_select(0, outEdgeGraph).add(edgeLocal, Scalars.One);
        var shift = (outNodeStarts - nodeStarts.index_select(0, ids)).index_select(0, outEdgeGraph);
        var edgeIndex = grouped.index_select(1, edgeIds).add(shift.unsqueeze(0), Scalars.One);

        var x = batch.X.index_select(0, nodeIds);
        var (ox, oe, ob) = scope.MoveToOuter(x, edgeIndex, outBatch);
        return new GraphBatch(ox, oe, ob, k);
    }

    /// <summary>
    /// The graphs where <paramref name="graphMask"/> (bool <c>[GraphCount]</c>) is true, in their original
    /// order, as a new batch (see <see cref="Select"/>). One host synchronisation for the number selected.
    /// </summary>
    public static GraphBatch Where(GraphBatch batch, Tensor graphMask)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(graphMask);
        if (graphMask.dim() != 1 || graphMask.shape[0] != batch.GraphCount)
            throw new ArgumentException($"The graph mask must have shape [{batch.GraphCount}].", nameof(graphMask));
        using var ids = graphMask.nonzero().squeeze(1);
        return Select(batch, ids);
    }

    /// <summary>
    /// Concatenates batches (all on one device, same feature width) into one: the graphs of
    /// <c>batches[0]</c> first, then those of <c>batches[1]</c>, and so on; node ids and graph ids are
    /// shifted accordingly. Sizes come from tensor shapes and <see cref="GraphBatch.GraphCount"/>, so there is
    /// no host synchronisation.
    /// </summary>
    public static GraphBatch Concat(IReadOnlyList<GraphBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("At least one batch is needed.", nameof(batches));
        using var scope = torch.NewDisposeScope();
        var xs = new Tensor[batches.Count];
        var edges = new Tensor[batches.Count];
        var graphs = new Tensor[batches.Count];
        long nodeOffset = 0, graphOffset = 0;
        for (int i = 0; i < batches.Count; i++)
        {
            var b = batches[i];
            xs[i] = b.X;
            using var nodeShift = nodeOffset.ToScalar();
            using var graphShift = graphOffset.ToScalar();
            edges[i] = b.EdgeIndex.add(nodeShift, Scalars.One);
            graphs[i] = b.Batch.add(graphShift, Scalars.One);
            nodeOffset += b.X.shape[0];
            graphOffset += b.GraphCount;
        }
        var (x, e, g) = scope.MoveToOuter(torch.cat(xs, 0), torch.cat(edges, 1), torch.cat(graphs, 0));
        return new GraphBatch(x, e, g, graphOffset);
    }
}
