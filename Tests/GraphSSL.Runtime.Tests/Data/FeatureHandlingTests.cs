using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

public class FeatureHandlingTests
{
    /// <summary>Two graphs: 0–1 (an edge both ways) and 2 alone; one attribute column, then two one-hot label columns.</summary>
    static GraphData Tiny() => new GraphData("tiny",
        [0.5f, 1, 0, 1.5f, 0, 1, 2.5f, 1, 0], 3, [0, 2, 3], [0, 1], [1, 0], [0, 2, 2], [0, 1], ["a", "b"], [])
        { AttributeColumns = 1 }.Validate();

    [Fact]
    public void Dropping_attributes_keeps_the_one_hot_columns()
    {
        var data = new FeatureHandling(NodeAttributes: false).Apply(Tiny());
        Assert.Equal(2, data.FeatureDim);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0 }, data.NodeFeatures);
        Assert.Equal(0, data.AttributeColumns);
        Assert.Contains(data.Notes, n => n.Contains("node attributes dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Dropping_the_only_columns_leaves_a_constant_feature()
    {
        var only = new GraphData("attrs", [0.5f, 1.5f, 2.5f], 1, [0, 2, 3], [0, 1], [1, 0], [0, 2, 2], [0, 1], ["a", "b"], []) { AttributeColumns = 1 };
        var data = new FeatureHandling(NodeAttributes: false).Apply(only);
        Assert.Equal(1, data.FeatureDim);
        Assert.Equal(new float[] { 1, 1, 1 }, data.NodeFeatures);
    }

    [Fact]
    public void Self_loops_are_added_once_per_node_inside_each_graph()
    {
        var data = new FeatureHandling(SelfLoops: true).Apply(Tiny());
        Assert.Equal(new[] { 0, 4, 5 }, data.EdgeOffsets);
        var pairs = data.EdgeSource.Zip(data.EdgeTarget).ToList();
        Assert.Equal(new[] { (0, 1), (1, 0), (0, 0), (1, 1), (2, 2) }, pairs);
        // Applying it again adds nothing: every node already has its loop.
        var again = new FeatureHandling(SelfLoops: true).Apply(data);
        Assert.Equal(data.EdgeCount, again.EdgeCount);
    }

    [Fact]
    public void As_loaded_changes_nothing()
    {
        var tiny = Tiny();
        Assert.Same(tiny, FeatureHandling.AsLoaded.Apply(tiny));
    }
}
