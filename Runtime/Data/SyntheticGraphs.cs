namespace GraphSSL.Data;

/// <summary>
/// The built-in dataset <c>"synthetic"</c>: a three-class graph-classification problem that needs no files
/// and whose classes differ <em>only</em> in structure.
/// </summary>
/// <remarks>
/// <para>Every graph has one node feature, the constant 1.0. Graphs come in triples: for each triple a node
/// count n is drawn uniformly from 12..30 and one graph of each class is built with exactly n nodes and
/// exactly ⌊3n/2⌋ undirected edges (mean degree ≈ 3), so node count, edge count, mean degree and the
/// features say nothing about the class. Every graph is connected and simple (no self-loops, no duplicate
/// edges); node ids are randomly permuted inside each graph. Edges are stored in both directions.</para>
/// <list type="table">
/// <item><term>0 <c>ring-with-chords</c></term><description>A cycle through all n nodes plus ⌊n/2⌋ chords
/// between uniformly random non-adjacent node pairs. Degrees stay within 2…≈5; no leaves, no hubs.</description></item>
/// <item><term>1 <c>two-hubs</c></term><description>Two adjacent hub nodes; each of the other n − 2 nodes
/// is joined to one hub chosen at random; the remaining ⌊n/2⌋ + 1 edges join uniformly random pairs of
/// non-hub nodes. Two nodes of degree ≈ n/2, the rest of degree 1…≈4.</description></item>
/// <item><term>2 <c>three-regular</c></term><description>A uniformly random connected simple graph in which every
/// node has degree 3 (for odd n exactly one node has degree 2): stubs are paired at random and the pairing
/// is redrawn until it has no self-loop, no duplicate edge and is connected.</description></item>
/// </list>
/// <para>A GIN with sum pooling separates the classes from the degree structure alone (one message-passing
/// layer already sees each node's degree), while any rule on node count, edge count or mean feature is at
/// chance level (1/3). Deterministic: the same arguments give the same dataset on every run and platform
/// (<see cref="Random"/> with a seed).</para>
/// </remarks>
public static class SyntheticGraphs
{
    /// <summary>The dataset name, also accepted by <see cref="DatasetResolver.Resolve(string, string?, IProgress{string}?)"/>.</summary>
    public const string Name = "synthetic";

    /// <summary>Class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["ring-with-chords", "two-hubs", "three-regular"];

    /// <summary>Smallest node count of a generated graph.</summary>
    public const int MinNodes = 12;
    /// <summary>Largest node count of a generated graph.</summary>
    public const int MaxNodes = 30;

    /// <summary>
    /// Creates the dataset: <paramref name="graphsPerClass"/> graphs of each of the three classes, interleaved
    /// (labels 0, 1, 2, 0, 1, 2, …), so any prefix is balanced.
    /// </summary>
    /// <param name="graphsPerClass">Graphs per class, at least 1. Default 150 (450 graphs).</param>
    /// <param name="seed">Seed of the generator; the dataset is a pure function of the two arguments.</param>
    public static GraphData Create(int graphsPerClass = 150, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(graphsPerClass, 1);
        var random = new Random(seed);
        int graphCount = 3 * graphsPerClass;
        var nodeOffsets = new int[graphCount + 1];
        var edgeOffsets = new int[graphCount + 1];
        var labels = new int[graphCount];
        var src = new List<int>();
        var dst = new List<int>();
        var edges = new List<(int U, int V)>();
        var present = new HashSet<(int, int)>();

        int g = 0;
        for (int i = 0; i < graphsPerClass; i++)
        {
            int n = random.Next(MinNodes, MaxNodes + 1);
            for (int label = 0; label < 3; label++, g++)
            {
                edges.Clear();
                present.Clear();
                switch (label)
                {
                    case 0: RingWithChords(n, random, edges, present); break;
                    case 1: TwoHubs(n, random, edges, present); break;
                    default: ThreeRegular(n, random, edges, present); break;
                }
                // Random relabelling, so node order carries no class information.
                var permutation = Enumerable.Range(0, n).ToArray();
                random.Shuffle(permutation);
                int first = nodeOffsets[g];
                foreach (var (u, v) in edges)
                {
                    src.Add(first + permutation[u]);
                    dst.Add(first + permutation[v]);
                    src.Add(first + permutation[v]);
                    dst.Add(first + permutation[u]);
                }
                labels[g] = label;
                nodeOffsets[g + 1] = first + n;
                edgeOffsets[g + 1] = src.Count;
            }
        }

        var features = new float[nodeOffsets[^1]];
        Array.Fill(features, 1f);
        var notes = new[]
        {
            $"built in: {graphsPerClass} graphs per class, seed {seed}, {MinNodes}..{MaxNodes} nodes and ⌊3n/2⌋ edges per graph in every class",
            "classes differ only in structure: constant feature 1.0",
        };
        return new GraphData(Name, features, 1, nodeOffsets, src.ToArray(), dst.ToArray(), edgeOffsets, labels,
            [.. ClassNames], notes).Validate();
    }

    /// <summary>Undirected edges a graph on <paramref name="n"/> nodes gets, in every class.</summary>
    internal static int EdgesFor(int n) => 3 * n / 2;

    static bool Add(int u, int v, List<(int U, int V)> edges, HashSet<(int, int)> present)
    {
        if (u == v) return false;
        var key = u < v ? (u, v) : (v, u);
        if (!present.Add(key)) return false;
        edges.Add((u, v));
        return true;
    }

    /// <summary>Adds random edges between nodes chosen by <paramref name="pick"/> until the graph has <see cref="EdgesFor"/> edges.</summary>
    static void FillRandom(int n, Random random, List<(int U, int V)> edges, HashSet<(int, int)> present, Func<(int, int)> pick)
    {
        int target = EdgesFor(n);
        while (edges.Count < target)
        {
            var (u, v) = pick();
            Add(u, v, edges, present);
        }
    }

    static void RingWithChords(int n, Random random, List<(int U, int V)> edges, HashSet<(int, int)> present)
    {
        for (int i = 0; i < n; i++) Add(i, (i + 1) % n, edges, present);
        FillRandom(n, random, edges, present, () => (random.Next(n), random.Next(n)));
    }

    static void TwoHubs(int n, Random random, List<(int U, int V)> edges, HashSet<(int, int)> present)
    {
        Add(0, 1, edges, present);
        for (int i = 2; i < n; i++) Add(i, random.Next(2), edges, present);
        FillRandom(n, random, edges, present, () => (2 + random.Next(n - 2), 2 + random.Next(n - 2)));
    }

    static void ThreeRegular(int n, Random random, List<(int U, int V)> edges, HashSet<(int, int)> present)
    {
        // Configuration model: 3 stubs per node (2 for the last node when n is odd), paired at random.
        int stubCount = 2 * EdgesFor(n);
        var stubs = new int[stubCount];
        for (int s = 0; s < stubCount; s++) stubs[s] = s / 3;
        var parent = new int[n];
        while (true)
        {
            edges.Clear();
            present.Clear();
            random.Shuffle(stubs);
            bool simple = true;
            for (int s = 0; s < stubCount && simple; s += 2) simple = Add(stubs[s], stubs[s + 1], edges, present);
            if (simple && IsConnected(n, edges, parent)) return;
        }
    }

    static bool IsConnected(int n, List<(int U, int V)> edges, int[] parent)
    {
        for (int i = 0; i < n; i++) parent[i] = i;
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        int components = n;
        foreach (var (u, v) in edges)
        {
            int a = Find(u), b = Find(v);
            if (a == b) continue;
            parent[a] = b;
            components--;
        }
        return components == 1;
    }
}
