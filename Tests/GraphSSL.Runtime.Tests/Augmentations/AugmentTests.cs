using TorchSharp;
using static GraphSSL.Runtime.Tests.Augmentations.TestGraphs;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Augmentations;

namespace GraphSSL.Runtime.Tests.Augmentations;

public class AugmentTests
{
    static readonly GraphData Mixed = Random(seed: 7, graphCount: 160);

    [Fact]
    public void TheRandomDatasetCoversTheEdgeCases()
    {
        // The properties below are only meaningful if the generator produced the awkward cases.
        Assert.Contains(Enumerable.Range(0, Mixed.GraphCount), g => Mixed.NodesIn(g) == 1);
        Assert.Contains(Enumerable.Range(0, Mixed.GraphCount), g => Mixed.NodesIn(g) > 5 && Mixed.EdgesIn(g) == 0);
        Assert.Contains(Enumerable.Range(0, Mixed.GraphCount), g => Mixed.NodesIn(g) >= 30 && Mixed.EdgesIn(g) > 0);
    }

    // ---------------------------------------------------------------- node dropping

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void DropNodesRemovesExactlyTheRoundedShareAndKeepsTheRestIntact(double ratio)
    {
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.DropNodes(b, ratio, Gen(11))));
        var kept = AssertNodeSubset(Mixed, outB);
        for (int g = 0; g < Mixed.GraphCount; g++)
        {
            int n = Mixed.NodesIn(g);
            // e.g. n = 7, ratio 0.3: ⌊2.1 + 0.5⌋ = 2 dropped, 5 kept; n = 1: min(⌊…⌋, 0) = 0 dropped.
            int k = Math.Min(Rounded(ratio, n), n - 1);
            Assert.Equal(n - k, kept[g].Count);
        }
    }

    [Fact]
    public void DropNodesWorksWithoutAnyEdges()
    {
        var edgeless = Build(new[] { 1, 2, 5, 40, 3 }, (_, _, _) => { });
        var outB = WithBatch(edgeless, b => HostBatch.From(Augment.DropNodes(b, 0.5, Gen(3))));
        var kept = AssertNodeSubset(edgeless, outB);
        // n = 1, 2, 5, 40, 3 → dropped min(⌊n/2 + 0.5⌋, n − 1) = 0, 1, 3, 20, 2 → kept 1, 1, 2, 20, 1.
        Assert.Equal(new[] { 1, 1, 2, 20, 1 }, kept.Select(k => k.Count));
        Assert.Equal(0, outB.EdgeCount);
    }

    [Fact]
    public void DropNodesIsUniformOverNodes()
    {
        // 400 copies of a 10-node graph, ratio 0.3: 3 dropped per copy, so each local node survives with
        // probability 0.7: expected 280 per position, sd √(400·0.7·0.3) ≈ 9.2; allow ±5 sd = ±46.
        var copies = Build(Enumerable.Repeat(10, 400).ToArray(), (_, _, _) => { });
        var outB = WithBatch(copies, b => HostBatch.From(Augment.DropNodes(b, 0.3, Gen(5))));
        var survived = new int[10];
        for (int i = 0; i < outB.NodeCount; i++) survived[OriginalId(outB, i) % 10]++;
        Assert.All(survived, s => Assert.InRange(s, 280 - 46, 280 + 46));
    }

    // ---------------------------------------------------------------- subgraph

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.3)]
    [InlineData(0.7)]
    public void SubgraphKeepsAConnectedNeighbourhoodOfExactlyTheTargetSize(double ratio)
    {
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.Subgraph(b, ratio, Gen(13))));
        var kept = AssertNodeSubset(Mixed, outB);
        int shortOfTarget = 0;
        for (int g = 0; g < Mixed.GraphCount; g++)
        {
            int n = Mixed.NodesIn(g);
            // ratio is the share dropped: t = max(1, ⌊(1 − ratio)·n + 0.5⌋), e.g. n = 10, ratio 0.3 → 7.
            int t = Math.Max(1, Rounded(1 - ratio, n));
            var set = kept[g].ToHashSet();
            Assert.InRange(set.Count, 1, t);
            Assert.True(IsConnected(Mixed, g, set), $"graph {g}: kept nodes are not connected");
            if (set.Count < t)
            {
                // Fewer than t only when the seed's whole component was taken: no edge leaves the set.
                shortOfTarget++;
                Assert.DoesNotContain(EdgesOf(Mixed, g), e => set.Contains(e.Item1) != set.Contains(e.Item2));
            }
        }
        Assert.True(shortOfTarget < Mixed.GraphCount, "every graph ended short of its target: nothing was tested");
    }

    [Fact]
    public void SubgraphReachesBeyondOneHopOnAPath()
    {
        // Path 0–1–…–39 (both directions). Ratio 0.3 → t = ⌊0.7·40 + 0.5⌋ = 28; a seed's 1-hop
        // neighbourhood has at most 3 nodes, so 28 connected nodes need at least 13 expansion rounds.
        // On a path the kept set must be 28 consecutive nodes.
        var path = Build(new[] { 40, 40, 40 }, (_, n, add) => { for (int i = 0; i + 1 < n; i++) { add(i, i + 1); add(i + 1, i); } });
        var outB = WithBatch(path, b => HostBatch.From(Augment.Subgraph(b, 0.3, Gen(17))));
        var kept = AssertNodeSubset(path, outB);
        for (int g = 0; g < 3; g++)
        {
            Assert.Equal(28, kept[g].Count);
            Assert.Equal(kept[g][0] + 27, kept[g][^1]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void SubgraphTwoSortRouteForDeepGraphsGivesTheSameResult(double ratio)
    {
        // Distances of 2^13 or more (or huge batches) do not fit the single composite sort key, and the
        // selection then takes a two-sort route. With a 2-bit distance field every graph deeper than 3
        // rounds takes it; both routes order by (graph, distance, noise), so the output is bit-identical.
        var fast = WithBatch(Mixed, b => HostBatch.From(Augment.Subgraph(b, ratio, Gen(53), distanceBits: 13)));
        var slow = WithBatch(Mixed, b => HostBatch.From(Augment.Subgraph(b, ratio, Gen(53), distanceBits: 2)));
        Assert.True(fast.SameAs(slow));
        AssertNodeSubset(Mixed, slow);
    }

    [Fact]
    public void SubgraphFollowsEdgesInBothDirections()
    {
        // A one-way chain 0 → 1 → … → 9: from any seed, expansion in both directions reaches all 10 nodes,
        // so ratio 0.5 keeps exactly t = 5 consecutive nodes even when the seed is the last node.
        var chain = Build(Enumerable.Repeat(10, 50).ToArray(), (_, n, add) => { for (int i = 0; i + 1 < n; i++) add(i, i + 1); });
        var outB = WithBatch(chain, b => HostBatch.From(Augment.Subgraph(b, 0.5, Gen(19))));
        var kept = AssertNodeSubset(chain, outB);
        Assert.All(kept, k => { Assert.Equal(5, k.Count); Assert.Equal(k[0] + 4, k[^1]); });
    }

    [Fact]
    public void SubgraphCutsTheLastRingAtRandom()
    {
        // Star with centre 0 and leaves 1..10 (both directions), ratio 0.5 → t = ⌊5.5 + 0.5⌋ = 6.
        // Seed = centre (p = 1/11): ring = 10 leaves, 5 kept at random. Seed = a leaf: round 1 adds the
        // centre, round 2 reaches the other 9 leaves and keeps 4 of them at random.
        // Over 600 stars each leaf is kept with the same probability, (1/11)(5/10) + (10/11)(1/10 + (9/10)(4/9))
        // = 0.5: expected 300 per leaf, sd √(600·0.25) ≈ 12.2; allow ±5 sd ≈ ±61.
        var stars = Build(Enumerable.Repeat(11, 600).ToArray(), (_, n, add) => { for (int i = 1; i < n; i++) { add(0, i); add(i, 0); } });
        var outB = WithBatch(stars, b => HostBatch.From(Augment.Subgraph(b, 0.5, Gen(23))));
        var kept = AssertNodeSubset(stars, outB);
        var perLeaf = new int[11];
        foreach (var k in kept)
        {
            Assert.Equal(6, k.Count);
            Assert.Contains(k, id => id % 11 == 0); // 6 connected nodes of a star always include the centre
            foreach (var id in k) perLeaf[id % 11]++;
        }
        Assert.Equal(600, perLeaf[0]);
        Assert.All(perLeaf.Skip(1), c => Assert.InRange(c, 300 - 61, 300 + 61));
    }

    static bool IsConnected(GraphData d, int g, HashSet<int> set)
    {
        var adjacency = set.ToDictionary(v => v, _ => new List<int>());
        foreach (var (u, v) in EdgesOf(d, g))
            if (set.Contains(u) && set.Contains(v)) { adjacency[u].Add(v); adjacency[v].Add(u); }
        var seen = new HashSet<int> { set.First() };
        var queue = new Queue<int>(seen);
        while (queue.Count > 0)
            foreach (var w in adjacency[queue.Dequeue()])
                if (seen.Add(w)) queue.Enqueue(w);
        return seen.Count == set.Count;
    }

    // ---------------------------------------------------------------- edges

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void PerturbEdgesWithoutAddingRemovesExactlyTheRoundedShareOfOriginalEdges(double ratio)
    {
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.PerturbEdges(b, ratio, addEdges: false, Gen(29))));
        AssertNodesUnchanged(Mixed, outB);
        outB.AssertEdgesInsideGraphs();
        for (int g = 0; g < Mixed.GraphCount; g++)
        {
            int m = Mixed.EdgesIn(g);
            var outEdges = OutEdgesOf(outB, g); // node ids are unchanged, so batch ids are original ids
            // m = 9, ratio 0.2: ⌊1.8 + 0.5⌋ = 2 removed.
            Assert.Equal(m - Rounded(ratio, m), outEdges.Count);
            var original = Multiset(EdgesOf(Mixed, g));
            foreach (var (e, c) in Multiset(outEdges)) Assert.True(original.GetValueOrDefault(e) >= c, $"graph {g}: {e} is not an original edge");
        }
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.6)]
    public void PerturbEdgesWithAddingReplacesRemovedEdgesByRandomInGraphEdges(double ratio)
    {
        // Every original edge is a self-loop and added edges never are (u ≠ v), so the two are told apart.
        // n self-loops per graph: ⌊ratio·n + 0.5⌋ removed, as many added unless n = 1.
        var sizes = new[] { 1, 1, 2, 3, 7, 10, 25, 40 }.SelectMany(n => Enumerable.Repeat(n, 10)).ToArray();
        var loops = Build(sizes, (_, n, add) => { for (int i = 0; i < n; i++) add(i, i); });
        var outB = WithBatch(loops, b => HostBatch.From(Augment.PerturbEdges(b, ratio, addEdges: true, Gen(31))));
        AssertNodesUnchanged(loops, outB);
        outB.AssertEdgesInsideGraphs();
        for (int g = 0; g < loops.GraphCount; g++)
        {
            int n = loops.NodesIn(g);
            int r = Rounded(ratio, n);
            var edges = OutEdgesOf(outB, g);
            Assert.Equal(n - r, edges.Count(e => e.Item1 == e.Item2));
            Assert.Equal(n >= 2 ? r : 0, edges.Count(e => e.Item1 != e.Item2));
            Assert.Equal(edges.Count, edges.Distinct().Count(e => e.Item1 == e.Item2) + edges.Count(e => e.Item1 != e.Item2)); // self-loops not duplicated
        }
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void AddEdgesAddsTheRoundedShareOfUndirectedEdgesInBothDirections(double ratio)
    {
        var sizes = new[] { 1, 2, 3, 7, 10, 25, 40 }.SelectMany(n => Enumerable.Repeat(n, 10)).ToArray();
        var loops = Build(sizes, (_, n, add) => { for (int i = 0; i < n; i++) add(i, i); });
        var outB = WithBatch(loops, b => HostBatch.From(Augment.AddEdges(b, ratio, Gen(37))));
        AssertNodesUnchanged(loops, outB);
        outB.AssertEdgesInsideGraphs();
        for (int g = 0; g < loops.GraphCount; g++)
        {
            int n = loops.NodesIn(g);
            // m = n self-loops: all kept, plus ⌊ratio·n + 0.5⌋ undirected edges = twice as many entries.
            int a = n >= 2 ? Rounded(ratio, n) : 0;
            var edges = OutEdgesOf(outB, g);
            Assert.Equal(n, edges.Count(e => e.Item1 == e.Item2));
            var added = edges.Where(e => e.Item1 != e.Item2).ToList();
            Assert.Equal(2 * a, added.Count);
            AssertSameMultiset(added, added.Select(e => (e.Item2, e.Item1)), $"graph {g}: added edges are symmetric");
        }
    }

    [Fact]
    public void EdgeOpsKeepEverythingOnEdgelessAndOneNodeGraphs()
    {
        var edgeless = Build(new[] { 1, 1, 4, 9 }, (_, _, _) => { });
        foreach (var op in new Func<GraphBatch, GraphBatch>[]
                 {
                     b => Augment.PerturbEdges(b, 0.5, true, Gen(1)),
                     b => Augment.PerturbEdges(b, 0.5, false, Gen(1)),
                     b => Augment.AddEdges(b, 0.5, Gen(1)),
                 })
        {
            var outB = WithBatch(edgeless, b => HostBatch.From(op(b)));
            AssertNodesUnchanged(edgeless, outB);
            Assert.Equal(0, outB.EdgeCount); // m = 0 → nothing removed, nothing added
        }
    }

    // ---------------------------------------------------------------- features

    [Theory]
    [InlineData(MaskMode.Zero, 0.3)]
    [InlineData(MaskMode.Gaussian, 0.3)]
    [InlineData(MaskMode.Gaussian, 0.0)]
    [InlineData(MaskMode.Zero, 0.9)]
    public void MaskAttributesReplacesExactlyTheChosenRows(MaskMode mode, double ratio)
    {
        var outB = WithBatch(Mixed, b =>
        {
            var masked = Augment.MaskAttributes(b, ratio, mode, 0.5, 0.5, Gen(41));
            Assert.True(Same(masked.EdgeIndex, b.EdgeIndex) && Same(masked.Batch, b.Batch), "structure changed");
            return HostBatch.From(masked);
        });
        Assert.Equal(Mixed.NodeCount, outB.NodeCount);
        var changedValues = new List<float>();
        for (int g = 0; g < Mixed.GraphCount; g++)
        {
            int changed = 0;
            for (int i = Mixed.NodeOffsets[g]; i < Mixed.NodeOffsets[g + 1]; i++)
            {
                Assert.Equal(g, outB.Batch[i]);
                var original = Mixed.NodeFeatures.AsSpan(i * 3, 3).ToArray();
                var row = outB.Row(i);
                if (row.SequenceEqual(original)) continue;
                changed++;
                // Original rows have column 0 = id + 1 ≥ 1, so a masked row differs in (almost surely) every element.
                if (mode == MaskMode.Zero) Assert.Equal(new float[3], row);
                else Assert.All(row.Zip(original), p => Assert.NotEqual(p.Second, p.First));
                changedValues.AddRange(row);
            }
            // n = 10, ratio 0.3 → ⌊3.5⌋ = 3 rows.
            Assert.Equal(Rounded(ratio, Mixed.NodesIn(g)), changed);
        }
        if (mode == MaskMode.Gaussian && changedValues.Count > 1000)
        {
            // N(0.5, 0.5²): the sample mean of k values has sd 0.5/√k; allow 5 sd. The sample sd within 10%.
            double mean = changedValues.Average();
            double sd = Math.Sqrt(changedValues.Sum(v => (v - mean) * (v - mean)) / (changedValues.Count - 1));
            Assert.InRange(mean, 0.5 - 2.5 / Math.Sqrt(changedValues.Count), 0.5 + 2.5 / Math.Sqrt(changedValues.Count));
            Assert.InRange(sd, 0.45, 0.55);
        }
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void FeatureDropoutZeroesAboutPOfTheElementsWithoutRescaling(double p)
    {
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.FeatureDropout(b, p, Gen(43))));
        Assert.Equal(Mixed.NodeFeatures.Length, outB.X.Length);
        int zeros = 0;
        for (int i = 0; i < outB.X.Length; i++)
        {
            if (outB.X[i] == 0 && Mixed.NodeFeatures[i] != 0) zeros++;
            else Assert.Equal(Mixed.NodeFeatures[i], outB.X[i]); // kept elements are not rescaled
        }
        // Column 1 (graph id) is 0 in graph 0, so only count elements that were nonzero.
        int candidates = Mixed.NodeFeatures.Count(v => v != 0);
        double expected = p * candidates, sd = Math.Sqrt(candidates * p * (1 - p));
        Assert.InRange(zeros, expected - 5 * sd, expected + 5 * sd);
    }

    [Fact]
    public void MaskFeatureColumnsZeroesWholeColumnsPerGraph()
    {
        // 30 copies of a 4-node graph with all-ones features over 5 columns: within a graph a column is zeroed for every
        // node or none; graphs draw their own columns (a one-graph batch broadcasts its row, a batch of many gathers per node).
        static GraphData Ones(int[] sizes)
        {
            var d = Build(sizes, (_, _, add) => add(0, 1));
            return d with { NodeFeatures = Enumerable.Repeat(1f, d.NodeCount * 5).ToArray(), FeatureDim = 5 };
        }
        var ones = Ones(Enumerable.Repeat(4, 30).ToArray());
        var outB = WithBatch(ones, b => HostBatch.From(new MaskFeatureColumns(0.5).Apply(b, Gen(44))));
        var (start, count) = outB.Ranges();
        var patterns = new HashSet<string>();
        for (int g = 0; g < 30; g++)
        {
            var first = outB.Row(start[g]);
            for (int i = start[g]; i < start[g] + count[g]; i++) Assert.Equal(first, outB.Row(i));
            Assert.All(first, v => Assert.True(v is 0f or 1f));
            patterns.Add(string.Concat(first.Select(v => v == 0 ? '0' : '1')));
        }
        Assert.True(patterns.Count >= 10, $"only {patterns.Count} distinct column masks among 30 graphs");
        var one = WithBatch(Ones(new[] { 6 }), b => HostBatch.From(new MaskFeatureColumns(0.5).Apply(b, Gen(45))));
        Assert.Contains(0f, one.X);
        for (int i = 1; i < 6; i++) Assert.Equal(one.Row(0), one.Row(i));
    }

    // ---------------------------------------------------------------- randomness

    public static IEnumerable<object[]> AllRandomOps() => new[]
    {
        new object[] { "DropNodes" }, new object[] { "Subgraph" }, new object[] { "PerturbEdges" },
        new object[] { "AddEdges" }, new object[] { "MaskAttributes" }, new object[] { "FeatureDropout" },
    };

    static GraphBatch Run(string op, GraphBatch b, Generator gen) => op switch
    {
        "DropNodes" => Augment.DropNodes(b, 0.3, gen),
        "Subgraph" => Augment.Subgraph(b, 0.3, gen),
        "PerturbEdges" => Augment.PerturbEdges(b, 0.3, true, gen),
        "AddEdges" => Augment.AddEdges(b, 0.3, gen),
        "MaskAttributes" => Augment.MaskAttributes(b, 0.3, MaskMode.Gaussian, 0.5, 0.5, gen),
        "FeatureDropout" => Augment.FeatureDropout(b, 0.3, gen),
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(AllRandomOps))]
    public void SameSeedIsBitIdenticalAndDifferentSeedsDiffer(string op)
    {
        var a = WithBatch(Mixed, b => HostBatch.From(Run(op, b, Gen(101))));
        var a2 = WithBatch(Mixed, b => HostBatch.From(Run(op, b, Gen(101))));
        var c = WithBatch(Mixed, b => HostBatch.From(Run(op, b, Gen(102))));
        Assert.True(a.SameAs(a2), "same seed, different output");
        Assert.False(a.SameAs(c), "different seeds, same output");
    }

    [Theory]
    [MemberData(nameof(AllRandomOps))]
    public void IdenticalGraphsInOneBatchGetIndependentDraws(string op)
    {
        // 30 copies of one 20-node graph (a ring plus chords): with one draw per batch all copies would
        // come out alike; with draws per graph nearly all differ. Each copy's result is described in local
        // node ids (original id mod 20) plus which feature elements were changed.
        var ringEdges = new List<(int, int)>();
        for (int i = 0; i < 20; i++) { ringEdges.Add((i, (i + 1) % 20)); ringEdges.Add(((i + 1) % 20, i)); }
        for (int i = 0; i < 20; i += 4) { ringEdges.Add((i, (i + 7) % 20)); ringEdges.Add(((i + 7) % 20, i)); }
        var copies = Build(Enumerable.Repeat(20, 30).ToArray(), (_, _, add) => { foreach (var (u, v) in ringEdges) add(u, v); });
        var outB = WithBatch(copies, b => HostBatch.From(Run(op, b, Gen(103))));
        bool removesNodes = op is "DropNodes" or "Subgraph";
        int Original(int i) => removesNodes ? OriginalId(outB, i) : i; // other ops keep every node in place
        var (start, count) = outB.Ranges();
        var signatures = new HashSet<string>();
        for (int g = 0; g < 30; g++)
        {
            var nodes = Enumerable.Range(start[g], count[g]).Select(i =>
            {
                int id = Original(i);
                var changed = outB.Row(i).Select((v, c) => v == copies.NodeFeatures[id * 3 + c] ? '-' : 'x');
                return $"{id % 20}:{string.Concat(changed)}";
            });
            var edges = OutEdgesOf(outB, g).Select(e => (Original(e.Item1) % 20, Original(e.Item2) % 20)).OrderBy(e => e);
            signatures.Add(string.Join(" ", nodes) + "|" + string.Join(" ", edges));
        }
        Assert.True(signatures.Count >= 20, $"{op}: only {signatures.Count} distinct results among 30 identical graphs");
    }

    // ---------------------------------------------------------------- combinators

    [Fact]
    public void RandomChoiceDrawsPerGraphAndRestoresTheOrder()
    {
        // Choice 0 drops half the nodes and tags column 1 with +1000; choice 1 tags +2000; choice 2 +3000.
        IAugmentation Tagged(double ratio, float tag) => new FuncAugmentation((b, gen) =>
        {
            var dropped = Augment.DropNodes(b, ratio, gen);
            var shift = torch.tensor(new[] { 0f, tag, 0f }, device: b.X.device);
            return dropped with { X = dropped.X + shift };
        });
        var choices = new[] { Tagged(0.5, 1000), Tagged(0, 2000), Tagged(0, 3000) };
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.RandomChoice(b, choices, Gen(47))));
        Assert.Equal(Mixed.GraphCount, outB.GraphCount);
        var (start, count) = outB.Ranges();
        outB.AssertEdgesInsideGraphs();
        var used = new int[3];
        for (int g = 0; g < Mixed.GraphCount; g++)
        {
            // Column 1 was the graph id g; now g + tag, the same tag for the whole graph.
            var tags = Enumerable.Range(start[g], count[g]).Select(i => (int)outB.Feature(i, 1) - g).Distinct().ToList();
            Assert.Single(tags);
            int choice = tags[0] / 1000 - 1;
            Assert.InRange(choice, 0, 2);
            used[choice]++;
            int n = Mixed.NodesIn(g);
            Assert.Equal(choice == 0 ? n - Math.Min(Rounded(0.5, n), n - 1) : n, count[g]);
            // Nodes come from the right original graph: order restored.
            Assert.All(Enumerable.Range(start[g], count[g]), i => Assert.InRange(OriginalId(outB, i), Mixed.NodeOffsets[g], Mixed.NodeOffsets[g + 1] - 1));
        }
        // 160 graphs, 3 choices: each expected ≈ 53, sd ≈ 6; all three must occur and none dominate.
        Assert.All(used, u => Assert.InRange(u, 20, 90));
        // The untagged part of the batch is still a valid node subset of the original.
        var untaggedX = (float[])outB.X.Clone();
        for (int i = 0; i < outB.NodeCount; i++) untaggedX[i * 3 + 1] = outB.Batch[i];
        AssertNodeSubset(Mixed, outB with { X = untaggedX });
    }

    [Fact]
    public void RandomChoiceIsDeterministicPerSeed()
    {
        var choices = new IAugmentation[]
        {
            new FuncAugmentation((b, gen) => Augment.DropNodes(b, 0.3, gen)),
            new FuncAugmentation((b, gen) => Augment.Subgraph(b, 0.3, gen)),
            new FuncAugmentation((b, gen) => Augment.MaskAttributes(b, 0.3, MaskMode.Gaussian, 0.5, 0.5, gen)),
        };
        var a = WithBatch(Mixed, b => HostBatch.From(Augment.RandomChoice(b, choices, Gen(5))));
        var a2 = WithBatch(Mixed, b => HostBatch.From(Augment.RandomChoice(b, choices, Gen(5))));
        var c = WithBatch(Mixed, b => HostBatch.From(Augment.RandomChoice(b, choices, Gen(6))));
        Assert.True(a.SameAs(a2));
        Assert.False(a.SameAs(c));
    }

    [Fact]
    public void ComposeAppliesInOrderWithTheSameGenerator()
    {
        var steps = new IAugmentation[]
        {
            new FuncAugmentation((b, gen) => Augment.DropNodes(b, 0.3, gen)),
            new FuncAugmentation((b, gen) => Augment.MaskAttributes(b, 0.2, MaskMode.Zero, 0, 1, gen)),
        };
        var composed = WithBatch(Mixed, b => HostBatch.From(Augment.Compose(b, steps, Gen(9))));
        var manual = WithBatch(Mixed, b =>
        {
            var gen = Gen(9);
            return HostBatch.From(Augment.MaskAttributes(Augment.DropNodes(b, 0.3, gen), 0.2, MaskMode.Zero, 0, 1, gen));
        });
        Assert.True(composed.SameAs(manual));
        var identity = WithBatch(Mixed, b => HostBatch.From(Augment.Compose(b, Array.Empty<IAugmentation>(), Gen(9))));
        AssertNodesUnchanged(Mixed, identity);
    }

    [Fact]
    public void IdentityReturnsTheSameValues()
    {
        var outB = WithBatch(Mixed, b => HostBatch.From(Augment.Identity(b)));
        AssertNodesUnchanged(Mixed, outB);
        AssertSameMultiset(Enumerable.Range(0, Mixed.EdgeCount).Select(e => (Mixed.EdgeSource[e], Mixed.EdgeTarget[e])),
            Enumerable.Range(0, outB.EdgeCount).Select(e => ((int)outB.Src[e], (int)outB.Dst[e])), "identity");
    }

    // ---------------------------------------------------------------- hygiene

    [Fact]
    public void ArgumentsAreValidated()
    {
        WithBatch(Mixed, b =>
        {
            var gen = Gen(1);
            foreach (var bad in new[] { -0.1, 1.0, 1.5, double.NaN })
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.DropNodes(b, bad, gen));
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.Subgraph(b, bad, gen));
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.PerturbEdges(b, bad, true, gen));
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.AddEdges(b, bad, gen));
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.MaskAttributes(b, bad, MaskMode.Zero, 0, 1, gen));
            }
            foreach (var bad in new[] { -0.1, 1.1, double.NaN })
                Assert.Throws<ArgumentOutOfRangeException>(() => Augment.FeatureDropout(b, bad, gen));
            Assert.Throws<ArgumentOutOfRangeException>(() => Augment.MaskAttributes(b, 0.2, MaskMode.Gaussian, 0.5, -0.5, gen));
            Assert.Throws<ArgumentOutOfRangeException>(() => Augment.MaskAttributes(b, 0.2, (MaskMode)7, 0.5, 0.5, gen));
            Assert.Throws<ArgumentException>(() => Augment.RandomChoice(b, Array.Empty<IAugmentation>(), gen));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(AllRandomOps))]
    public void OnlyTheOutputTensorsAreLeftInTheCallersScope(string op)
    {
        WithBatch(Mixed, b =>
        {
            using var scope = torch.NewDisposeScope();
            var result = Run(op, b, Gen(2));
            // X, EdgeIndex and Batch of the result; every temporary was disposed inside the op.
            Assert.Equal(3, scope.DisposablesCount);
            Assert.True(scope.Contains(result.X) && scope.Contains(result.EdgeIndex) && scope.Contains(result.Batch));
            return 0;
        });
    }
}
