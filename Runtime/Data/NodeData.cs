namespace GraphSSL.Data;

/// <summary>
/// The fixed node split of a node-classification dataset (for Planetoid: the public split of Yang et al.,
/// 2016, as Kipf &amp; Welling's and PyG's loaders read it). Node ids, ascending, disjoint.
/// </summary>
/// <param name="Train">Training nodes.</param>
/// <param name="Validation">Validation nodes: for model selection only.</param>
/// <param name="Test">Test nodes: for the reported figure only.</param>
public sealed record NodeSplit(int[] Train, int[] Validation, int[] Test);

/// <summary>
/// A node-classification dataset held on the host: one graph, a feature row and a label per node, and a
/// fixed train/validation/test split. Immutable by convention (arrays are not copied).
/// </summary>
/// <param name="Name">Dataset name, e.g. <c>Cora</c>.</param>
/// <param name="Features">Row-major node features, <c>NodeCount × FeatureDim</c>.</param>
/// <param name="FeatureDim">Feature columns per node.</param>
/// <param name="Labels">Class of each node, <c>0 … ClassCount − 1</c>.</param>
/// <param name="ClassCount">Number of classes.</param>
/// <param name="EdgeSource">One endpoint of each undirected edge (the smaller id): every edge once, no self-loops, sorted.</param>
/// <param name="EdgeTarget">The other endpoint (the larger id).</param>
/// <param name="Split">The fixed split.</param>
/// <param name="Notes">What the loader tolerated or inferred (self-loops dropped, nodes filled in, …).</param>
public sealed record NodeData(
    string Name,
    float[] Features,
    int FeatureDim,
    int[] Labels,
    int ClassCount,
    int[] EdgeSource,
    int[] EdgeTarget,
    NodeSplit Split,
    IReadOnlyList<string> Notes)
{
    /// <summary>Number of nodes.</summary>
    public int NodeCount => Labels.Length;

    /// <summary>Number of undirected edges (each once).</summary>
    public int UndirectedEdgeCount => EdgeSource.Length;

    /// <summary>
    /// Both directions of every edge, as an <c>edge_index [2, 2E]</c> holds them (what PyG's Planetoid has:
    /// 10,556 entries for Cora): entries <c>0…E−1</c> are (small, large), <c>E…2E−1</c> (large, small).
    /// </summary>
    public (int[] Source, int[] Target) DirectedEdges()
    {
        int e = EdgeSource.Length;
        var src = new int[2 * e];
        var dst = new int[2 * e];
        EdgeSource.CopyTo(src, 0);
        EdgeTarget.CopyTo(src, e);
        EdgeTarget.CopyTo(dst, 0);
        EdgeSource.CopyTo(dst, e);
        return (src, dst);
    }

    /// <summary>Feature rows of <paramref name="nodes"/> as doubles, in that order (what the evaluators take).</summary>
    public double[][] FeatureRows(IReadOnlyList<int> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var rows = new double[nodes.Count][];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = new double[FeatureDim];
            var source = Features.AsSpan(checked(nodes[i] * FeatureDim), FeatureDim);
            for (int j = 0; j < row.Length; j++) row[j] = source[j];
            rows[i] = row;
        }
        return rows;
    }

    /// <summary>Every node's feature row as doubles.</summary>
    public double[][] FeatureRows() => FeatureRows(Enumerable.Range(0, NodeCount).ToArray());

    /// <summary>
    /// Checks the invariants consumers rely on and throws <see cref="ArgumentException"/> naming the first one
    /// broken: array sizes, labels in range, edges in range, once each, u &lt; v, sorted; split disjoint and in range.
    /// </summary>
    public NodeData Validate()
    {
        if (FeatureDim < 1) throw new ArgumentException($"{Name}: feature dimension must be at least 1, was {FeatureDim}.");
        if (Features.Length != (long)NodeCount * FeatureDim)
            throw new ArgumentException($"{Name}: {Features.Length} feature values for {NodeCount} nodes × {FeatureDim} features.");
        if (ClassCount < 1) throw new ArgumentException($"{Name}: at least one class is needed.");
        for (int v = 0; v < NodeCount; v++)
            if (Labels[v] < 0 || Labels[v] >= ClassCount) throw new ArgumentException($"{Name}: node {v} has label {Labels[v]} outside 0..{ClassCount - 1}.");
        if (EdgeTarget.Length != EdgeSource.Length) throw new ArgumentException($"{Name}: edge arrays differ in length.");
        for (int e = 0; e < EdgeSource.Length; e++)
        {
            int u = EdgeSource[e], w = EdgeTarget[e];
            if (u < 0 || w >= NodeCount || u >= w) throw new ArgumentException($"{Name}: edge {e} ({u}, {w}) must satisfy 0 ≤ u < v < {NodeCount}.");
            if (e > 0 && (EdgeSource[e - 1], EdgeTarget[e - 1]).CompareTo((u, w)) >= 0)
                throw new ArgumentException($"{Name}: edges must be sorted and distinct; edge {e} ({u}, {w}) is not after ({EdgeSource[e - 1]}, {EdgeTarget[e - 1]}).");
        }
        var seen = new byte[NodeCount];
        foreach (var (part, nodes) in new[] { ("train", Split.Train), ("validation", Split.Validation), ("test", Split.Test) })
        {
            foreach (int v in nodes)
            {
                if (v < 0 || v >= NodeCount) throw new ArgumentException($"{Name}: {part} node {v} is outside 0..{NodeCount - 1}.");
                if (seen[v]++ != 0) throw new ArgumentException($"{Name}: node {v} is in the {part} split twice or in two splits.");
            }
        }
        return this;
    }

    /// <summary>Counts nodes, edges, classes, features, isolated nodes and split sizes.</summary>
    public NodeDatasetStats Describe()
    {
        var degree = new int[NodeCount];
        for (int e = 0; e < EdgeSource.Length; e++)
        {
            degree[EdgeSource[e]]++;
            degree[EdgeTarget[e]]++;
        }
        var histogram = new int[ClassCount];
        foreach (int label in Labels) histogram[label]++;
        var trainHistogram = new int[ClassCount];
        foreach (int v in Split.Train) trainHistogram[Labels[v]]++;
        return new NodeDatasetStats(
            Name, NodeCount, UndirectedEdgeCount, 2 * UndirectedEdgeCount, ClassCount, FeatureDim,
            degree.Count(d => d == 0), NodeCount == 0 ? 0 : 2.0 * UndirectedEdgeCount / NodeCount,
            Split.Train.Length, Split.Validation.Length, Split.Test.Length, histogram, trainHistogram, Notes);
    }
}

/// <summary>What a <see cref="NodeData"/> holds, as printed by <c>graphssl inspect</c>.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Nodes">Number of nodes.</param>
/// <param name="UndirectedEdges">Distinct undirected edges without self-loops.</param>
/// <param name="DirectedEdges">Both directions of every undirected edge (PyG's <c>num_edges</c>).</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="FeatureDim">Feature columns.</param>
/// <param name="IsolatedNodes">Nodes without an edge.</param>
/// <param name="MeanDegree">Mean number of neighbours.</param>
/// <param name="TrainNodes">Nodes in the training split.</param>
/// <param name="ValidationNodes">Nodes in the validation split.</param>
/// <param name="TestNodes">Nodes in the test split.</param>
/// <param name="LabelHistogram">Nodes per class, in label order.</param>
/// <param name="TrainLabelHistogram">Training nodes per class, in label order.</param>
/// <param name="Notes">What the loader tolerated or inferred.</param>
public sealed record NodeDatasetStats(
    string Name,
    int Nodes,
    int UndirectedEdges,
    int DirectedEdges,
    int Classes,
    int FeatureDim,
    int IsolatedNodes,
    double MeanDegree,
    int TrainNodes,
    int ValidationNodes,
    int TestNodes,
    int[] LabelHistogram,
    int[] TrainLabelHistogram,
    IReadOnlyList<string> Notes);
