using GraphSSL.Runtime.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;
using GraphSSL.Data.Planetoid;

namespace GraphSSL.Runtime.Tests.EndToEnd.NodeLevelModels;

[Encoder, Gcn(Layers = 2, Hidden = 16, Activation = Activation.PRelu, BatchNorm = false, JumpingKnowledge = false)]
public partial record SmallNodeGcn;

[Encoder, Gat(Layers = 2, Hidden = 16, Heads = 4, ConcatHeads = true, Activation = Activation.PRelu, BatchNorm = false, JumpingKnowledge = false)]
public partial record SmallNodeGat;

[Augmentation, Identity]
public partial record NodeRaw;

[Augmentation]
public partial record NodeEdgeFeature([Hyper(ValueRange.Probability)] double EdgeP = 0.3, [Hyper(ValueRange.Probability)] double FeatureP = 0.3)
{
    public GraphBatch Apply(GraphBatch batch, Generator generator)
        => new MaskFeatureColumns(FeatureP).Apply(new RemoveEdges(EdgeP).Apply(batch, generator), generator);
}

[SslModel(NodeLevel = true)]
public partial record SmallGrace(SmallNodeGcn Encoder, NodeEdgeFeature View1, NodeEdgeFeature View2, Grace Objective);

[SslModel(NodeLevel = true)]
public partial record SmallDgi(SmallNodeGcn Encoder, NodeRaw View1, ShuffleFeatures View2, Dgi Objective);

[SslModel(NodeLevel = true), Predictor(Layers = 2, Hidden = 32)]
public partial record SmallBgrl(SmallNodeGcn Encoder, NodeEdgeFeature View1, NodeEdgeFeature View2, Byol Objective);

[SslModel(NodeLevel = true)]
public partial record SmallNodeMae(SmallNodeGat Encoder, NodeRaw View, GraphMae Objective);

/// <summary>Node-level (transductive, full-graph) training through the generated trainers, on a synthetic graph and on Cora.</summary>
public class NodeLevelTests
{
    /// <summary>Two communities of 30 nodes, features noisy around a community mean, edges mostly inside a community.</summary>
    static NodeData TwoCommunities()
    {
        var random = new Random(7);
        const int n = 60, f = 12;
        var labels = Enumerable.Range(0, n).Select(v => v < n / 2 ? 0 : 1).ToArray();
        var features = new float[n * f];
        for (int v = 0; v < n; v++)
            for (int j = 0; j < f; j++)
                features[v * f + j] = (float)((j < f / 2) == (labels[v] == 0) ? 1 + random.NextDouble() : random.NextDouble());
        var edges = new SortedSet<(int, int)>();
        while (edges.Count < 150)
        {
            int u = random.Next(n), w = random.Next(n);
            if (u == w || (labels[u] != labels[w] && random.NextDouble() < 0.9)) continue;
            edges.Add((Math.Min(u, w), Math.Max(u, w)));
        }
        var split = new NodeSplit(new[] { 0, 1, 2, 3, 30, 31, 32, 33 }, Enumerable.Range(4, 10).Concat(Enumerable.Range(34, 10)).ToArray(),
            Enumerable.Range(14, 16).Concat(Enumerable.Range(44, 16)).ToArray());
        return new NodeData("two-communities", features, f, labels, 2, edges.Select(e => e.Item1).ToArray(), edges.Select(e => e.Item2).ToArray(),
            split, Array.Empty<string>()).Validate();
    }

    static readonly TrainOptions Options = new() { Epochs = 6, LearningRate = 0.01, Seed = 3 };

    [Fact]
    public void AsGraph_is_one_graph_with_both_directions_of_every_edge()
    {
        var data = TwoCommunities();
        var graph = NodeLevel.AsGraph(data).Validate();
        Assert.Equal(1, graph.GraphCount);
        Assert.Equal(data.NodeCount, graph.NodeCount);
        Assert.Equal(2 * data.UndirectedEdgeCount, graph.EdgeCount);
        var normalized = NodeLevel.RowNormalized(data);
        for (int v = 0; v < data.NodeCount; v++)
            Assert.Equal(1.0, normalized.Features.AsSpan(v * data.FeatureDim, data.FeatureDim).ToArray().Sum(x => (double)x), 4);
    }

    public static IEnumerable<object[]> Models() => new[]
    {
        new object[] { new SmallGrace(new SmallNodeGcn(), new NodeEdgeFeature(), new NodeEdgeFeature(0.4, 0.4), new Grace(0.5, 16)) },
        new object[] { new SmallDgi(new SmallNodeGcn(), new NodeRaw(), new ShuffleFeatures(), new Dgi()) },
        new object[] { new SmallBgrl(new SmallNodeGcn(), new NodeEdgeFeature(), new NodeEdgeFeature(0.1, 0.2), new Byol()) },
        new object[] { new SmallNodeMae(new SmallNodeGat(), new NodeRaw(), new GraphMae()) },
        new object[] { new SmallNodeMae(new SmallNodeGat(), new NodeRaw(), new GraphMae(DecoderHeads: 1)) },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Trains_on_the_full_graph_and_embeds_every_node(INodeLevelModel model)
    {
        var data = TwoCommunities();
        var reports = new List<EpochReport>();
        using var result = model.Train(data, Options, new Progress(reports.Add));
        Assert.Equal(Options.Epochs, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
        using var nodes = result.EmbedNodes(data);
        Assert.Equal(new long[] { data.NodeCount, 16 }, nodes.shape);
        Assert.Equal(1, result.Embed(NodeLevel.AsGraph(data)).shape[0]); // the graph-level readout still works
    }

    [Fact]
    public void The_generated_loop_follows_the_cosine_schedule()
    {
        // Epochs 1 and 2 see the same weights under both schedules (the first step uses the full rate in both); from
        // epoch 3 on the cosine run has taken a smaller step, so its losses differ.
        var data = TwoCommunities();
        var model = new SmallDgi(new SmallNodeGcn(), new NodeRaw(), new ShuffleFeatures(), new Dgi());
        using var constant = model.Train(data, Options with { Epochs = 4 });
        using var cosine = model.Train(data, Options with { Epochs = 4, Schedule = LearningRateSchedule.Cosine });
        Assert.Equal(constant.Losses.Take(2), cosine.Losses.Take(2));
        Assert.NotEqual(constant.Losses[2], cosine.Losses[2]);
    }

    [Fact]
    public void Resumes_bit_identically()
    {
        var data = TwoCommunities();
        var model = new SmallDgi(new SmallNodeGcn(), new NodeRaw(), new ShuffleFeatures(), new Dgi());
        using var dir = new TempDirectory("node-resume");
        using var whole = model.Train(data, Options);
        using (model.Train(data, Options with { Epochs = 3, CheckpointDirectory = dir })) { }
        using var resumed = model.Train(data, Options with { CheckpointDirectory = dir, Resume = true });
        Assert.Equal(whole.Losses, resumed.Losses);
        using var a = whole.EmbedNodes(data);
        using var b = resumed.EmbedNodes(data);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Fact]
    public void With_dropout_a_run_replays_exactly_and_resumes_bit_identically()
    {
        // GraphMAE's regularisers: dropout on every GAT layer's input and attention, and on the decoder's; all drawn
        // from the run's generator, so the checkpoint (which keeps its state) resumes the same masks.
        var data = TwoCommunities();
        var model = new SmallNodeMae(new SmallNodeGat { Dropout = 0.2, AttentionDropout = 0.1 }, new NodeRaw(),
            new GraphMae(MaskRate: 0.5, DecoderHeads: 1, DecoderDropout: 0.2, DecoderAttentionDropout: 0.1));
        var without = model with { Encoder = new SmallNodeGat(), Objective = model.Objective with { DecoderDropout = 0, DecoderAttentionDropout = 0 } };
        using var dir = new TempDirectory("node-dropout-resume");
        using var whole = model.Train(data, Options);
        using var again = model.Train(data, Options);
        using var plain = without.Train(data, Options);
        Assert.Equal(whole.Losses, again.Losses);
        Assert.NotEqual(whole.Losses, plain.Losses);
        using (model.Train(data, Options with { Epochs = 3, CheckpointDirectory = dir })) { }
        using var resumed = model.Train(data, Options with { CheckpointDirectory = dir, Resume = true });
        Assert.Equal(whole.Losses, resumed.Losses);
        using var a = whole.EmbedNodes(data);
        using var b = resumed.EmbedNodes(data);
        using var c = whole.EmbedNodes(data);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(a.eq(c).all().item<bool>()); // embedding is evaluation: no dropout
    }

    [Fact]
    public void Attention_dropout_on_the_gin_decoder_is_refused_by_name()
    {
        var model = new SmallNodeMae(new SmallNodeGat(), new NodeRaw(), new GraphMae(DecoderHeads: 0, DecoderAttentionDropout: 0.1));
        var error = Assert.Throws<ArgumentException>(() => model.Train(TwoCommunities(), Options with { Epochs = 1 }));
        Assert.Contains("DecoderAttentionDropout", error.Message);
        Assert.Contains("DecoderHeads", error.Message);
    }

    [Fact]
    public void A_decoder_mlp_with_the_attention_decoder_is_refused_by_name()
    {
        var model = new SmallNodeMae(new SmallNodeGat(), new NodeRaw(), new GraphMae(DecoderHeads: 1, DecoderHidden: 8));
        var error = Assert.Throws<ArgumentException>(() => model.Train(TwoCommunities(), Options with { Epochs = 1 }));
        Assert.Contains("DecoderHidden", error.Message);
        Assert.Contains("DecoderHeads", error.Message);
    }

    [Fact]
    public void Views_change_what_they_say()
    {
        var data = TwoCommunities();
        using var graphs = DeviceGraphs.Upload(NodeLevel.AsGraph(data), torch.CPU);
        using var scope = torch.NewDisposeScope();
        var batch = graphs.Gather(torch.zeros(1, dtype: ScalarType.Int64));
        var rng = new Generator(5);
        Assert.Equal(0, new RemoveEdges(1.0).Apply(batch, rng).EdgeIndex.shape[1]);
        Assert.Equal(batch.EdgeIndex.shape[1], new RemoveEdges(0.0).Apply(batch, rng).EdgeIndex.shape[1]);
        var masked = new MaskFeatureColumns(0.5).Apply(batch, rng).X;
        var zeroColumns = masked.abs().t().sum(1).eq(0);
        Assert.True(zeroColumns.any().item<bool>(), $"no zero column; masked [{string.Join(",", masked.shape)}], X [{string.Join(",", batch.X.shape)}], sums {string.Join(", ", masked.abs().t().sum(1).to(ScalarType.Float32).data<float>().ToArray())}");
        Assert.True(masked.eq(0).all(0).eq(zeroColumns).all().item<bool>()); // whole columns, nothing else
        var shuffled = new ShuffleFeatures().Apply(batch, rng);
        Assert.False(shuffled.X.eq(batch.X).all().item<bool>());
        Assert.True(shuffled.X.t().sum(1).allclose(batch.X.t().sum(1), 1e-4, 1e-4)); // the same rows, permuted
        Assert.True(shuffled.EdgeIndex.eq(batch.EdgeIndex).all().item<bool>());
    }

    [SkippableFact]
    public void Grace_trains_on_Cora_and_embeds_its_nodes()
    {
        var root = SharedData.RequirePlanetoid("Cora");
        var cora = NodeLevel.RowNormalized(PlanetoidDataset.Load(Path.Combine(root, "cora"), "Cora"));
        var model = new SmallGrace(new SmallNodeGcn(), new NodeEdgeFeature(0.2, 0.3), new NodeEdgeFeature(0.4, 0.4), new Grace(0.4, 16));
        using var result = model.Train(cora, new TrainOptions { Epochs = 2, LearningRate = 0.0005, Seed = 0 });
        using var nodes = result.EmbedNodes(cora);
        Assert.Equal(new long[] { 2708, 16 }, nodes.shape);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
    }

    sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
