using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Augmentations;

/// <summary>A batch copied to the host, for checking.</summary>
sealed record HostBatch(float[] X, int FeatureDim, long[] Src, long[] Dst, long[] Batch, long GraphCount)
{
    public int NodeCount => Batch.Length;
    public int EdgeCount => Src.Length;
    public float Feature(int node, int column) => X[node * FeatureDim + column];
    public float[] Row(int node) => X.AsSpan(node * FeatureDim, FeatureDim).ToArray();

    public static HostBatch From(GraphBatch b)
    {
        using var scope = torch.NewDisposeScope();
        var x = b.X.cpu().contiguous();
        var e = b.EdgeIndex.cpu().contiguous();
        var batch = b.Batch.cpu().contiguous();
        Assert.Equal(2, e.dim());
        Assert.Equal(2L, e.shape[0]);
        Assert.Equal(ScalarType.Int64, e.dtype);
        Assert.Equal(ScalarType.Int64, batch.dtype);
        Assert.Equal(b.X.shape[0], batch.shape[0]);
        // TensorAccessor.ToArray throws on an empty tensor in TorchSharp 0.107, hence the guards.
        var edges = e.numel() == 0 ? Array.Empty<long>() : e.data<long>().ToArray();
        long m = e.shape[1];
        var features = x.numel() == 0 ? Array.Empty<float>() : x.data<float>().ToArray();
        var nodes = batch.numel() == 0 ? Array.Empty<long>() : batch.data<long>().ToArray();
        return new HostBatch(features, (int)x.shape[1], edges[..(int)m], edges[(int)m..], nodes, b.GraphCount);
    }

    /// <summary>Node ranges per graph; asserts the batch vector is non-decreasing and in range.</summary>
    public (int[] Start, int[] Count) Ranges()
    {
        var start = new int[GraphCount];
        var count = new int[GraphCount];
        for (int i = 0; i < NodeCount; i++)
        {
            Assert.InRange(Batch[i], 0, GraphCount - 1);
            if (i > 0) Assert.True(Batch[i] >= Batch[i - 1], $"batch vector decreases at node {i}");
            if (count[Batch[i]]++ == 0) start[Batch[i]] = i;
        }
        return (start, count);
    }

    /// <summary>Asserts that every edge is in range and inside one graph.</summary>
    public void AssertEdgesInsideGraphs()
    {
        for (int e = 0; e < EdgeCount; e++)
        {
            Assert.InRange(Src[e], 0, NodeCount - 1);
            Assert.InRange(Dst[e], 0, NodeCount - 1);
            Assert.True(Batch[Src[e]] == Batch[Dst[e]], $"edge {e} ({Src[e]} → {Dst[e]}) crosses graphs");
        }
    }

    /// <summary>True when both batches are bit-identical.</summary>
    public bool SameAs(HostBatch other) =>
        GraphCount == other.GraphCount && FeatureDim == other.FeatureDim && X.AsSpan().SequenceEqual(other.X) &&
        Src.AsSpan().SequenceEqual(other.Src) && Dst.AsSpan().SequenceEqual(other.Dst) && Batch.AsSpan().SequenceEqual(other.Batch);
}

/// <summary>An augmentation from a delegate, for tests.</summary>
sealed class FuncAugmentation(Func<GraphBatch, Generator, GraphBatch> apply) : IAugmentation
{
    public GraphBatch Apply(GraphBatch batch, Generator generator) => apply(batch, generator);
}

/// <summary>Random datasets with traceable nodes.</summary>
static class TestGraphs
{
    /// <summary>Column 0 of every node is its global id + 1 (never 0); column 1 its graph; column 2 a positive random value.</summary>
    public const int IdColumn = 0;
    public const int FeatureDim = 3;

    /// <summary>
    /// <paramref name="graphCount"/> graphs of 1–40 nodes. Roughly a fifth have no edges, some have one node;
    /// the rest have random undirected edges stored in both directions plus a few one-way edges and
    /// occasional self-loops and duplicates.
    /// </summary>
    public static GraphData Random(int seed, int graphCount, int maxNodes = 40)
    {
        var rng = new Random(seed);
        var sizes = new int[graphCount];
        for (int g = 0; g < graphCount; g++)
            sizes[g] = rng.Next(10) == 0 ? 1 : rng.Next(1, maxNodes + 1);
        return Build(sizes, (g, n, add) =>
        {
            if (rng.Next(5) == 0) return; // edgeless graph
            double p = rng.NextDouble() * 0.3;
            for (int u = 0; u < n; u++)
                for (int v = u + 1; v < n; v++)
                    if (rng.NextDouble() < p) { add(u, v); add(v, u); }
            int extra = rng.Next(3);
            for (int i = 0; i < extra; i++) add(rng.Next(n), rng.Next(n)); // one-way edge, maybe a self-loop or duplicate
        }, rng);
    }

    /// <summary>Graphs with the given sizes and edges produced by <paramref name="edges"/>(graph, n, add(u, v)) in local ids.</summary>
    public static GraphData Build(IReadOnlyList<int> sizes, Action<int, int, Action<int, int>> edges, Random? rng = null)
    {
        rng ??= new Random(1);
        var nodeOffsets = new int[sizes.Count + 1];
        var edgeOffsets = new int[sizes.Count + 1];
        var src = new List<int>();
        var dst = new List<int>();
        for (int g = 0; g < sizes.Count; g++)
        {
            nodeOffsets[g + 1] = nodeOffsets[g] + sizes[g];
            int offset = nodeOffsets[g];
            edges(g, sizes[g], (u, v) => { src.Add(offset + u); dst.Add(offset + v); });
            edgeOffsets[g + 1] = src.Count;
        }
        int total = nodeOffsets[^1];
        var x = new float[total * FeatureDim];
        for (int g = 0; g < sizes.Count; g++)
            for (int i = nodeOffsets[g]; i < nodeOffsets[g + 1]; i++)
            {
                x[i * FeatureDim + 0] = i + 1;
                x[i * FeatureDim + 1] = g;
                x[i * FeatureDim + 2] = 0.25f + (float)rng.NextDouble();
            }
        return new GraphData("random", x, FeatureDim, nodeOffsets, src.ToArray(), dst.ToArray(), edgeOffsets,
            new int[sizes.Count], new[] { "0" }, Array.Empty<string>());
    }

    /// <summary>Original global id of output node <paramref name="i"/>.</summary>
    public static int OriginalId(HostBatch b, int i) => (int)b.Feature(i, IdColumn) - 1;

    /// <summary>⌊share·count + 0.5⌋ in double arithmetic: the rounding rule of the augmentations.</summary>
    public static int Rounded(double share, int count) => (int)Math.Floor(share * count + 0.5);

    /// <summary>Original edges of graph g as (global src, global dst) pairs.</summary>
    public static IEnumerable<(int, int)> EdgesOf(GraphData d, int g)
    {
        for (int e = d.EdgeOffsets[g]; e < d.EdgeOffsets[g + 1]; e++) yield return (d.EdgeSource[e], d.EdgeTarget[e]);
    }

    /// <summary>Multiset of pairs.</summary>
    public static Dictionary<(int, int), int> Multiset(IEnumerable<(int, int)> pairs)
    {
        var m = new Dictionary<(int, int), int>();
        foreach (var p in pairs) m[p] = m.GetValueOrDefault(p) + 1;
        return m;
    }

    public static void AssertSameMultiset(IEnumerable<(int, int)> expected, IEnumerable<(int, int)> actual, string what)
    {
        var a = Multiset(expected);
        var b = Multiset(actual);
        Assert.True(a.Count == b.Count && a.All(kv => b.GetValueOrDefault(kv.Key) == kv.Value), $"{what}: edge multisets differ");
    }

    /// <summary>
    /// Checks an output made by removing nodes: graph count kept, batch vector non-decreasing, every kept
    /// row is the original row of a node of the same graph (in original order), and the edges are exactly
    /// the original edges between kept nodes, renumbered. Returns the kept original ids per graph.
    /// </summary>
    public static List<int>[] AssertNodeSubset(GraphData d, HostBatch outB)
    {
        Assert.Equal(d.GraphCount, outB.GraphCount);
        outB.Ranges();
        outB.AssertEdgesInsideGraphs();
        var kept = new List<int>[d.GraphCount];
        for (int g = 0; g < d.GraphCount; g++) kept[g] = new List<int>();
        var keptSet = new HashSet<int>();
        for (int i = 0; i < outB.NodeCount; i++)
        {
            int g = (int)outB.Batch[i];
            int id = OriginalId(outB, i);
            Assert.InRange(id, d.NodeOffsets[g], d.NodeOffsets[g + 1] - 1);
            if (kept[g].Count > 0) Assert.True(id > kept[g][^1], "kept nodes must keep their order (and be distinct)");
            Assert.Equal(d.NodeFeatures.AsSpan(id * d.FeatureDim, d.FeatureDim).ToArray(), outB.Row(i));
            kept[g].Add(id);
            keptSet.Add(id);
        }
        var expected = new List<(int, int)>();
        for (int g = 0; g < d.GraphCount; g++)
            expected.AddRange(EdgesOf(d, g).Where(e => keptSet.Contains(e.Item1) && keptSet.Contains(e.Item2)));
        var actual = Enumerable.Range(0, outB.EdgeCount).Select(e => (OriginalId(outB, (int)outB.Src[e]), OriginalId(outB, (int)outB.Dst[e])));
        AssertSameMultiset(expected, actual, "surviving edges");
        return kept;
    }

    /// <summary>Asserts the nodes (features and batch vector) are exactly the original ones.</summary>
    public static void AssertNodesUnchanged(GraphData d, HostBatch outB)
    {
        Assert.Equal(d.GraphCount, outB.GraphCount);
        Assert.Equal(d.NodeFeatures, outB.X);
        for (int g = 0; g < d.GraphCount; g++)
            for (int i = d.NodeOffsets[g]; i < d.NodeOffsets[g + 1]; i++) Assert.Equal(g, outB.Batch[i]);
    }

    /// <summary>Edges of output graph g, as pairs of batch node ids.</summary>
    public static List<(int, int)> OutEdgesOf(HostBatch b, int g) =>
        Enumerable.Range(0, b.EdgeCount).Where(e => b.Batch[b.Src[e]] == g).Select(e => ((int)b.Src[e], (int)b.Dst[e])).ToList();

    /// <summary>Runs <paramref name="body"/> on the batch of all graphs of <paramref name="d"/>, on the CPU, in a dispose scope.</summary>
    public static T WithBatch<T>(GraphData d, Func<GraphBatch, T> body)
    {
        using var scope = torch.NewDisposeScope();
        using var device = DeviceGraphs.Upload(d, torch.CPU);
        return body(device.All());
    }

    public static Generator Gen(long seed) => new Generator((ulong)seed, torch.CPU);
}
