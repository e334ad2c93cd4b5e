using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

public class SyntheticGraphsTests
{
    static readonly GraphData Default = SyntheticGraphs.Create();

    [Fact]
    public void Same_seed_same_dataset_other_seed_other_dataset()
    {
        var a = SyntheticGraphs.Create(20, seed: 7);
        var b = SyntheticGraphs.Create(20, seed: 7);
        var c = SyntheticGraphs.Create(20, seed: 8);
        Assert.Equal(a.NodeOffsets, b.NodeOffsets);
        Assert.Equal(a.EdgeSource, b.EdgeSource);
        Assert.Equal(a.EdgeTarget, b.EdgeTarget);
        Assert.Equal(a.Labels, b.Labels);
        Assert.False(a.EdgeSource.AsSpan().SequenceEqual(c.EdgeSource) && a.NodeOffsets.AsSpan().SequenceEqual(c.NodeOffsets));
    }

    [Fact]
    public void Balanced_valid_and_interleaved()
    {
        var data = SyntheticGraphs.Create(40, seed: 3);
        data.Validate();
        Assert.Equal("synthetic", data.Name);
        Assert.Equal(120, data.GraphCount);
        Assert.Equal(["ring-with-chords", "two-hubs", "three-regular"], data.ClassNames);
        for (int g = 0; g < data.GraphCount; g++) Assert.Equal(g % 3, data.Labels[g]);
        Assert.Equal(1, data.FeatureDim);
        Assert.All(data.NodeFeatures, f => Assert.Equal(1f, f));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGraphs.Create(0));
    }

    [Fact]
    public void Every_graph_is_simple_symmetric_connected_with_the_promised_counts()
    {
        var data = Default;
        for (int g = 0; g < data.GraphCount; g++)
        {
            int n = data.NodesIn(g), first = data.NodeOffsets[g];
            Assert.InRange(n, 12, 30);
            Assert.Equal(2 * (3 * n / 2), data.EdgesIn(g)); // ⌊3n/2⌋ undirected edges, both directions stored
            var pairs = new HashSet<(int, int)>();
            var parent = Enumerable.Range(0, n).ToArray();
            int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
            for (int e = data.EdgeOffsets[g]; e < data.EdgeOffsets[g + 1]; e++)
            {
                int u = data.EdgeSource[e] - first, v = data.EdgeTarget[e] - first;
                Assert.NotEqual(u, v);
                Assert.True(pairs.Add((u, v)), $"graph {g}: duplicate edge {u}->{v}");
                parent[Find(u)] = Find(v);
            }
            foreach (var (u, v) in pairs) Assert.Contains((v, u), pairs);
            Assert.Single(Enumerable.Range(0, n).Select(Find).Distinct());
        }
    }

    [Fact]
    public void Each_class_has_its_documented_degree_structure()
    {
        var data = Default;
        for (int g = 0; g < data.GraphCount; g++)
        {
            var degree = Degrees(data, g);
            int n = degree.Length;
            switch (data.Labels[g])
            {
                case 0: // a Hamiltonian ring plus chords: nobody below degree 2
                    Assert.True(degree.Min() >= 2, $"graph {g}");
                    break;
                case 1: // two hubs share the n − 2 spokes plus the hub–hub edge: the larger hub has ≥ (n − 2)/2 + 1
                    var sorted = degree.OrderDescending().ToArray();
                    Assert.True(sorted[0] >= (n - 2 + 1) / 2 + 1, $"graph {g}");
                    Assert.True(sorted[0] + sorted[1] >= n, $"graph {g}"); // hubs: n − 2 spokes + 2 ends of the hub edge
                    break;
                default: // every degree 3; for odd n one node has degree 2
                    Assert.Equal(n % 2, degree.Count(d => d == 2));
                    Assert.Equal(n - n % 2, degree.Count(d => d == 3));
                    break;
            }
        }
    }

    [Fact]
    public void Node_count_edge_count_and_features_say_nothing_about_the_class()
    {
        // Every triple of graphs (one per class) shares its node count, and edge count is a function of node
        // count, so the best possible rule on node count (predict the majority class of each count, fitted
        // on the data itself; an upper bound on any threshold rule) is at chance: 1/3 < 0.7.
        var data = Default;
        Assert.True(BestLookupAccuracy(data, g => data.NodesIn(g)) < 0.7);
        Assert.True(BestLookupAccuracy(data, g => data.EdgesIn(g)) < 0.7);
        Assert.Equal(1.0 / 3, BestLookupAccuracy(data, g => data.NodesIn(g)), 6);
    }

    [Fact]
    public void Degree_structure_separates_the_classes()
    {
        // What one GIN layer with sum pooling can see: the degree histogram. A nearest-centroid rule on the
        // normalised histogram (degrees 0..11+) separates the classes well above chance (1/3).
        var data = Default;
        const int bins = 12;
        var histograms = new double[data.GraphCount][];
        for (int g = 0; g < data.GraphCount; g++)
        {
            var h = new double[bins];
            var degree = Degrees(data, g);
            foreach (int d in degree) h[Math.Min(d, bins - 1)] += 1.0 / degree.Length;
            histograms[g] = h;
        }
        var centroids = new double[3, bins];
        var counts = new int[3];
        for (int g = 0; g < data.GraphCount; g++)
        {
            counts[data.Labels[g]]++;
            for (int b = 0; b < bins; b++) centroids[data.Labels[g], b] += histograms[g][b];
        }
        int correct = 0;
        for (int g = 0; g < data.GraphCount; g++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int c = 0; c < 3; c++)
            {
                double distance = 0;
                for (int b = 0; b < bins; b++) distance += Math.Pow(histograms[g][b] - centroids[c, b] / counts[c], 2);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            if (best == data.Labels[g]) correct++;
        }
        Assert.True(correct > 0.9 * data.GraphCount, $"{correct} of {data.GraphCount}");
    }

    static int[] Degrees(GraphData data, int g)
    {
        var degree = new int[data.NodesIn(g)];
        for (int e = data.EdgeOffsets[g]; e < data.EdgeOffsets[g + 1]; e++) degree[data.EdgeSource[e] - data.NodeOffsets[g]]++;
        return degree;
    }

    static double BestLookupAccuracy(GraphData data, Func<int, int> statistic)
    {
        int correct = 0;
        foreach (var group in Enumerable.Range(0, data.GraphCount).GroupBy(statistic))
            correct += group.GroupBy(g => data.Labels[g]).Max(c => c.Count());
        return (double)correct / data.GraphCount;
    }
}
