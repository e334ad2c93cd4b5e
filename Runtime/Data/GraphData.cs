namespace GraphSSL.Data;

/// <summary>
/// A graph-classification dataset held on the host in compressed form: every graph's nodes are a
/// contiguous range of node ids and every graph's edges a contiguous range of edge entries. Immutable;
/// <c>GraphSSL.Batching.DeviceGraphs.Upload</c> (in GraphSSL.Runtime) makes the device-resident copy training uses.
/// </summary>
/// <param name="Name">Dataset name (folder name for TU datasets).</param>
/// <param name="NodeFeatures">Row-major node features, <c>NodeCount × FeatureDim</c>.</param>
/// <param name="FeatureDim">Feature columns per node (at least 1).</param>
/// <param name="NodeOffsets">Graph g owns nodes <c>[NodeOffsets[g], NodeOffsets[g+1])</c>; length <c>GraphCount + 1</c>.</param>
/// <param name="EdgeSource">Directed edge sources (global node ids), grouped by graph.</param>
/// <param name="EdgeTarget">Directed edge targets (global node ids), grouped by graph.</param>
/// <param name="EdgeOffsets">Graph g owns edges <c>[EdgeOffsets[g], EdgeOffsets[g+1])</c>; length <c>GraphCount + 1</c>.</param>
/// <param name="Labels">Graph labels remapped to <c>0 … ClassCount − 1</c>.</param>
/// <param name="ClassNames">Original label of each class, e.g. "-1" and "1" for MUTAG.</param>
/// <param name="Notes">What the loader tolerated or inferred (e.g. "edges listed once: symmetrised").</param>
public sealed record GraphData(
    string Name,
    float[] NodeFeatures,
    int FeatureDim,
    int[] NodeOffsets,
    int[] EdgeSource,
    int[] EdgeTarget,
    int[] EdgeOffsets,
    int[] Labels,
    string[] ClassNames,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// How many leading feature columns are continuous node attributes (TU <c>_node_attributes.txt</c>); the
    /// columns after them are the one-hot node labels. 0 when the dataset has no attributes.
    /// </summary>
    public int AttributeColumns { get; init; }

    /// <summary>Number of graphs.</summary>
    public int GraphCount => Labels.Length;
    /// <summary>Total number of nodes.</summary>
    public int NodeCount => NodeOffsets[^1];
    /// <summary>Total number of directed edge entries.</summary>
    public int EdgeCount => EdgeSource.Length;
    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Length;

    /// <summary>Nodes in graph <paramref name="g"/>.</summary>
    public int NodesIn(int g) => NodeOffsets[g + 1] - NodeOffsets[g];
    /// <summary>Directed edge entries in graph <paramref name="g"/>.</summary>
    public int EdgesIn(int g) => EdgeOffsets[g + 1] - EdgeOffsets[g];

    /// <summary>
    /// Checks the invariants every consumer relies on and throws <see cref="ArgumentException"/> naming
    /// the first one broken: offsets monotone and consistent, edges inside their own graph, labels in range,
    /// features finite.
    /// </summary>
    public GraphData Validate()
    {
        if (FeatureDim < 1) throw new ArgumentException($"{Name}: feature dimension must be at least 1, was {FeatureDim}.");
        if (NodeOffsets.Length != GraphCount + 1 || EdgeOffsets.Length != GraphCount + 1)
            throw new ArgumentException($"{Name}: offsets must have GraphCount + 1 = {GraphCount + 1} entries.");
        if (NodeOffsets[0] != 0 || EdgeOffsets[0] != 0) throw new ArgumentException($"{Name}: offsets must start at 0.");
        if (NodeFeatures.Length != (long)NodeCount * FeatureDim)
            throw new ArgumentException($"{Name}: {NodeFeatures.Length} feature values for {NodeCount} nodes × {FeatureDim} features.");
        if (EdgeTarget.Length != EdgeSource.Length || EdgeOffsets[^1] != EdgeSource.Length)
            throw new ArgumentException($"{Name}: edge arrays and edge offsets disagree.");
        int nonFinite = Array.FindIndex(NodeFeatures, v => !float.IsFinite(v));
        if (nonFinite >= 0)
            throw new ArgumentException($"{Name}: feature {nonFinite % FeatureDim} of node {nonFinite / FeatureDim} is {NodeFeatures[nonFinite]}; features must be finite.");
        for (int g = 0; g < GraphCount; g++)
        {
            if (NodeOffsets[g + 1] <= NodeOffsets[g]) throw new ArgumentException($"{Name}: graph {g} has no nodes.");
            if (EdgeOffsets[g + 1] < EdgeOffsets[g]) throw new ArgumentException($"{Name}: edge offsets decrease at graph {g}.");
            if (Labels[g] < 0 || Labels[g] >= ClassCount) throw new ArgumentException($"{Name}: graph {g} has label {Labels[g]} outside 0..{ClassCount - 1}.");
            for (int e = EdgeOffsets[g]; e < EdgeOffsets[g + 1]; e++)
            {
                int s = EdgeSource[e], t = EdgeTarget[e];
                if (s < NodeOffsets[g] || s >= NodeOffsets[g + 1] || t < NodeOffsets[g] || t >= NodeOffsets[g + 1])
                    throw new ArgumentException($"{Name}: edge {e} ({s} → {t}) leaves graph {g}.");
            }
        }
        return this;
    }

    /// <summary>The graphs at <paramref name="indices"/>, in that order, as a new dataset (node ids renumbered).</summary>
    public GraphData Subset(IReadOnlyList<int> indices)
    {
        var nodeOffsets = new int[indices.Count + 1];
        var edgeOffsets = new int[indices.Count + 1];
        for (int i = 0; i < indices.Count; i++)
        {
            nodeOffsets[i + 1] = nodeOffsets[i] + NodesIn(indices[i]);
            edgeOffsets[i + 1] = edgeOffsets[i] + EdgesIn(indices[i]);
        }
        var features = new float[nodeOffsets[^1] * FeatureDim];
        var src = new int[edgeOffsets[^1]];
        var dst = new int[edgeOffsets[^1]];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int g = indices[i];
            int shift = nodeOffsets[i] - NodeOffsets[g];
            Array.Copy(NodeFeatures, (long)NodeOffsets[g] * FeatureDim, features, (long)nodeOffsets[i] * FeatureDim, (long)NodesIn(g) * FeatureDim);
            for (int e = 0; e < EdgesIn(g); e++)
            {
                src[edgeOffsets[i] + e] = EdgeSource[EdgeOffsets[g] + e] + shift;
                dst[edgeOffsets[i] + e] = EdgeTarget[EdgeOffsets[g] + e] + shift;
            }
            labels[i] = Labels[g];
        }
        return this with
        {
            NodeFeatures = features, NodeOffsets = nodeOffsets, EdgeSource = src, EdgeTarget = dst,
            EdgeOffsets = edgeOffsets, Labels = labels,
        };
    }
}
