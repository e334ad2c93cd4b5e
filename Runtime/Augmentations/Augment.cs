using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// Graph augmentations as pure functions of a <see cref="GraphBatch"/>: every call returns a new batch on
/// the same device with the same <see cref="GraphBatch.GraphCount"/> and graph order. All randomness comes
/// from the <see cref="Generator"/> argument (which must live on the batch's device) and is drawn
/// independently per graph (and per node or edge inside it), never once per batch. The work is batched
/// tensor ops over the whole batch; the host is only consulted for data-dependent output sizes.
/// Exact semantics: docs/AUGMENTATIONS.md.
/// </summary>
public static class Augment
{
    /// <summary>
    /// Node dropping. From every graph with n nodes removes exactly k = min(⌊ratio·n + 0.5⌋, n − 1) nodes
    /// chosen uniformly at random, so each graph keeps at least one node. Removed nodes are really gone
    /// (feature rows and batch entries deleted, node ids renumbered) and every edge touching one is dropped.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="ratio">Share of each graph's nodes to drop, in [0, 1).</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch DropNodes(GraphBatch batch, double ratio, Generator generator)
    {
        CheckBatch(batch, generator);
        CheckRatio(ratio, nameof(ratio));
        using var scope = torch.NewDisposeScope();
        var counts = Segment.Counts(batch.Batch, batch.GraphCount);
        var drop = torch.minimum(Grouping.Rounded(counts, ratio), counts - Scalars.One);
        var (rank, _) = Grouping.RandomRanks(batch.Batch, Grouping.Starts(counts), generator);
        var keep = rank >= drop.index_select(0, batch.Batch);
        return MoveOut(scope, Grouping.KeepNodes(batch, keep));
    }

    /// <summary>
    /// Edge perturbation on directed edge entries. From every graph with m edge entries removes
    /// ⌊ratio·m + 0.5⌋ entries chosen uniformly at random (an undirected edge stored as two entries may lose
    /// one direction). When <paramref name="addEdges"/> is true, adds as many random directed entries (u, v)
    /// with u ≠ v drawn uniformly from the same graph's nodes; one-node graphs get none. Nodes are untouched.
    /// The result's edges are grouped by graph: each graph's surviving edges in their original order, then
    /// its added ones.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="ratio">Share of each graph's edge entries to remove (and to add), in [0, 1).</param>
    /// <param name="addEdges">Whether to add as many random edges as were removed.</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch PerturbEdges(GraphBatch batch, double ratio, bool addEdges, Generator generator)
    {
        CheckBatch(batch, generator);
        CheckRatio(ratio, nameof(ratio));
        using var scope = torch.NewDisposeScope();
        var edges = batch.EdgeIndex;
        var edgeGraph = batch.Batch.index_select(0, edges[0]);
        var edgeCounts = Segment.Counts(edgeGraph, batch.GraphCount);
        var remove = Grouping.Rounded(edgeCounts, ratio);
        var (rank, _) = Grouping.RandomRanks(edgeGraph, Grouping.Starts(edgeCounts), generator);
        var keep = (rank >= remove.index_select(0, edgeGraph)).nonzero().squeeze(1);
        var keptEdges = edges.index_select(1, keep);
        var keptGraph = edgeGraph.index_select(0, keep);
        var (result, resultGraph) = Grouping.GroupEdgesByGraph(keptEdges, keptGraph);
        if (addEdges)
        {
            var nodeCounts = Segment.Counts(batch.Batch, batch.GraphCount);
            var (added, addedGraph) = Grouping.RandomEdges(nodeCounts, Grouping.Starts(nodeCounts), remove, generator);
            result = Grouping.MergeGrouped(result, resultGraph, added, addedGraph, batch.GraphCount);
        }
        var (x, e, b) = scope.MoveToOuter(batch.X.alias(), result, batch.Batch.alias());
        return new GraphBatch(x, e, b, batch.GraphCount);
    }

    /// <summary>
    /// Edge adding. To every graph with m directed edge entries adds ⌊ratio·m + 0.5⌋ random undirected edges
    /// {u, v}, u ≠ v drawn uniformly from the graph's nodes, each stored in both directions (so 2·⌊ratio·m + 0.5⌋
    /// new entries). Existing edges are kept; added edges may duplicate existing ones. One-node graphs and
    /// graphs without edges get none.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="ratio">Number of undirected edges to add, as a share of the graph's edge entries, in [0, 1).</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch AddEdges(GraphBatch batch, double ratio, Generator generator)
    {
        CheckBatch(batch, generator);
        CheckRatio(ratio, nameof(ratio));
        using var scope = torch.NewDisposeScope();
        var edges = batch.EdgeIndex;
        var edgeGraph = batch.Batch.index_select(0, edges[0]);
        var add = Grouping.Rounded(Segment.Counts(edgeGraph, batch.GraphCount), ratio);
        var nodeCounts = Segment.Counts(batch.Batch, batch.GraphCount);
        var (added, addedGraph) = Grouping.RandomEdges(nodeCounts, Grouping.Starts(nodeCounts), add, generator);
        // (u, v) then (v, u) for each added edge: still grouped by graph.
        var bothWays = torch.stack(new[] { added, added.flip(0) }, 2).reshape(2, -1);
        var bothWaysGraph = addedGraph.repeat_interleave(2);
        var (grouped, groupedGraph) = Grouping.GroupEdgesByGraph(edges, edgeGraph);
        var merged = Grouping.MergeGrouped(grouped, groupedGraph, bothWays, bothWaysGraph, batch.GraphCount);
        var (x, e, b) = scope.MoveToOuter(batch.X.alias(), merged, batch.Batch.alias());
        return new GraphBatch(x, e, b, batch.GraphCount);
    }

    /// <summary>
    /// Attribute masking. In every graph with n nodes picks ⌊ratio·n + 0.5⌋ nodes uniformly at random and
    /// replaces their whole feature rows: by independent N(<paramref name="mean"/>, <paramref name="std"/>²)
    /// noise per element (<see cref="MaskMode.Gaussian"/>; the study used mean 0.5, std 0.5) or by zeros
    /// (<see cref="MaskMode.Zero"/>). Structure is untouched. No host synchronisation.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="ratio">Share of each graph's nodes to mask, in [0, 1).</param>
    /// <param name="mode">What masked rows become.</param>
    /// <param name="mean">Mean of the Gaussian noise (ignored for <see cref="MaskMode.Zero"/>).</param>
    /// <param name="std">Standard deviation of the Gaussian noise, ≥ 0 (ignored for <see cref="MaskMode.Zero"/>).</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch MaskAttributes(GraphBatch batch, double ratio, MaskMode mode, double mean, double std, Generator generator)
    {
        CheckBatch(batch, generator);
        CheckRatio(ratio, nameof(ratio));
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and at least 0.");
        if (double.IsNaN(mean) || double.IsInfinity(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        if (mode != MaskMode.Gaussian && mode != MaskMode.Zero) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mask mode.");
        using var scope = torch.NewDisposeScope();
        var counts = Segment.Counts(batch.Batch, batch.GraphCount);
        var (rank, _) = Grouping.RandomRanks(batch.Batch, Grouping.Starts(counts), generator);
        var masked = (rank < Grouping.Rounded(counts, ratio).index_select(0, batch.Batch)).unsqueeze(1);
        var x = batch.X;
        using var stdScalar = std.ToScalar();
        using var meanScalar = mean.ToScalar();
        var result = mode == MaskMode.Zero
            ? x.masked_fill(masked, Scalars.Zero)
            : torch.where(masked, (torch.randn(x.shape, dtype: x.dtype, device: x.device, generator: generator) * stdScalar).add(meanScalar, Scalars.One), x);
        var (ox, e, b) = scope.MoveToOuter(result, batch.EdgeIndex.alias(), batch.Batch.alias());
        return new GraphBatch(ox, e, b, batch.GraphCount);
    }

    /// <summary>
    /// Subgraph by breadth-first expansion. Per graph with n nodes the target size is
    /// t = max(1, ⌊(1 − ratio)·n + 0.5⌋) — <paramref name="ratio"/> is the share of nodes DROPPED, as in the
    /// study's "ratio 0.3". From one uniformly random seed node per graph, rounds of frontier expansion over
    /// the edges (followed in both directions) add the unvisited neighbours of the visited set; when a
    /// round would overshoot t, a uniformly random subset of that ring is kept so that exactly t nodes
    /// remain. If the seed's (weakly) connected component has fewer than t nodes the whole component is
    /// kept. All graphs expand together; one host synchronisation per round decides when to stop. The other
    /// nodes are then removed as in <see cref="DropNodes"/>.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="ratio">Share of each graph's nodes to drop, in [0, 1).</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch Subgraph(GraphBatch batch, double ratio, Generator generator) =>
        Subgraph(batch, ratio, generator, distanceBits: 13);

    /// <summary><see cref="Subgraph(GraphBatch, double, Generator)"/> with the distance field of the single-sort key set to <paramref name="distanceBits"/> bits (tests use a small value to exercise the two-sort route).</summary>
    internal static GraphBatch Subgraph(GraphBatch batch, double ratio, Generator generator, int distanceBits)
    {
        CheckBatch(batch, generator);
        CheckRatio(ratio, nameof(ratio));
        using var scope = torch.NewDisposeScope();
        var device = batch.X.device;
        long n = batch.Batch.shape[0];
        var graph = batch.Batch;
        var counts = Segment.Counts(graph, batch.GraphCount);
        var starts = Grouping.Starts(counts);
        var target = Grouping.Rounded(counts, 1.0 - ratio).clamp_min(Scalars.One);

        // One uniformly random seed per graph.
        var seedLocal = (torch.rand(batch.GraphCount, dtype: ScalarType.Float64, device: device, generator: generator) * counts).floor().to_type(ScalarType.Int64);
        var seeds = starts.add(torch.minimum(seedLocal, counts - Scalars.One), Scalars.One);

        // Breadth-first distances from the seeds, all graphs at once: each round adds every unvisited node
        // with an edge (either direction) from a visited node. Stops when no graph that still lacks nodes
        // gains any (its target is reached or its component is exhausted).
        var from = torch.cat(new[] { batch.EdgeIndex[0], batch.EdgeIndex[1] }, 0);
        var to = torch.cat(new[] { batch.EdgeIndex[1], batch.EdgeIndex[0] }, 0);
        // State as 0/1 float vectors so that every round is a handful of in-place ops.
        var visited = torch.zeros(n, dtype: ScalarType.Float32, device: device).index_fill_(0, seeds, Scalars.One);
        var unvisited = visited.neg().add_(Scalars.One, Scalars.One); // 1 − visited
        var distance = torch.zeros(n, dtype: ScalarType.Float32, device: device); // exact for integers < 2²⁴
        var room = (target - Scalars.One).to_type(ScalarType.Float32); // nodes each graph still wants (negative after overshoot)
        var fresh = torch.zeros(n, dtype: ScalarType.Float32, device: device);
        var gained = torch.zeros(batch.GraphCount, dtype: ScalarType.Float32, device: device);
        long rounds = 0;
        while (true)
        {
            using var round = torch.NewDisposeScope();
            // fresh = unvisited nodes with at least one edge from a visited node.
            fresh.zero_().scatter_add_(0, to, visited.index_select(0, from)).clamp_max_(Scalars.One).mul_(unvisited);
            gained.zero_().scatter_add_(0, graph, fresh);
            // Go on while some graph that still wants nodes gained any (gained ≥ 0, so the dot is 0 otherwise).
            if (!(gained.dot(room.clamp_min(Scalars.Zero)).item<float>() > 0)) break;
            rounds++;
            using var ring = rounds.ToScalar();
            distance.add_(fresh, ring);
            visited.add_(fresh, Scalars.One);
            unvisited.sub_(fresh);
            room.sub_(gained);
        }

        // Keep the t nodes of smallest (distance, random key) per graph: every node closer than the last
        // ring, plus a uniformly random subset of that ring; never an unvisited node.
        const int NoiseBits = 30;
        var unvisitedDistance = rounds + 1;
        var isVisited = visited > Scalars.Zero;
        using var unvisitedScalar = unvisitedDistance.ToScalar();
        var hops = distance.add_(unvisited, unvisitedScalar).to_type(ScalarType.Int64);
        using var graphShift = (1L << (NoiseBits + distanceBits)).ToScalar();
        using var distanceShift = (1L << NoiseBits).ToScalar();
        var noise = torch.randint(1L << NoiseBits, new[] { n }, dtype: ScalarType.Int64, device: device, generator: generator);
        Tensor order;
        if (unvisitedDistance < (1L << distanceBits) && batch.GraphCount < (1L << (63 - NoiseBits - distanceBits)))
        {
            order = (graph * graphShift).add(hops * distanceShift, Scalars.One).add(noise, Scalars.One).argsort();
        }
        else
        {
            // Very deep graphs or huge batches: the same order from two sorts.
            var byDistance = (hops * distanceShift).add(noise, Scalars.One).argsort();
            var (_, byGraph) = graph.index_select(0, byDistance).sort(stable: true);
            order = byDistance.index_select(0, byGraph);
        }
        var sortedRank = Scalars.Range(n, device) - starts.index_select(0, graph.index_select(0, order));
        var rank = torch.empty_like(sortedRank).index_copy_(0, order, sortedRank);
        var keep = (rank < target.index_select(0, graph)).logical_and_(isVisited);
        return MoveOut(scope, Grouping.KeepNodes(batch, keep));
    }

    /// <summary>
    /// Feature dropout. Sets each feature element independently to zero with probability
    /// <paramref name="p"/>; kept elements are NOT rescaled by 1 / (1 − p). Structure is untouched. No host
    /// synchronisation.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="p">Probability of zeroing an element, in [0, 1].</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch FeatureDropout(GraphBatch batch, double p, Generator generator)
    {
        CheckBatch(batch, generator);
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1].");
        using var scope = torch.NewDisposeScope();
        var x = batch.X;
        using var pScalar = p.ToScalar();
        var drop = torch.rand(x.shape, dtype: ScalarType.Float32, device: x.device, generator: generator) < pScalar;
        var (ox, e, b) = scope.MoveToOuter(x.masked_fill(drop, Scalars.Zero), batch.EdgeIndex.alias(), batch.Batch.alias());
        return new GraphBatch(ox, e, b, batch.GraphCount);
    }

    /// <summary>The batch unchanged (new tensor handles sharing the input's storage).</summary>
    /// <param name="batch">The input batch.</param>
    public static GraphBatch Identity(GraphBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new GraphBatch(batch.X.alias(), batch.EdgeIndex.alias(), batch.Batch.alias(), batch.GraphCount);
    }

    /// <summary>
    /// Per-graph random choice: every graph draws one of <paramref name="choices"/> uniformly and
    /// independently; each choice is applied once, to the sub-batch of the graphs that drew it (choices
    /// nobody drew are not called), and the results are reassembled in the original graph order. One host
    /// synchronisation per choice (sub-batch size) plus those of the choices themselves.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="choices">The augmentations to choose from (at least one).</param>
    /// <param name="generator">Source of randomness, on the batch's device; also passed to the choices.</param>
    /// <exception cref="InvalidOperationException">A choice returned a different number of graphs than it was given.</exception>
    public static GraphBatch RandomChoice(GraphBatch batch, IReadOnlyList<IAugmentation> choices, Generator generator)
    {
        CheckBatch(batch, generator);
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0) throw new ArgumentException("At least one choice is needed.", nameof(choices));
        for (int i = 0; i < choices.Count; i++)
            if (choices[i] is null) throw new ArgumentException($"Choice {i} is null.", nameof(choices));
        using var scope = torch.NewDisposeScope();
        var device = batch.X.device;
        var pick = torch.randint(choices.Count, new[] { batch.GraphCount }, dtype: ScalarType.Int64, device: device, generator: generator);
        var parts = new List<GraphBatch>(choices.Count);
        var origins = new List<Tensor>(choices.Count);
        for (int i = 0; i < choices.Count; i++)
        {
            using var choice = i.ToScalar();
            var ids = (pick == choice).nonzero().squeeze(1);
            long k = ids.shape[0];
            if (k == 0) continue;
            var part = choices[i].Apply(BatchOps.Select(batch, ids), generator);
            if (part.GraphCount != k)
                throw new InvalidOperationException($"Augmentation {choices[i].GetType().Name} returned {part.GraphCount} graphs for a batch of {k}.");
            parts.Add(part);
            origins.Add(ids);
        }
        // Graph j of the concatenation came from graph origin[j]; sorting by origin restores the order.
        var joined = parts.Count == 1 ? parts[0] : BatchOps.Concat(parts);
        var order = torch.cat(origins, 0).argsort();
        return MoveOut(scope, BatchOps.Select(joined, order));
    }

    /// <summary>
    /// Applies <paramref name="augmentations"/> one after another, each to the previous result, all drawing
    /// from <paramref name="generator"/>. An empty list returns <see cref="Identity"/>.
    /// </summary>
    /// <param name="batch">The input batch.</param>
    /// <param name="augmentations">The augmentations, in order.</param>
    /// <param name="generator">Source of randomness, on the batch's device.</param>
    public static GraphBatch Compose(GraphBatch batch, IReadOnlyList<IAugmentation> augmentations, Generator generator)
    {
        CheckBatch(batch, generator);
        ArgumentNullException.ThrowIfNull(augmentations);
        var current = Identity(batch);
        foreach (var augmentation in augmentations)
        {
            if (augmentation is null) throw new ArgumentException("An augmentation is null.", nameof(augmentations));
            current = augmentation.Apply(current, generator);
        }
        return current;
    }

    static void CheckBatch(GraphBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(generator);
    }

    static void CheckRatio(double ratio, string name)
    {
        if (!(ratio >= 0 && ratio < 1)) throw new ArgumentOutOfRangeException(name, ratio, "The ratio must be in [0, 1).");
    }

    static GraphBatch MoveOut(DisposeScope scope, GraphBatch batch)
    {
        var (x, e, b) = scope.MoveToOuter(batch.X, batch.EdgeIndex, batch.Batch);
        return batch with { X = x, EdgeIndex = e, Batch = b };
    }
}
