using TorchSharp;
using static GraphSSL.Runtime.Tests.Augmentations.TestGraphs;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Augmentations;
using GraphSSL.Batching;

namespace GraphSSL.Runtime.Tests.Augmentations;

public class BatchOpsTests
{
    static readonly GraphData Mixed = Random(seed: 21, graphCount: 60);

    /// <summary>Asserts that output graph j of <paramref name="outB"/> is original graph ids[j], nodes and edges.</summary>
    static void AssertIsGraphs(GraphData d, HostBatch outB, IReadOnlyList<int> ids)
    {
        Assert.Equal(ids.Count, outB.GraphCount);
        var (start, count) = outB.Ranges();
        outB.AssertEdgesInsideGraphs();
        for (int j = 0; j < ids.Count; j++)
        {
            int g = ids[j];
            Assert.Equal(d.NodesIn(g), count[j]);
            for (int l = 0; l < count[j]; l++)
                Assert.Equal(d.NodeFeatures.AsSpan((d.NodeOffsets[g] + l) * 3, 3).ToArray(), outB.Row(start[j] + l));
            var actual = OutEdgesOf(outB, j).Select(e => (e.Item1 - start[j], e.Item2 - start[j]));
            var expected = EdgesOf(d, g).Select(e => (e.Item1 - d.NodeOffsets[g], e.Item2 - d.NodeOffsets[g]));
            AssertSameMultiset(expected, actual, $"graph {j} (original {g})");
        }
        // Edges are grouped by graph in graph order.
        for (int e = 1; e < outB.EdgeCount; e++) Assert.True(outB.Batch[outB.Src[e]] >= outB.Batch[outB.Src[e - 1]], "edges not grouped by graph");
    }

    [Fact]
    public void SelectPicksReordersAndRepeatsGraphs()
    {
        var ids = new[] { 5, 0, 59, 5, 17, 3 };
        var outB = WithBatch(Mixed, b => HostBatch.From(BatchOps.Select(b, torch.tensor(ids.Select(i => (long)i).ToArray()))));
        AssertIsGraphs(Mixed, outB, ids);
    }

    [Fact]
    public void SelectHandlesEdgesThatAreNotGroupedByGraph()
    {
        // Shuffle the edge columns of the batch: Select must still find every graph's edges.
        var ids = new[] { 2, 9, 1 };
        var outB = WithBatch(Mixed, b =>
        {
            var shuffled = b with { EdgeIndex = b.EdgeIndex.index_select(1, torch.randperm(b.EdgeIndex.shape[1], generator: Gen(1))) };
            return HostBatch.From(BatchOps.Select(shuffled, torch.tensor(ids.Select(i => (long)i).ToArray())));
        });
        AssertIsGraphs(Mixed, outB, ids);
    }

    [Fact]
    public void WhereKeepsMaskedGraphsInOrder()
    {
        var mask = Enumerable.Range(0, Mixed.GraphCount).Select(g => g % 3 == 1).ToArray();
        var outB = WithBatch(Mixed, b => HostBatch.From(BatchOps.Where(b, torch.tensor(mask))));
        AssertIsGraphs(Mixed, outB, Enumerable.Range(0, Mixed.GraphCount).Where(g => g % 3 == 1).ToList());
    }

    [Fact]
    public void ConcatThenSelectRoundTrips()
    {
        // Split into odd and even graphs, concatenate [odd…, even…], then undo with the inverse permutation.
        var odd = Enumerable.Range(0, Mixed.GraphCount).Where(g => g % 2 == 1).ToList();
        var even = Enumerable.Range(0, Mixed.GraphCount).Where(g => g % 2 == 0).ToList();
        var outB = WithBatch(Mixed, b =>
        {
            var parts = new[] { BatchOps.Select(b, torch.tensor(odd.Select(i => (long)i).ToArray())), BatchOps.Select(b, torch.tensor(even.Select(i => (long)i).ToArray())) };
            var joined = BatchOps.Concat(parts);
            var inverse = torch.tensor(odd.Concat(even).Select(i => (long)i).ToArray()).argsort();
            return (HostBatch.From(joined), HostBatch.From(BatchOps.Select(joined, inverse)));
        });
        AssertIsGraphs(Mixed, outB.Item1, odd.Concat(even).ToList());
        AssertIsGraphs(Mixed, outB.Item2, Enumerable.Range(0, Mixed.GraphCount).ToList());
    }

    [Fact]
    public void EdgeAugmentationsGroupUngroupedInput()
    {
        // With shuffled edge columns the edge ops take their sorting route; results must be the same kind.
        var loops = Build(new[] { 3, 1, 8, 5, 12 }, (_, n, add) => { for (int i = 0; i < n; i++) add(i, i); });
        var outs = WithBatch(loops, b =>
        {
            var shuffled = b with { EdgeIndex = b.EdgeIndex.index_select(1, torch.randperm(b.EdgeIndex.shape[1], generator: Gen(2))) };
            return new[]
            {
                HostBatch.From(Augment.PerturbEdges(shuffled, 0.5, true, Gen(3))),
                HostBatch.From(Augment.AddEdges(shuffled, 0.5, Gen(3))),
            };
        });
        for (int k = 0; k < 2; k++)
        {
            var outB = outs[k];
            AssertNodesUnchanged(loops, outB);
            outB.AssertEdgesInsideGraphs();
            for (int e = 1; e < outB.EdgeCount; e++) Assert.True(outB.Batch[outB.Src[e]] >= outB.Batch[outB.Src[e - 1]], "edges not grouped by graph");
            for (int g = 0; g < loops.GraphCount; g++)
            {
                int n = loops.NodesIn(g), r = Rounded(0.5, n); // n = 3, 1, 8, 5, 12 → r = 2, 1, 4, 3, 6
                var edges = OutEdgesOf(outB, g);
                int added = n >= 2 ? r : 0;
                if (k == 0) { Assert.Equal(n - r, edges.Count(e => e.Item1 == e.Item2)); Assert.Equal(added, edges.Count(e => e.Item1 != e.Item2)); }
                else { Assert.Equal(n, edges.Count(e => e.Item1 == e.Item2)); Assert.Equal(2 * added, edges.Count(e => e.Item1 != e.Item2)); }
            }
        }
    }

    [Fact]
    public void ArgumentsAreValidated()
    {
        WithBatch(Mixed, b =>
        {
            Assert.Throws<ArgumentException>(() => BatchOps.Concat(Array.Empty<GraphBatch>()));
            Assert.Throws<ArgumentException>(() => BatchOps.Where(b, torch.ones(3, dtype: ScalarType.Bool)));
            Assert.Throws<ArgumentException>(() => BatchOps.Select(b, torch.zeros(2, 2, dtype: ScalarType.Int64)));
            return 0;
        });
    }
}
