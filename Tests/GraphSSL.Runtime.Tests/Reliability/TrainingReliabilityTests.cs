using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Training;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Reliability;

/// <summary>
/// Generated trainers under stress: odd datasets, divergence, resume, determinism and native memory.
/// </summary>
public sealed class TrainingReliabilityTests : IDisposable
{
    static readonly GraphData Synthetic = SyntheticGraphs.Create(graphsPerClass: 8, seed: 2); // 24 graphs
    readonly TempDirectory dir = new("graphssl-rel-");

    public void Dispose() => dir.Dispose();

    static RelClr Clr() => new(new RelGin(), new RelDrop(), new NtXent { Temperature = 0.5 });

    /// <summary>
    /// Hand-built dataset of 9 graphs with 1 feature column (value 1 + node index / 10):
    /// graphs 0–2 have one node and no edges, 3–5 two nodes joined by an edge (both directions),
    /// 6–8 three nodes and no edges at all.
    /// </summary>
    static GraphData OddGraphs()
    {
        int[] sizes = [1, 1, 1, 2, 2, 2, 3, 3, 3];
        var nodeOffsets = new int[sizes.Length + 1];
        for (int g = 0; g < sizes.Length; g++) nodeOffsets[g + 1] = nodeOffsets[g] + sizes[g];
        var src = new List<int>();
        var dst = new List<int>();
        var edgeOffsets = new int[sizes.Length + 1];
        for (int g = 0; g < sizes.Length; g++)
        {
            if (sizes[g] == 2)
            {
                src.AddRange([nodeOffsets[g], nodeOffsets[g] + 1]);
                dst.AddRange([nodeOffsets[g] + 1, nodeOffsets[g]]);
            }
            edgeOffsets[g + 1] = src.Count;
        }
        var features = Enumerable.Range(0, nodeOffsets[^1]).Select(i => 1f + i / 10f).ToArray();
        int[] labels = [0, 1, 0, 1, 0, 1, 0, 1, 0];
        return new GraphData("ODD", features, 1, nodeOffsets, src.ToArray(), dst.ToArray(), edgeOffsets, labels, ["a", "b"], []).Validate();
    }

    static float[] Values(Tensor t) => t.contiguous().cpu().data<float>().ToArray();

    [Fact]
    public void One_node_graphs_and_graphs_without_edges_train_and_embed_to_finite_values()
    {
        var data = OddGraphs();
        using var result = Clr().Train(data, new TrainOptions { Epochs = 2, BatchSize = 4, Seed = 1 });
        Assert.Equal(2, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l), $"loss {l}"));
        using var embeddings = result.Embed(data);
        Assert.Equal(new long[] { 9, new RelGin().EmbeddingDim }, embeddings.shape);
        Assert.All(Values(embeddings), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_final_batch_of_one_graph_is_merged_and_training_succeeds()
    {
        // 9 graphs in batches of 4: 4, 4, 1 → the single graph joins the batch before it: 4, 5.
        Assert.Equal(new[] { (0, 4), (4, 5) }, BatchPlan.Ranges(9, 4));
        // Without the merge, batch norm would see one graph in the last step and libtorch would throw.
        using var result = Clr().Train(OddGraphs(), new TrainOptions { Epochs = 2, BatchSize = 4, Seed = 2 });
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void A_dataset_smaller_than_the_batch_is_one_batch()
    {
        var data = Synthetic.Subset([0, 9, 17]); // 3 graphs, batch 128
        Assert.Equal(new[] { (0, 3) }, BatchPlan.Ranges(3, 128));
        using var result = Clr().Train(data, new TrainOptions { Epochs = 2, BatchSize = 128, Seed = 3 });
        Assert.Equal(2, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void Node_dropping_never_empties_a_graph()
    {
        // One-node graphs (0–2) must keep their node even at ratio 0.99: k = min(round(0.99·n), n − 1).
        // Expected node counts per graph after dropping: n − min(⌊0.99·n + 0.5⌋, n − 1) = 1 for n = 1, 2, 3.
        var data = OddGraphs();
        using var graphs = DeviceGraphs.Upload(data, torch.CPU);
        using var generator = new Generator(4, torch.CPU);
        using var scope = torch.NewDisposeScope();
        var batch = graphs.Gather(torch.arange(0, 9, dtype: ScalarType.Int64));
        var dropped = Augment.DropNodes(batch, 0.99, generator);
        Assert.Equal(Enumerable.Repeat(1L, 9), dropped.NodeCounts().data<long>().ToArray());
        Assert.Equal(0, dropped.EdgeIndex.shape[1]); // the two-node graphs lost their edge with the node
    }

    [Fact]
    public void A_dataset_of_one_graph_fails_with_a_clear_message()
    {
        // Batch norm cannot train on a single graph. Whatever reports it must say so in words a user
        // understands (graph count / batch norm), not leak libtorch's "Expected more than 1 value per channel".
        var data = Synthetic.Subset([0]);
        var e = Assert.ThrowsAny<Exception>(() => Clr().Train(data, new TrainOptions { Epochs = 1, BatchSize = 2, Seed = 1 }).Dispose());
        Assert.True(e is ArgumentException or InvalidOperationException, $"{e.GetType().Name}: {e.Message}");
        Assert.Contains("graph", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Expected more than 1 value per channel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_losses_and_embeddings()
    {
        var options = new TrainOptions { Epochs = 2, BatchSize = 8, Seed = 21 };
        using var a = Clr().Train(Synthetic, options);
        using var b = Clr().Train(Synthetic, options);
        using var c = Clr().Train(Synthetic, options with { Seed = 22, Epochs = 1 });
        Assert.Equal(a.Losses, b.Losses); // exact double equality
        using var ea = a.Embed(Synthetic);
        using var eb = b.Embed(Synthetic);
        using var ec = c.Embed(Synthetic);
        Assert.Equal(Values(ea), Values(eb));
        Assert.NotEqual(Values(ea), Values(ec)); // the seed matters: the comparison can fail
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly_like_an_uninterrupted_run()
    {
        // Uninterrupted: 4 epochs. Interrupted: 2 epochs with checkpoints, then a new Train call (new
        // modules, new optimiser, new generator) with Resume that runs epochs 3–4 only.
        var ckpt = Path.Combine(dir, "ckpt");
        var options = new TrainOptions { Epochs = 4, BatchSize = 8, Seed = 9 };
        using var full = Clr().Train(Synthetic, options);

        using (Clr().Train(Synthetic, options with { Epochs = 2, CheckpointDirectory = ckpt })) { }
        Assert.True(File.Exists(Path.Combine(ckpt, "checkpoint.bin")), "no checkpoint written: TrainingState is not wired into the generated trainer yet");
        var reports = new List<int>();
        using var resumed = Clr().Train(Synthetic, options with { CheckpointDirectory = ckpt, Resume = true },
            new Recorder(r => reports.Add(r.Epoch)));

        Assert.Equal(new[] { 3, 4 }, reports);     // only the missing epochs ran
        Assert.Equal(full.Losses, resumed.Losses); // history restored + continued, bit for bit
        using var ef = full.Embed(Synthetic);
        using var er = resumed.Embed(Synthetic);
        Assert.Equal(Values(ef), Values(er));
    }

    [Fact]
    public void Resuming_with_a_different_model_is_refused_and_the_checkpoint_kept()
    {
        var ckpt = Path.Combine(dir, "other");
        using (Clr().Train(Synthetic, new TrainOptions { Epochs = 1, BatchSize = 8, Seed = 9, CheckpointDirectory = ckpt })) { }
        var file = Path.Combine(ckpt, "checkpoint.bin");
        Assert.True(File.Exists(file), "no checkpoint written: TrainingState is not wired into the generated trainer yet");
        var bytes = File.ReadAllBytes(file);
        var other = Clr() with { Objective = new NtXent { Temperature = 0.1 } };
        Assert.Throws<CheckpointMismatchException>(() =>
            other.Train(Synthetic, new TrainOptions { Epochs = 2, BatchSize = 8, Seed = 9, CheckpointDirectory = ckpt, Resume = true }).Dispose());
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_non_finite_loss_stops_training_naming_the_epoch_and_keeps_the_last_good_checkpoint()
    {
        // 24 graphs in batches of 8 = 3 steps per epoch, 2 views per step = 6 augmentation calls per epoch.
        // PoisonAfter(12) leaves epochs 1 and 2 clean; in epoch 3 the features become 1e38 → ∞ in the
        // encoder → NaN loss. The trainer must throw for epoch 3 and the checkpoint must be epoch 2's.
        var ckpt = Path.Combine(dir, "diverge");
        var model = new RelClr(new RelGin(), new PoisonAfter(12), new NtXent { Temperature = 0.5 });
        var reports = new List<EpochReport>();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            model.Train(Synthetic, new TrainOptions { Epochs = 6, BatchSize = 8, Seed = 4, CheckpointDirectory = ckpt },
                new Recorder(reports.Add)).Dispose());
        Assert.Equal(3, e.Epoch);
        Assert.Contains("epoch 3", e.Message, StringComparison.Ordinal);
        Assert.False(double.IsFinite(e.Loss));
        Assert.Equal(new[] { 1, 2 }, reports.Select(r => r.Epoch));

        var file = Path.Combine(ckpt, "checkpoint.bin");
        Assert.True(File.Exists(file), "no checkpoint written: TrainingState is not wired into the generated trainer yet");
        var (epoch, losses) = ReadCheckpointHeader(file);
        Assert.Equal(2, epoch);
        Assert.Equal(reports.Select(r => r.Loss), losses);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.Empty(Directory.GetFiles(ckpt, "*.tmp"));
    }

    [Fact]
    public void A_huge_learning_rate_either_trains_finitely_or_stops_with_the_epoch_named()
    {
        // lr = 1e6: Adam moves every weight by up to 1e6 per step. Batch norm and the cosine similarity in
        // NT-Xent bound much of the damage, so the loss may stay finite; what must never happen is a
        // silent NaN in the history or an exception of another kind.
        try
        {
            using var result = Clr().Train(Synthetic, new TrainOptions { Epochs = 4, BatchSize = 8, Seed = 5, LearningRate = 1e6 });
            Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
        }
        catch (TrainingDivergedException e)
        {
            Assert.InRange(e.Epoch, 1, 4);
            Assert.Contains($"epoch {e.Epoch}", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Reads the epoch and loss history from a checkpoint's header (format 3, see TrainingState).</summary>
    static (int Epoch, double[] Losses) ReadCheckpointHeader(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
        Assert.Equal("GSSLCKPT", reader.ReadString());
        Assert.Equal(3, reader.ReadInt32()); // TrainingState.FormatVersion
        reader.ReadString(); // fingerprint
        int epoch = reader.ReadInt32();
        int n = reader.ReadInt32();
        var losses = new double[n];
        for (int i = 0; i < n; i++) losses[i] = reader.ReadDouble();
        return (epoch, losses);
    }

    [Fact]
    public void Training_and_embedding_do_not_leak_native_tensors()
    {
        // Live tensors on this thread after a whole Train + Embed + Dispose: the same after 1 and after
        // 4 epochs (24 graphs, batch 8 → 3 and 12 steps). A per-step or per-epoch leak would add tensors
        // in proportion to the steps; the first run also absorbs one-time allocations.
        var options = new TrainOptions { Epochs = 1, BatchSize = 8, Seed = 6 };
        long Leaked(int epochs, int embeds)
        {
            long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
            using (var result = Clr().Train(Synthetic, options with { Epochs = epochs }))
            {
                for (int i = 0; i < embeds; i++) result.Embed(Synthetic).Dispose();
            }
            return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
        }

        Leaked(1, 1); // warm-up
        long small = Leaked(1, 1);
        long large = Leaked(4, 4);
        Assert.True(large <= small, $"live tensors grew with steps: +{small} after 1 epoch and 1 Embed, +{large} after 4 epochs and 4 Embeds");
        Assert.True(small <= 0, $"{small} tensors left alive after Train + Embed + Dispose");
    }

    [Fact]
    public void SimSiam_reports_output_std_every_epoch()
    {
        var reports = new List<EpochReport>();
        using var result = new RelSiam(new RelGin(), new RelDrop(), new SimSiam())
            .Train(Synthetic, new TrainOptions { Epochs = 2, BatchSize = 8, Seed = 8 }, new Recorder(reports.Add));
        Assert.Equal(2, reports.Count);
        // Healthy outputs of a 2-layer projector of width 32 (= RelGin's 2 × 16): std of L2-normalised rows
        // is about 1/√32 ≈ 0.18; anything in (0, 1] is accepted here, null is not (monitor missing).
        Assert.All(reports, r => Assert.True(r.OutputStd is > 0 and <= 1, $"epoch {r.Epoch}: OutputStd {r.OutputStd?.ToString() ?? "null"}"));
    }

    sealed class Recorder(Action<EpochReport> onReport) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => onReport(value);
    }
}
