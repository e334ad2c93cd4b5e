using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;

namespace GraphSSL.Runtime.Tests.Layers;

public class EncoderTests
{
    static readonly string[] Kinds = { "gin", "gin-eps", "gin-graphmae", "gcn", "sage", "gat" };
    public static IEnumerable<object[]> AllKinds() => Kinds.Select(k => new object[] { k });

    static nn.Module<GraphBatch, Tensor> Create(string kind, int inputDim, int hidden, int layers, Pooling pooling = Pooling.Sum, bool jk = true) => kind switch
    {
        "gin" => new GinEncoderModule(inputDim, hidden, layers, pooling, jk),
        "gin-eps" => new GinEncoderModule(inputDim, hidden, layers, pooling, jk, learnEps: true),
        "gin-graphmae" => new GinEncoderModule(inputDim, hidden, layers, pooling, jk, activation: Activation.PRelu, mlpBatchNorm: true, batchNormFirst: true),
        "gcn" => new GcnEncoderModule(inputDim, hidden, layers, pooling, jk),
        "sage" => new SageEncoderModule(inputDim, hidden, layers, pooling, jk),
        "gat" => new GatEncoderModule(inputDim, hidden, layers, pooling, jk, heads: 3),
        _ => throw new ArgumentException(kind),
    };

    static int EmbeddingDim(nn.Module<GraphBatch, Tensor> m) => m switch
    {
        GinEncoderModule g => g.EmbeddingDim,
        GcnEncoderModule g => g.EmbeddingDim,
        SageEncoderModule g => g.EmbeddingDim,
        GatEncoderModule g => g.EmbeddingDim,
        _ => throw new ArgumentException(m.GetType().Name),
    };

    static double[] Doubles(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    // A small undirected graph given by node count and undirected edge list.
    sealed record Graph(int Nodes, (int, int)[] Edges);

    static readonly Graph PathOf3 = new(3, new[] { (0, 1), (1, 2) });
    static readonly Graph Star = new(4, new[] { (0, 1), (0, 2), (0, 3), (2, 3) });
    static readonly Graph Triangle = new(3, new[] { (0, 1), (1, 2), (2, 0) });

    /// <summary>Disjoint union of graphs (edges in both directions); node features given row-major.</summary>
    static GraphBatch Union(IReadOnlyList<Graph> graphs, double[] features, int featureDim, int[]? nodeOrderOfGraph1 = null)
    {
        var src = new List<long>();
        var dst = new List<long>();
        var batch = new List<long>();
        int offset = 0;
        for (int g = 0; g < graphs.Count; g++)
        {
            foreach (var (a, b) in graphs[g].Edges)
            {
                src.Add(offset + a); dst.Add(offset + b);
                src.Add(offset + b); dst.Add(offset + a);
            }
            batch.AddRange(Enumerable.Repeat((long)g, graphs[g].Nodes));
            offset += graphs[g].Nodes;
        }
        return new GraphBatch(
            torch.tensor(features, new long[] { offset, featureDim }, dtype: ScalarType.Float64),
            torch.stack(new[] { torch.tensor(src.ToArray(), dtype: ScalarType.Int64), torch.tensor(dst.ToArray(), dtype: ScalarType.Int64) }),
            torch.tensor(batch.ToArray(), dtype: ScalarType.Int64),
            graphs.Count);
    }

    /// <summary>
    /// The same batch with the nodes of every graph permuted (a rotation by one inside each graph) and the edge
    /// list reversed: node i of a graph becomes node (i + 1) mod n.
    /// </summary>
    static GraphBatch Permuted(GraphBatch b)
    {
        var batch = b.Batch.data<long>().ToArray();
        int n = batch.Length;
        var newOf = new long[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end < n && batch[end] == batch[start]) end++;
            int size = end - start;
            for (int i = 0; i < size; i++) newOf[start + i] = start + (i + 1) % size;
            start = end;
        }
        var oldOf = new long[n];
        for (int i = 0; i < n; i++) oldOf[newOf[i]] = i;
        var map = torch.tensor(newOf);
        var x = b.X.index_select(0, torch.tensor(oldOf));
        var edges = map.index_select(0, b.EdgeIndex.reshape(-1)).view(2, -1).flip(1);
        return new GraphBatch(x, edges, b.Batch.clone(), b.GraphCount);
    }

    static double[] RandomFeatures(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => Math.Round(rng.NextDouble() * 4 - 2, 3)).ToArray();
    }

    static void SetParameter(nn.Module module, string name, double[] value)
    {
        var p = module.named_parameters().Single(np => np.name == name).parameter;
        using var noGrad = torch.no_grad();
        p.copy_(torch.tensor(value, p.shape, dtype: ScalarType.Float64).to(p.dtype));
    }

    [Fact]
    public void Gin_forward_on_a_3_node_path_matches_hand_derivation()
    {
        using var scope = torch.NewDisposeScope();
        using var gin = new GinEncoderModule(1, 1, 2);
        gin.to(ScalarType.Float64);
        // Layer 0: identity MLP. Layer 1: lin1 weight −1 bias 10, lin2 identity.
        SetParameter(gin, "mlps.0.lin1.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.0.lin1.bias", new[] { 0.0 });
        SetParameter(gin, "mlps.0.lin2.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.0.lin2.bias", new[] { 0.0 });
        SetParameter(gin, "mlps.1.lin1.weight", new[] { -1.0 });
        SetParameter(gin, "mlps.1.lin1.bias", new[] { 10.0 });
        SetParameter(gin, "mlps.1.lin2.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.1.lin2.bias", new[] { 0.0 });
        gin.eval();   // batch norm with its initial running statistics: y = x / s, s = √(1 + 1e-5)
        var batch = Union(new[] { PathOf3 }, new double[] { 1, 2, 3 }, 1);

        var embedding = Doubles(gin.forward(batch));

        // Layer 0: z = h + Σ neighbours = [1+2, 2+1+3, 3+2] = [3, 6, 5]; h1 = [3, 6, 5]/s; sum = 14/s.
        // Layer 1: z = [3+6, 6+3+5, 5+6]/s = [9, 14, 11]/s; relu(10 − z) = [10 − 9/s, 0, 0] (14/s, 11/s > 10);
        //          h2 = [10 − 9/s, 0, 0]/s; sum = (10 − 9/s)/s.
        double s = Math.Sqrt(1 + 1e-5);
        Assert.Equal(2, embedding.Length);
        Assert.Equal(14 / s, embedding[0], 10);
        Assert.Equal((10 - 9 / s) / s, embedding[1], 10);
    }

    [Fact]
    public void Gin_in_graphmae_form_normalises_before_each_prelu()
    {
        // GraphMAE's layer (graphmae/models/gin.py, MLP and ApplyNodeFunc): PReLU(BN(Linear(PReLU(BN(Linear(z)))))).
        using var scope = torch.NewDisposeScope();
        using var gin = new GinEncoderModule(1, 1, 1, jumpingKnowledge: false, activation: Activation.PRelu, mlpBatchNorm: true, batchNormFirst: true);
        gin.to(ScalarType.Float64);
        SetParameter(gin, "mlps.0.lin1.weight", new[] { -1.0 });
        SetParameter(gin, "mlps.0.lin1.bias", new[] { 0.0 });
        SetParameter(gin, "mlps.0.lin2.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.0.lin2.bias", new[] { 0.0 });
        var names = gin.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("mlps.0.norm.weight", names);   // the MLP's own batch norm
        Assert.Contains("mlps.0.act.weight", names);    // and its own PReLU slope
        Assert.Contains("activations.0.weight", names); // the layer's PReLU after the outer batch norm
        gin.eval();   // batch norms with their initial running statistics: y = x / s
        var batch = Union(new[] { PathOf3 }, new double[] { 1, 2, 3 }, 1);
        // z = [3, 6, 5]; lin1: −z; BN: −z/s; PReLU (slope 0.25): −z/(4s); lin2: identity; BN: −z/(4s²); PReLU: −z/(16s²).
        // Sum over the nodes: −14/(16 s²). The study's layer (ReLU inside and before the batch norm) would give 0.
        double s = Math.Sqrt(1 + 1e-5);
        Assert.Equal(-14 / (16 * s * s), Doubles(gin.forward(batch))[0], 10);
    }

    [Fact]
    public void Gin_learnable_eps_scales_the_centre_node()
    {
        using var scope = torch.NewDisposeScope();
        using var gin = new GinEncoderModule(1, 1, 1, jumpingKnowledge: false, learnEps: true);
        gin.to(ScalarType.Float64);
        SetParameter(gin, "mlps.0.lin1.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.0.lin1.bias", new[] { 0.0 });
        SetParameter(gin, "mlps.0.lin2.weight", new[] { 1.0 });
        SetParameter(gin, "mlps.0.lin2.bias", new[] { 0.0 });
        SetParameter(gin, "eps.0", new[] { 0.5 });
        gin.eval();
        var batch = Union(new[] { PathOf3 }, new double[] { 1, 2, 3 }, 1);
        // z = 1.5·h + Σ neighbours = [1.5+2, 3+1+3, 4.5+2] = [3.5, 7, 6.5]; sum = 17 / s.
        Assert.Equal(17 / Math.Sqrt(1 + 1e-5), Doubles(gin.forward(batch))[0], 10);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Output_shape_and_embedding_dim(string kind)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var jk in new[] { true, false })
        {
            using var m = Create(kind, 3, 5, 3, Pooling.Sum, jk);
            m.to(ScalarType.Float64);
            Assert.Equal(jk ? 15 : 5, EmbeddingDim(m));
            var b = Union(new[] { PathOf3, Star }, RandomFeatures(7, 3, 1), 3);
            var y = m.forward(b);
            Assert.Equal(new long[] { 2, EmbeddingDim(m) }, y.shape);
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Permuting_nodes_within_graphs_leaves_embeddings_unchanged(string kind)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var pooling in new[] { Pooling.Sum, Pooling.Mean, Pooling.Max })
        {
            torch.manual_seed(3);
            using var m = Create(kind, 3, 8, 2, pooling);
            m.to(ScalarType.Float64);
            var b = Union(new[] { Star, PathOf3, Triangle }, RandomFeatures(10, 3, 2), 3);
            var original = Doubles(m.forward(b));
            var permuted = Doubles(m.forward(Permuted(b)));
            Assert.True(original.Select(Math.Abs).Max() > 1e-6, "embedding is identically zero; the test would prove nothing");
            for (int i = 0; i < original.Length; i++) Assert.Equal(original[i], permuted[i], 9);
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Isomorphic_graphs_in_one_batch_get_equal_embeddings(string kind)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var m = Create(kind, 2, 6, 2, Pooling.Max);
        m.to(ScalarType.Float64);
        // Graph 0: star with features f; graph 2: the same star relabelled (centre 0 → 3, leaves permuted), same
        // features moved along with the nodes; graph 1: a path with other features.
        var starFeatures = RandomFeatures(4, 2, 5);
        var relabelled = new Graph(4, new[] { (3, 0), (3, 1), (3, 2), (1, 2) });   // old 0→3, 1→0, 2→1, 3→2
        var moved = new double[8];
        int[] newOf = { 3, 0, 1, 2 };
        for (int old = 0; old < 4; old++) { moved[2 * newOf[old]] = starFeatures[2 * old]; moved[2 * newOf[old] + 1] = starFeatures[2 * old + 1]; }
        var features = starFeatures.Concat(RandomFeatures(3, 2, 6)).Concat(moved).ToArray();
        var y = m.forward(Union(new[] { Star, PathOf3, relabelled }, features, 2));
        var row0 = Doubles(y[0]);
        var row1 = Doubles(y[1]);
        var row2 = Doubles(y[2]);
        for (int i = 0; i < row0.Length; i++) Assert.Equal(row0[i], row2[i], 9);
        Assert.True(row0.Zip(row1, (a, c) => Math.Abs(a - c)).Max() > 1e-6, "different graphs should differ");
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Works_on_edgeless_and_single_node_graphs(string kind)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var pooling in new[] { Pooling.Sum, Pooling.Mean, Pooling.Max })
        {
            using var m = Create(kind, 2, 4, 2, pooling);
            m.to(ScalarType.Float64);
            var single = new Graph(1, Array.Empty<(int, int)>());
            var edgeless = new Graph(3, Array.Empty<(int, int)>());
            var b = Union(new[] { single, edgeless, single }, RandomFeatures(5, 2, 7), 2);
            var y = m.forward(b);
            Assert.Equal(new long[] { 3, 8 }, y.shape);
            Assert.True(torch.isfinite(y).all().ToBoolean());
            // A batch without any edge at all, in evaluation mode (batch norm accepts one node then).
            m.eval();
            var one = m.forward(Union(new[] { single }, new double[] { 0.3, -0.7 }, 2));
            Assert.Equal(new long[] { 1, 8 }, one.shape);
            Assert.True(torch.isfinite(one).all().ToBoolean());
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Gradients_reach_every_parameter(string kind)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var pooling in new[] { Pooling.Sum, Pooling.Max })
        {
            torch.manual_seed(5);
            using var m = Create(kind, 3, 6, 2, pooling);
            m.to(ScalarType.Float64);
            var b = Union(new[] { Star, PathOf3, Triangle }, RandomFeatures(10, 3, 8), 3);
            var y = m.forward(b);
            // Sum-pooled batch-norm outputs sum to zero over the batch, so use a loss that is not linear in y.
            var w = torch.linspace(-1, 1, y.shape[1], dtype: ScalarType.Float64);
            (y * w).pow(2).sum().backward();
            foreach (var (name, p) in m.named_parameters())
            {
                Assert.True(p.grad is not null, $"{kind}/{pooling}: {name} has no gradient");
                Assert.True(p.grad!.abs().sum().ToDouble() > 0, $"{kind}/{pooling}: {name} has a zero gradient");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Invalid_sizes_throw(string kind)
    {
        Assert.Throws<ArgumentException>(() => Create(kind, 0, 4, 2));
        Assert.Throws<ArgumentException>(() => Create(kind, 2, 0, 2));
        Assert.Throws<ArgumentException>(() => Create(kind, 2, 4, 0));
    }

    [Fact]
    public void Gcn_normalisation_matches_hand_computation()
    {
        using var scope = torch.NewDisposeScope();
        // Path 0 – 1 – 2 (both directions) plus isolated node 3. d = 1 + in-degree = [2, 3, 2, 1].
        // Â = D^-1/2 (A + I) D^-1/2:
        //   row 0: [1/2, 1/√6, 0, 0]; row 1: [1/√6, 1/3, 1/√6, 0]; row 2: [0, 1/√6, 1/2, 0]; row 3: [0, 0, 0, 1].
        var src = torch.tensor(new long[] { 0, 1, 1, 2 });
        var dst = torch.tensor(new long[] { 1, 0, 2, 1 });
        var (edgeWeight, selfWeight) = GcnEncoderModule.Normalization(src, dst, 4, ScalarType.Float64);
        var a = Doubles(GcnEncoderModule.Propagate(torch.eye(4, dtype: ScalarType.Float64), src, dst, edgeWeight, selfWeight));
        double r6 = 1 / Math.Sqrt(6);
        var expected = new[] { 0.5, r6, 0, 0, r6, 1.0 / 3, r6, 0, 0, r6, 0.5, 0, 0, 0, 0, 1 };
        for (int i = 0; i < 16; i++) Assert.Equal(expected[i], a[i], 12);
    }

    [Fact]
    public void Gcn_inner_width_and_linear_last_layer_shape_the_layers_as_GRACE_and_CCA_SSG_declare_them()
    {
        using var scope = torch.NewDisposeScope();
        var double64 = Union(new[] { PathOf3, Star }, RandomFeatures(7, 5, 3), 5);
        var batch = double64 with { X = double64.X.to(ScalarType.Float32) };

        // GRACE: every layer but the last InnerHidden wide; with jumping knowledge the embedding is 6 + 6 + 4.
        using var grace = new GcnEncoderModule(5, hidden: 4, layers: 3, jumpingKnowledge: true, batchNorm: false, innerHidden: 6);
        Assert.Equal(16, grace.EmbeddingDim);
        var shapes = grace.named_parameters().Where(p => p.name.StartsWith("linears")).Select(p => string.Join("x", p.parameter.shape)).ToArray();
        Assert.Equal(new[] { "6x5", "6x6", "4x6" }, shapes);
        var output = grace.Encode(batch);
        Assert.Equal(new long[] { 7, 16 }, output.Nodes.shape);
        Assert.Equal(new long[] { 2, 16 }, output.Graph.shape);
        Assert.Equal(4, new GcnEncoderModule(5, hidden: 4, layers: 3, jumpingKnowledge: false, innerHidden: 6).EmbeddingDim);
        Assert.Throws<ArgumentException>(() => new GcnEncoderModule(5, 4, 2, innerHidden: -1));

        // CCA-SSG: ReLU between layers, a linear last layer (negative outputs, no batch norm or PReLU slope for it).
        using var relu = new GcnEncoderModule(5, 8, 2, jumpingKnowledge: false, batchNorm: false);
        using var linearLast = new GcnEncoderModule(5, 8, 2, jumpingKnowledge: false, batchNorm: false, lastActivation: false);
        Assert.True(relu.Encode(batch).Nodes.min().item<float>() >= 0);
        Assert.True(linearLast.Encode(batch).Nodes.min().item<float>() < 0);
        using var prelu = new GcnEncoderModule(5, 8, 2, activation: Activation.PRelu, batchNorm: true, lastActivation: false);
        Assert.Equal(1, prelu.named_parameters().Count(p => p.name.StartsWith("activations")));
        Assert.Equal(2, prelu.named_parameters().Count(p => p.name.StartsWith("norms"))); // weight and bias of the first layer's batch norm only

        // BGRL: batch norm before PReLU. In training mode BN's outputs have zero mean per column, so BN-last outputs do and
        // PReLU-after-BN outputs (positive part kept, negative scaled by 0.25) do not.
        torch.manual_seed(4);
        using var normLast = new GcnEncoderModule(5, 8, 1, jumpingKnowledge: false, activation: Activation.PRelu, batchNorm: true);
        torch.manual_seed(4);
        using var normFirst = new GcnEncoderModule(5, 8, 1, jumpingKnowledge: false, activation: Activation.PRelu, batchNorm: true, batchNormFirst: true);
        normLast.train(); normFirst.train();
        Assert.True(normLast.Encode(batch).Nodes.mean(new long[] { 0 }).abs().max().item<float>() < 1e-5);
        var firstNodes = normFirst.Encode(batch).Nodes;
        Assert.True(firstNodes.mean(new long[] { 0 }).min().item<float>() > 0);
        Assert.Equal(normLast.named_parameters().Select(p => p.name), normFirst.named_parameters().Select(p => p.name));

        // Glorot-uniform weights (PyG GCNConv, DGL GraphConv): bound √(6 / (fan_in + fan_out)), reached within a few percent.
        using var wide = new GcnEncoderModule(400, 300, 1);
        double bound = Math.Sqrt(6.0 / (400 + 300)), largest = wide.named_parameters().Single(p => p.name.StartsWith("linears")).parameter.abs().max().item<float>();
        Assert.InRange(largest, 0.97 * bound, bound);
    }

    [Fact]
    public void Gcn_shared_activation_is_one_PReLU_slope_applied_by_every_layer_as_GRACE_builds_it()
    {
        using var scope = torch.NewDisposeScope();
        var double64 = Union(new[] { PathOf3, Star }, RandomFeatures(7, 5, 5), 5);
        var batch = double64 with { X = double64.X.to(ScalarType.Float32) };
        torch.manual_seed(11);
        using var perLayer = new GcnEncoderModule(5, 6, 2, jumpingKnowledge: false, activation: Activation.PRelu, batchNorm: false);
        torch.manual_seed(11);
        using var shared = new GcnEncoderModule(5, 6, 2, jumpingKnowledge: false, activation: Activation.PRelu, batchNorm: false, sharedActivation: true);
        var slopes = perLayer.named_parameters().Where(p => p.name.StartsWith("activations")).Select(p => p.parameter).ToArray();
        var slope = shared.named_parameters().Where(p => p.name.StartsWith("activations")).Select(p => p.parameter).Single();
        Assert.Equal(2, slopes.Length);
        using (torch.no_grad())
        {
            foreach (var s in slopes) s.fill_(0.6);
            slope.fill_(0.6);
        }
        // Same weights, the same slope in both layers: the same outputs, and the shared slope's gradient is the sum of the
        // two per-layer slopes' gradients (one parameter that both layers move).
        var a = perLayer.Encode(batch).Nodes;
        var b = shared.Encode(batch).Nodes;
        Assert.True(a.min().item<float>() < 0); // negative part present: the slope matters
        Assert.True(torch.allclose(a, b, rtol: 1e-5, atol: 1e-6));
        a.pow(2).sum().backward();
        b.pow(2).sum().backward();
        double sum = slopes.Sum(s => s.grad!.item<float>()), one = slope.grad!.item<float>();
        Assert.NotEqual(0.0, one);
        Assert.True(Math.Abs(one - sum) <= 1e-4 * Math.Max(1, Math.Abs(sum)), $"shared slope gradient {one}, per-layer sum {sum}");
        // A different slope per layer is then impossible: moving it moves both layers.
        using (torch.no_grad()) slopes[1].fill_(0.1);
        Assert.False(torch.allclose(perLayer.Encode(batch).Nodes, shared.Encode(batch).Nodes, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sage_mean_is_zero_for_isolated_nodes()
    {
        using var scope = torch.NewDisposeScope();
        // Nodes 0..3, edges 0→1, 2→1, 1→2: nodes 0 and 3 have no in-neighbours (3 has no edge at all).
        var src = torch.tensor(new long[] { 0, 2, 1 });
        var dst = torch.tensor(new long[] { 1, 1, 2 });
        var inverseTensor = SageEncoderModule.InverseInDegree(dst, 4, ScalarType.Float64);
        var inverse = Doubles(inverseTensor);
        Assert.Equal(0.5, inverse[1], 12);
        Assert.Equal(1.0, inverse[2], 12);
        Assert.All(inverse, v => Assert.True(double.IsFinite(v)));
        // Rows of h are far from zero, so a leak of any row into an isolated node's mean would show.
        var h = torch.tensor(new double[] { 10, -20, 30, 40, -50, 60, 70, 80 }, new long[] { 4, 2 });
        var mean = Doubles(SageEncoderModule.MeanOfSources(h, src, dst, inverseTensor.unsqueeze(1)));
        Assert.Equal(new[] { 0.0, 0.0 }, mean[0..2]);            // node 0: no in-neighbours
        Assert.Equal(new[] { 0.0, 0.0 }, mean[6..8]);            // node 3: isolated
        Assert.Equal(new[] { (10.0 - 50) / 2, (-20.0 + 60) / 2 }, mean[2..4]); // node 1: mean of nodes 0 and 2
        Assert.Equal(new[] { 30.0, 40.0 }, mean[4..6]);          // node 2: node 1 alone
    }

    [Fact]
    public void Gat_attention_weights_per_target_sum_to_one_and_match_a_softmax()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(9);
        // Nodes 0..3; edges 0→1, 2→1, 3→1, 1→2 (+ self-loops). Large scores test the max-shift.
        var edgeIndex = torch.tensor(new long[] { 0, 2, 3, 1, 1, 1, 1, 2 }, new long[] { 2, 4 });
        var (src, dst) = GatEncoderModule.SelfLoopsSortedByTarget(edgeIndex, 4);
        var s = torch.randn(4, 2, generator: g, dtype: ScalarType.Float64).mul_(400);
        var d = torch.randn(4, 2, generator: g, dtype: ScalarType.Float64).mul_(400);
        var alpha = GatEncoderModule.Attention(s, d, src, dst, 4);
        var sums = Doubles(torch.zeros(4, 2, dtype: ScalarType.Float64).index_add_(0, dst, alpha, 1));
        foreach (var v in sums) Assert.Equal(1.0, v, 12);
        Assert.True(torch.isfinite(alpha).all().ToBoolean());

        // Node 1, head 0, by hand: sources {0, 2, 3, 1(self)}, e = LeakyReLU(s[u,0] + d[1,0]), α = softmax(e).
        var sv = Doubles(s); var dv = Doubles(d);
        double Leaky(double z) => z > 0 ? z : 0.2 * z;
        var e = new[] { 0, 2, 3, 1 }.Select(u => Leaky(sv[2 * u] + dv[2 * 1])).ToArray();
        double m = e.Max();
        var expected = e.Select(x => Math.Exp(x - m) / e.Sum(y => Math.Exp(y - m))).ToArray();
        var srcs = src.data<long>().ToArray(); var dsts = dst.data<long>().ToArray(); var av = Doubles(alpha);
        foreach (var (u, k) in new[] { 0, 2, 3, 1 }.Select((u, k) => (u, k)))
        {
            int edge = Enumerable.Range(0, srcs.Length).Single(i => srcs[i] == u && dsts[i] == 1);
            Assert.Equal(expected[k], av[2 * edge], 12);
        }
    }

    [Fact]
    public void Gat_starts_as_PyG_by_default_and_as_DGL_with_GatInit_Dgl()
    {
        // One layer, 600 → 4 heads × 64 (concatenated): fans big enough for the sample std to be within a few per cent.
        const int input = 600, heads = 4, width = 64;
        double Std(Tensor t) => t.std().ToDouble();
        (double Weight, double Attention, double Bias) Stats(GatInit init)
        {
            torch.manual_seed(4);
            using var gat = new GatEncoderModule(input, heads * width, 1, heads: heads, concatHeads: true, batchNorm: false, init: init);
            var p = gat.named_parameters().ToDictionary(x => x.name, x => x.parameter);
            var weight = p.Single(x => x.Key.StartsWith("linears.", StringComparison.Ordinal)).Value;
            var attention = p.Where(x => x.Key.StartsWith("attention", StringComparison.Ordinal)).Select(x => x.Value).ToArray();
            Assert.Equal(2, attention.Length);
            Assert.Equal(new long[] { heads, width }, attention[0].shape);
            return (Std(weight), attention.Average(Std), p.Single(x => x.Key.StartsWith("biases.", StringComparison.Ordinal)).Value.abs().max().ToDouble());
        }
        var pyg = Stats(GatInit.PyG);
        var dgl = Stats(GatInit.Dgl);
        // PyG: Glorot, gain 1: var = 2 / (fan_in + fan_out); the attention vectors as [heads, width] matrices.
        Assert.Equal(Math.Sqrt(2.0 / (input + heads * width)), pyg.Weight, 0.03 * pyg.Weight);
        Assert.Equal(Math.Sqrt(2.0 / (width + heads)), pyg.Attention, 0.1 * pyg.Attention);
        // DGL: gain √2; attn_l / attn_r are [1, heads, width]: fan_in = heads · width, fan_out = width.
        Assert.Equal(Math.Sqrt(2) * Math.Sqrt(2.0 / (input + heads * width)), dgl.Weight, 0.03 * dgl.Weight);
        Assert.Equal(Math.Sqrt(2) * Math.Sqrt(2.0 / (heads * width + width)), dgl.Attention, 0.1 * dgl.Attention);
        Assert.Equal(0, pyg.Bias);
        Assert.Equal(0, dgl.Bias);
    }
}
