using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>The augmentation a case uses, for the device trainer and the host baseline alike.</summary>
public enum AugmentationKind { NodeDropping, Subgraph, AttributeMasking }

/// <summary>The objective a case uses.</summary>
public enum MethodKind { SimClr, SimSiam, BarlowTwins }

/// <summary>
/// The baseline the study and GraphCL represent: every graph is augmented on the host, one at a time, with a
/// dense adjacency matrix and per-node loops; the augmented graphs become one small tensor each and are
/// concatenated into a batch (as PyTorch Geometric's collate does); then the same model step as the generated
/// trainer (same encoder, heads, objective and Adam), reading the loss once per step as those scripts do.
/// </summary>
public sealed class HostBaseline
{
    /// <summary>Share of nodes touched by every augmentation (the benchmark models use 0.2).</summary>
    public const double Ratio = 0.2;

    readonly GraphData data;
    readonly AugmentationKind augmentation;
    readonly Random random;

    /// <summary>Creates the baseline over <paramref name="data"/>.</summary>
    public HostBaseline(GraphData data, AugmentationKind augmentation, int seed)
    {
        this.data = data;
        this.augmentation = augmentation;
        random = new Random(seed);
    }

    /// <summary>One augmented graph on the host: features row-major and directed edges in local ids.</summary>
    public readonly record struct HostGraph(int Nodes, float[] X, int[] Source, int[] Target);

    /// <summary>Trains for <paramref name="epochs"/> epochs and returns the seconds of each.</summary>
    public IReadOnlyList<double> Train(MethodKind method, int hidden, int epochs, int batchSize, Device device)
    {
        torch.manual_seed(0);
        var encoderRecord = new BenchGin { Hidden = hidden };
        int dim = encoderRecord.EmbeddingDim;
        using var encoder = encoderRecord.CreateModule(data.FeatureDim);
        encoder.to(device);
        using var projector = Heads.Projector(dim, dim, 3);
        projector.to(device);
        using var predictor = Heads.Predictor(dim, dim, 2);
        predictor.to(device);
        var modules = method == MethodKind.SimSiam ? new nn.Module[] { encoder, projector, predictor } : new nn.Module[] { encoder, projector };
        using var optimizer = torch.optim.Adam(TrainingLoop.Parameters(modules), 1e-3);
        encoder.train(); projector.train(); predictor.train();
        var ranges = BatchPlan.Ranges(data.GraphCount, batchSize);
        var seconds = new List<double>();
        var order = Enumerable.Range(0, data.GraphCount).ToArray();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle(order);
            double lossSum = 0;
            foreach (var (start, length) in ranges)
            {
                using var step = torch.NewDisposeScope();
                var view1 = new List<HostGraph>(length);
                var view2 = new List<HostGraph>(length);
                for (int i = start; i < start + length; i++)
                {
                    view1.Add(Augment(order[i]));
                    view2.Add(Augment(order[i]));
                }
                var b1 = Collate(view1, device);
                var b2 = Collate(view2, device);
                var z1 = projector.forward(encoder.forward(b1));
                var z2 = projector.forward(encoder.forward(b2));
                var loss = method switch
                {
                    MethodKind.SimClr => Losses.NtXent(z1, z2, 0.2),
                    MethodKind.SimSiam => Losses.SimSiam(predictor.forward(z1), predictor.forward(z2), z1, z2),
                    _ => Losses.BarlowTwins(z1, z2, 0.0039, 0.03125),
                };
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>(); // per-step host read, as the Python scripts do
            }
            if (double.IsNaN(lossSum)) throw new InvalidOperationException("Baseline diverged.");
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }

    /// <summary>Augments graph <paramref name="g"/> of the dataset on the host.</summary>
    public HostGraph Augment(int g)
    {
        int n = data.NodesIn(g), f = data.FeatureDim, first = data.NodeOffsets[g];
        var x = new float[n * f];
        Array.Copy(data.NodeFeatures, (long)first * f, x, 0, (long)n * f);
        // Dense adjacency, as the study's and GraphCL's per-graph augmentations build it.
        var adj = new bool[n, n];
        for (int e = data.EdgeOffsets[g]; e < data.EdgeOffsets[g + 1]; e++)
            adj[data.EdgeSource[e] - first, data.EdgeTarget[e] - first] = true;
        return augmentation switch
        {
            AugmentationKind.NodeDropping => DropNodes(n, f, x, adj),
            AugmentationKind.Subgraph => Subgraph(n, f, x, adj),
            _ => MaskAttributes(n, f, x, adj),
        };
    }

    HostGraph DropNodes(int n, int f, float[] x, bool[,] adj)
    {
        int drop = Math.Min((int)Math.Floor(Ratio * n + 0.5), n - 1);
        var perm = Enumerable.Range(0, n).ToArray();
        random.Shuffle(perm);
        var keep = new bool[n];
        for (int i = drop; i < n; i++) keep[perm[i]] = true;
        return Induced(n, f, x, adj, keep);
    }

    HostGraph Subgraph(int n, int f, float[] x, bool[,] adj)
    {
        int target = Math.Max(1, (int)Math.Floor((1 - Ratio) * n + 0.5));
        var inSub = new bool[n];
        var neighbour = new bool[n];
        int seed = random.Next(n);
        inSub[seed] = true;
        int size = 1;
        for (int v = 0; v < n; v++) neighbour[v] = adj[seed, v] || adj[v, seed];
        var candidates = new List<int>();
        while (size < target)
        {
            candidates.Clear();
            for (int v = 0; v < n; v++) if (neighbour[v] && !inSub[v]) candidates.Add(v);
            if (candidates.Count == 0) break;
            int pick = candidates[random.Next(candidates.Count)];
            inSub[pick] = true;
            size++;
            for (int v = 0; v < n; v++) if (adj[pick, v] || adj[v, pick]) neighbour[v] = true;
        }
        return Induced(n, f, x, adj, inSub);
    }

    HostGraph MaskAttributes(int n, int f, float[] x, bool[,] adj)
    {
        int mask = (int)Math.Floor(Ratio * n + 0.5);
        var perm = Enumerable.Range(0, n).ToArray();
        random.Shuffle(perm);
        for (int i = 0; i < mask; i++)
            for (int c = 0; c < f; c++)
                x[perm[i] * f + c] = (float)(0.5 + 0.5 * Gaussian());
        var all = new bool[n];
        Array.Fill(all, true);
        return Induced(n, f, x, adj, all);
    }

    double Gaussian()
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The subgraph induced by <paramref name="keep"/>: renumbered features and the dense sub-matrix's edges.</summary>
    static HostGraph Induced(int n, int f, float[] x, bool[,] adj, bool[] keep)
    {
        var newId = new int[n];
        int kept = 0;
        for (int v = 0; v < n; v++) newId[v] = keep[v] ? kept++ : -1;
        var nx = new float[kept * f];
        for (int v = 0; v < n; v++)
            if (keep[v]) Array.Copy(x, v * f, nx, newId[v] * f, f);
        var src = new List<int>();
        var dst = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (!keep[i]) continue;
            for (int j = 0; j < n; j++)
                if (keep[j] && adj[i, j]) { src.Add(newId[i]); dst.Add(newId[j]); }
        }
        return new HostGraph(kept, nx, src.ToArray(), dst.ToArray());
    }

    /// <summary>One tensor per graph, then concatenation (PyTorch Geometric's collate), moved to <paramref name="device"/>.</summary>
    static GraphBatch Collate(List<HostGraph> graphs, Device device)
    {
        var xs = new Tensor[graphs.Count];
        var edges = new Tensor[graphs.Count];
        var batch = new Tensor[graphs.Count];
        long offset = 0;
        for (int i = 0; i < graphs.Count; i++)
        {
            var g = graphs[i];
            int f = g.Nodes == 0 ? 1 : g.X.Length / g.Nodes;
            xs[i] = torch.tensor(g.X, new long[] { g.Nodes, f });
            var s = torch.tensor(g.Source, dtype: ScalarType.Int64);
            var t = torch.tensor(g.Target, dtype: ScalarType.Int64);
            using var shift = offset.ToScalar();
            using var graph = i.ToScalar();
            edges[i] = torch.stack(new[] { s, t }).add(shift, Scalars.One);
            batch[i] = torch.full(g.Nodes, graph, dtype: ScalarType.Int64);
            offset += g.Nodes;
        }
        return new GraphBatch(torch.cat(xs, 0).to(device), torch.cat(edges, 1).to(device), torch.cat(batch, 0).to(device), graphs.Count);
    }
}
