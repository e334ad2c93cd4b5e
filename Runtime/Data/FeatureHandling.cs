namespace GraphSSL.Data;

/// <summary>
/// How a recipe prepares a dataset's node features and edges before training, as the paper's code did:
/// keep or drop the continuous node attributes, add a self-loop to every node. Pure functions of a
/// <see cref="GraphData"/>; the result is a new, validated value.
/// </summary>
/// <param name="NodeAttributes">Keep the continuous node attributes (PyG's <c>use_node_attr=True</c>); false keeps the one-hot node labels only.</param>
/// <param name="SelfLoops">Add one edge v → v per node (when a node has none already).</param>
public sealed record FeatureHandling(bool NodeAttributes = true, bool SelfLoops = false)
{
    /// <summary>The dataset as loaded.</summary>
    public static FeatureHandling AsLoaded { get; } = new();

    /// <summary><paramref name="data"/> prepared this way; the same instance when nothing changes.</summary>
    public GraphData Apply(GraphData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = data;
        if (!NodeAttributes && data.AttributeColumns > 0) result = WithoutAttributes(result);
        if (SelfLoops) result = WithSelfLoops(result);
        return result;
    }

    /// <summary>Drops the leading attribute columns; a dataset left without columns gets the constant feature 1.</summary>
    static GraphData WithoutAttributes(GraphData data)
    {
        int keep = data.FeatureDim - data.AttributeColumns;
        int width = Math.Max(1, keep);
        var features = new float[(long)data.NodeCount * width];
        for (int v = 0; v < data.NodeCount; v++)
        {
            if (keep == 0) { features[v] = 1f; continue; }
            Array.Copy(data.NodeFeatures, (long)v * data.FeatureDim + data.AttributeColumns, features, (long)v * width, keep);
        }
        var note = keep == 0
            ? $"node attributes dropped ({data.AttributeColumns} columns); no node labels left: constant feature 1.0"
            : $"node attributes dropped ({data.AttributeColumns} columns); {keep} one-hot node-label columns kept";
        return (data with { NodeFeatures = features, FeatureDim = width, Notes = [.. data.Notes, note] }) with { AttributeColumns = 0 };
    }

    /// <summary>Adds v → v for every node without one, keeping each graph's edges contiguous.</summary>
    static GraphData WithSelfLoops(GraphData data)
    {
        var src = new List<int>(data.EdgeCount + data.NodeCount);
        var dst = new List<int>(data.EdgeCount + data.NodeCount);
        var offsets = new int[data.GraphCount + 1];
        int added = 0;
        for (int g = 0; g < data.GraphCount; g++)
        {
            var hasLoop = new HashSet<int>();
            for (int e = data.EdgeOffsets[g]; e < data.EdgeOffsets[g + 1]; e++)
            {
                src.Add(data.EdgeSource[e]);
                dst.Add(data.EdgeTarget[e]);
                if (data.EdgeSource[e] == data.EdgeTarget[e]) hasLoop.Add(data.EdgeSource[e]);
            }
            for (int v = data.NodeOffsets[g]; v < data.NodeOffsets[g + 1]; v++)
            {
                if (hasLoop.Contains(v)) continue;
                src.Add(v);
                dst.Add(v);
                added++;
            }
            offsets[g + 1] = src.Count;
        }
        return (data with
        {
            EdgeSource = src.ToArray(),
            EdgeTarget = dst.ToArray(),
            EdgeOffsets = offsets,
            Notes = [.. data.Notes, $"{added} self-loops added"],
        }).Validate();
    }
}
