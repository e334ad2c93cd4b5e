namespace GraphSSL.Data;

/// <summary>
/// What a dataset holds, as printed by <c>graphssl inspect</c>. Produced by <see cref="DatasetStatsExtensions.Describe"/>.
/// </summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Graphs">Number of graphs.</param>
/// <param name="Nodes">Total number of nodes.</param>
/// <param name="DirectedEdges">Directed edge entries (both directions of an undirected edge count).</param>
/// <param name="UndirectedEdges">Distinct unordered node pairs {u, v} among the edge entries (a self-loop counts once);
/// equals <c>DirectedEdges / 2</c> for a symmetric dataset without duplicates or self-loops.</param>
/// <param name="SelfLoops">Edge entries from a node to itself.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="LabelHistogram">Graphs per class, keyed by the class's original name, in label order.</param>
/// <param name="FeatureDim">Node feature columns.</param>
/// <param name="MinNodes">Fewest nodes in a graph.</param>
/// <param name="MeanNodes">Mean nodes per graph.</param>
/// <param name="MaxNodes">Most nodes in a graph.</param>
/// <param name="MeanDirectedEdges">Mean directed edge entries per graph.</param>
/// <param name="IsolatedNodes">Nodes that appear in no edge entry.</param>
/// <param name="Notes">What the loader tolerated or inferred (<see cref="GraphData.Notes"/>).</param>
public sealed record DatasetStats(
    string Name,
    int Graphs,
    int Nodes,
    int DirectedEdges,
    int UndirectedEdges,
    int SelfLoops,
    int Classes,
    IReadOnlyDictionary<string, int> LabelHistogram,
    int FeatureDim,
    int MinNodes,
    double MeanNodes,
    int MaxNodes,
    double MeanDirectedEdges,
    int IsolatedNodes,
    IReadOnlyList<string> Notes);

/// <summary>Summary statistics of a <see cref="GraphData"/>.</summary>
public static class DatasetStatsExtensions
{
    /// <summary>Counts graphs, nodes, edges, classes, features and isolated nodes of <paramref name="data"/>.</summary>
    public static DatasetStats Describe(this GraphData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int graphs = data.GraphCount;
        int minNodes = int.MaxValue, maxNodes = 0;
        for (int g = 0; g < graphs; g++)
        {
            int n = data.NodesIn(g);
            minNodes = Math.Min(minNodes, n);
            maxNodes = Math.Max(maxNodes, n);
        }
        if (graphs == 0) minNodes = 0;

        var counts = new int[data.ClassCount];
        foreach (int label in data.Labels) counts[label]++;
        var histogram = new Dictionary<string, int>(data.ClassCount);
        for (int c = 0; c < data.ClassCount; c++) histogram[data.ClassNames[c]] = counts[c];

        var touched = new bool[data.NodeCount];
        var pairs = new long[data.EdgeCount];
        long n64 = data.NodeCount;
        int selfLoops = 0;
        for (int e = 0; e < data.EdgeCount; e++)
        {
            int u = data.EdgeSource[e], v = data.EdgeTarget[e];
            touched[u] = true;
            touched[v] = true;
            if (u == v) selfLoops++;
            pairs[e] = u < v ? u * n64 + v : v * n64 + u;
        }
        Array.Sort(pairs);
        int undirected = 0;
        for (int e = 0; e < pairs.Length; e++)
            if (e == 0 || pairs[e] != pairs[e - 1]) undirected++;
        int isolated = 0;
        foreach (bool t in touched) if (!t) isolated++;

        return new DatasetStats(
            data.Name, graphs, data.NodeCount, data.EdgeCount, undirected, selfLoops, data.ClassCount, histogram,
            data.FeatureDim, minNodes, graphs == 0 ? 0 : (double)data.NodeCount / graphs, maxNodes,
            graphs == 0 ? 0 : (double)data.EdgeCount / graphs, isolated, data.Notes);
    }
}
