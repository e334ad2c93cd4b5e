using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

public class DatasetStatsTests
{
    [Fact]
    public void Tiny_fixture_statistics()
    {
        // TINY: triangle (3 nodes, 6 directed entries) + one edge (2 nodes, 2 entries); labels 1, -1.
        var stats = TuDataset.Load(DataPaths.Fixture("TINY")).Describe();
        Assert.Equal("TINY", stats.Name);
        Assert.Equal(2, stats.Graphs);
        Assert.Equal(5, stats.Nodes);
        Assert.Equal(8, stats.DirectedEdges);
        Assert.Equal(4, stats.UndirectedEdges);
        Assert.Equal(0, stats.SelfLoops);
        Assert.Equal(2, stats.Classes);
        Assert.Equal(["-1", "1"], stats.LabelHistogram.Keys);
        Assert.Equal([1, 1], stats.LabelHistogram.Values);
        Assert.Equal(5, stats.FeatureDim);
        Assert.Equal(2, stats.MinNodes);
        Assert.Equal(2.5, stats.MeanNodes);
        Assert.Equal(3, stats.MaxNodes);
        Assert.Equal(4.0, stats.MeanDirectedEdges);
        Assert.Equal(0, stats.IsolatedNodes);
        Assert.Contains(stats.Notes, n => n.Contains("ignored TINY_edge_labels.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicates_self_loops_and_isolated_nodes_are_counted()
    {
        // DUPS: entries (0,1)(1,0)(0,1)(1,0)(2,2)(1,2)(2,1)(3,4)(4,3) → pairs {0,1} {2,2} {1,2} {3,4} = 4, one self-loop.
        var dups = TuDataset.Load(DataPaths.Fixture("DUPS")).Describe();
        Assert.Equal(9, dups.DirectedEdges);
        Assert.Equal(4, dups.UndirectedEdges);
        Assert.Equal(1, dups.SelfLoops);
        Assert.Equal(new Dictionary<string, int> { ["0"] = 1, ["2"] = 1 }, dups.LabelHistogram);

        // TOLERANT: node 6 appears in no edge.
        var tolerant = TuDataset.Load(DataPaths.Fixture("TOLERANT")).Describe();
        Assert.Equal(1, tolerant.IsolatedNodes);
        Assert.Equal(3, tolerant.UndirectedEdges);
    }

    [Fact]
    public void Synthetic_histogram_is_balanced()
    {
        var stats = SyntheticGraphs.Create(10, seed: 1).Describe();
        Assert.Equal(new Dictionary<string, int> { ["ring-with-chords"] = 10, ["two-hubs"] = 10, ["three-regular"] = 10 }, stats.LabelHistogram);
        Assert.Equal(stats.DirectedEdges / 2, stats.UndirectedEdges);
        Assert.Equal(0, stats.IsolatedNodes);
        Assert.InRange(stats.MinNodes, 12, 30);
        Assert.InRange(stats.MaxNodes, stats.MinNodes, 30);
    }
}
