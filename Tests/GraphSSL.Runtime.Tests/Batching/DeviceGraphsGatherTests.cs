using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Batching;

public class DeviceGraphsGatherTests
{
    // Four graphs; node features are [global id, −global id] so every gathered row names its origin.
    //   g0: nodes 0,1     edges 0→1, 1→0
    //   g1: nodes 2,3,4   edges 2→3, 3→4
    //   g2: nodes 5,6     edge  6→5
    //   g3: node  7       no edges
    static GraphData FourGraphs()
    {
        var features = Enumerable.Range(0, 8).SelectMany(i => new[] { (float)i, -(float)i }).ToArray();
        return new GraphData("four", features, 2,
            NodeOffsets: new[] { 0, 2, 5, 7, 8 },
            EdgeSource: new[] { 0, 1, 2, 3, 6 },
            EdgeTarget: new[] { 1, 0, 3, 4, 5 },
            EdgeOffsets: new[] { 0, 2, 4, 5, 5 },
            Labels: new[] { 0, 1, 0, 1 },
            ClassNames: new[] { "a", "b" },
            Notes: Array.Empty<string>());
    }

    static long[] Longs(Tensor t) => t.to(ScalarType.Int64).data<long>().ToArray();
    static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void Gather_2_0_gives_rows_renumbered_edges_and_batch()
    {
        using var scope = torch.NewDisposeScope();
        using var graphs = DeviceGraphs.Upload(FourGraphs(), torch.CPU);
        var b = graphs.Gather(torch.tensor(new long[] { 2, 0 }));

        // Graph 2 first (global nodes 5, 6 → batch nodes 0, 1), then graph 0 (global 0, 1 → batch 2, 3).
        Assert.Equal(2, b.GraphCount);
        Assert.Equal(new float[] { 5, -5, 6, -6, 0, 0, 1, -1 }, Floats(b.X));
        Assert.Equal(new long[] { 0, 0, 1, 1 }, Longs(b.Batch));
        // 6→5 becomes 1→0; 0→1, 1→0 become 2→3, 3→2.
        Assert.Equal(new long[] { 1, 2, 3 }, Longs(b.EdgeIndex[0]));
        Assert.Equal(new long[] { 0, 3, 2 }, Longs(b.EdgeIndex[1]));
        AssertNoCrossGraphEdges(b);
    }

    [Fact]
    public void Gather_handles_edgeless_single_node_graph_and_reordering()
    {
        using var scope = torch.NewDisposeScope();
        using var graphs = DeviceGraphs.Upload(FourGraphs(), torch.CPU);
        var b = graphs.Gather(torch.tensor(new long[] { 3, 1 }));

        // g3 (node 7, no edges) → batch node 0; g1 (2, 3, 4) → batch nodes 1, 2, 3; 2→3, 3→4 become 1→2, 2→3.
        Assert.Equal(2, b.GraphCount);
        Assert.Equal(new float[] { 7, -7, 2, -2, 3, -3, 4, -4 }, Floats(b.X));
        Assert.Equal(new long[] { 0, 1, 1, 1 }, Longs(b.Batch));
        Assert.Equal(new long[] { 1, 2 }, Longs(b.EdgeIndex[0]));
        Assert.Equal(new long[] { 2, 3 }, Longs(b.EdgeIndex[1]));
        Assert.Equal(new long[] { 1, 3 }, Longs(b.NodeCounts()));
        Assert.Equal(new long[] { 0, 1 }, Longs(b.NodeStarts()));
        AssertNoCrossGraphEdges(b);
    }

    [Fact]
    public void All_reproduces_the_dataset_in_order()
    {
        using var scope = torch.NewDisposeScope();
        var data = FourGraphs();
        using var graphs = DeviceGraphs.Upload(data, torch.CPU);
        var b = graphs.All();
        Assert.Equal(4, b.GraphCount);
        Assert.Equal(data.NodeFeatures, Floats(b.X));
        Assert.Equal(new long[] { 0, 0, 1, 1, 1, 2, 2, 3 }, Longs(b.Batch));
        Assert.Equal(data.EdgeSource.Select(i => (long)i).ToArray(), Longs(b.EdgeIndex[0]));
        Assert.Equal(data.EdgeTarget.Select(i => (long)i).ToArray(), Longs(b.EdgeIndex[1]));
    }

    static void AssertNoCrossGraphEdges(GraphBatch b)
    {
        var batch = Longs(b.Batch);
        var src = Longs(b.EdgeIndex[0]);
        var dst = Longs(b.EdgeIndex[1]);
        for (int e = 0; e < src.Length; e++)
            Assert.Equal(batch[src[e]], batch[dst[e]]);
    }
}

public class BatchPlanTests
{
    [Fact]
    public void Final_single_graph_is_merged_into_previous_batch()
    {
        // 5 graphs in batches of 2: (0,2), (2,2), (4,1) → the lone last graph joins the previous batch.
        Assert.Equal(new[] { (0, 2), (2, 3) }, BatchPlan.Ranges(5, 2));
    }

    [Fact]
    public void Exact_multiple_is_not_merged()
    {
        Assert.Equal(new[] { (0, 2), (2, 2) }, BatchPlan.Ranges(4, 2));
        Assert.Equal(new[] { (0, 3), (3, 2) }, BatchPlan.Ranges(5, 3));
    }

    [Fact]
    public void Dataset_smaller_than_batch_is_one_batch()
    {
        Assert.Equal(new[] { (0, 3) }, BatchPlan.Ranges(3, 10));
        // A single-graph dataset stays one batch (nothing to merge into).
        Assert.Equal(new[] { (0, 1) }, BatchPlan.Ranges(1, 4));
        Assert.Empty(BatchPlan.Ranges(0, 4));
    }

    [Fact]
    public void Batch_size_below_one_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchPlan.Ranges(3, 0));
    }
}
