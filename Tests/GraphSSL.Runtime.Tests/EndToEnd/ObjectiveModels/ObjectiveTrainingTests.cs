using Xunit.Abstractions;
using GraphSSL.Runtime.Tests.Data;
using GraphSSL.Augmentations;
using GraphSSL.Data;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.EndToEnd.ObjectiveModels;

[Encoder, Gin(Layers = 3, Hidden = 32)]
public partial record MutagGin;

[Augmentation, NodeDropping(0.2)]
public partial record MutagDrop;

[SslModel, Projector(Layers = 2)]
public partial record MutagNtXent(MutagGin Encoder, IAugmentation View, NtXent Objective);

[SslModel, Projector(Layers = 2), Predictor]
public partial record MutagSimSiam(MutagGin Encoder, IAugmentation View, SimSiam Objective);

[SslModel, Projector(Layers = 2)]
public partial record MutagBarlow(MutagGin Encoder, IAugmentation View, BarlowTwins Objective);

[SslModel, Projector(Layers = 2)]
public partial record MutagVicReg(MutagGin Encoder, IAugmentation View, VicReg Objective);

[SslModel, Projector(Layers = 2)]
public partial record MutagMoco(MutagGin Encoder, IAugmentation View, MoCo Objective);

[SslModel, Projector(Layers = 2), Predictor]
public partial record MutagByol(MutagGin Encoder, IAugmentation View, Byol Objective);

[SslModel, Projector(Layers = 2)]
public partial record MutagSwav(MutagGin Encoder, IAugmentation View, SwAV Objective);

[Augmentation, Identity]
public partial record MutagRaw;

[SslModel]
public partial record MutagGraphMae(MutagGin Encoder, MutagRaw View, GraphMae Objective);

[SslModel]
public partial record MutagInfoGraph(MutagGin Encoder, MutagRaw View, InfoGraph Objective);

[SslModel, Projector(Layers = 2, BatchNorm = false)]
public partial record MutagSimGrace(MutagGin Encoder, MutagRaw View1, PerturbWeights View2, NtXent Objective);

/// <summary>An encoder stacking layers of different kinds (built-in GIN and mean layers).</summary>
[SslModel, Projector(Layers = 2)]
public partial record MutagStacked(LayerStack Encoder, IAugmentation View, NtXent Objective);

/// <summary>A composed loss: NT-Xent plus a tenth of VICReg, no new record for the combination.</summary>
[SslModel, Projector(Layers = 2)]
public partial record MutagComposed(MutagGin Encoder, IAugmentation View, NtXent Contrast, [Weight(0.1)] VicReg Regularise);

/// <summary>
/// Every objective trains a GIN on MUTAG (188 graphs; ../shared/datasets/TU/MUTAG) through its generated
/// trainer without error, and its loss falls: the mean of the last two epochs is below the first epoch's.
/// Reported as skipped when MUTAG is absent.
/// </summary>
public class ObjectiveTrainingTests(ITestOutputHelper output)
{
    static readonly Lazy<GraphData?> Mutag = new(() => SharedData.Tu("MUTAG") is { } dir ? TuDataset.Load(dir) : null);

    public static TheoryData<string> Objectives() => new() { "NtXent", "SimSiam", "BarlowTwins", "VicReg", "MoCo", "Byol", "SwAV", "GraphMae", "GraphMaeMlpDecoder", "InfoGraph", "SimGrace", "Composed", "Stacked" };

    static ISslModel Model(string objective)
    {
        var gin = new MutagGin();
        var drop = new MutagDrop();
        return objective switch
        {
            "NtXent" => new MutagNtXent(gin, drop, new NtXent { Temperature = 0.2 }),
            "SimSiam" => new MutagSimSiam(gin, drop, new SimSiam()),
            "BarlowTwins" => new MutagBarlow(gin, drop, new BarlowTwins()),
            "VicReg" => new MutagVicReg(gin, drop, new VicReg()),
            "MoCo" => new MutagMoco(gin, drop, new MoCo { QueueSize = 128 }),
            "Byol" => new MutagByol(gin, drop, new Byol()),
            "SwAV" => new MutagSwav(gin, drop, new SwAV { Prototypes = 10 }),
            "GraphMae" => new MutagGraphMae(gin, new MutagRaw(), new GraphMae()),
            "GraphMaeMlpDecoder" => new MutagGraphMae(gin, new MutagRaw(), new GraphMae { DecoderHidden = 16 }),
            "InfoGraph" => new MutagInfoGraph(gin, new MutagRaw(), new InfoGraph()),
            "SimGrace" => new MutagSimGrace(gin, new MutagRaw(), new PerturbWeights(), new NtXent { Temperature = 0.2 }),
            "Composed" => new MutagComposed(gin, drop, new NtXent { Temperature = 0.2 }, new VicReg()),
            "Stacked" => new MutagStacked(new LayerStack(new GinLayer(32), new MeanLayer(32), new GinLayer(32)), drop, new NtXent { Temperature = 0.2 }),
            _ => throw new ArgumentException(objective),
        };
    }

    [SkippableTheory]
    [MemberData(nameof(Objectives))]
    public void Trains_on_mutag_and_the_loss_falls(string objective)
    {
        Skip.If(Mutag.Value is null, SharedData.Missing("TU/MUTAG"));
        var data = Mutag.Value!;
        var reports = new List<EpochReport>();
        var options = new TrainOptions { Epochs = 5, BatchSize = 64, Seed = 1, LearningRate = 1e-3 };
        using var result = Model(objective).Train(data, options, new Recorder(reports));

        output.WriteLine($"{objective}: " + string.Join(", ", result.Losses.Select(l => l.ToString("F4"))));
        Assert.Equal(options.Epochs, result.Losses.Count);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
        double first = result.Losses[0], lastTwo = result.Losses.TakeLast(2).Average();
        Assert.True(lastTwo < first, $"{objective}: loss did not fall: first epoch {first:F4}, mean of the last two {lastTwo:F4}");

        // Every generated step runs the collapse monitor; a healthy run raises no warning.
        output.WriteLine($"{objective} output std: " + string.Join(", ", reports.Select(r => r.OutputStd!.Value.ToString("F4"))));
        Assert.All(reports, r => Assert.InRange(r.OutputStd!.Value, 0.0, 1.0));
        Assert.All(reports, r => Assert.Null(r.Warning));
        using var embeddings = result.Embed(data);
        Assert.Equal(new long[] { data.GraphCount, new MutagGin().EmbeddingDim }, embeddings.shape);
    }

    sealed class Recorder(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}

/// <summary>The runtime pieces the generated stateful trainers call.</summary>
public class StatefulPiecesTests
{
    [Fact]
    public void Prototypes_are_unit_rows_and_a_dropped_gradient_leaves_them_unchanged_under_adam()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var prototypes = new Prototypes(5, 3);
        // Rows have norm 1 (to float precision).
        var norms = prototypes.Weight.detach().norm(1).data<float>().ToArray();
        Assert.All(norms, n => Assert.Equal(1f, n, 5));
        var before = prototypes.Weight.detach().clone();
        using var optimizer = TorchSharp.torch.optim.Adam(prototypes.parameters(), 0.1);
        var loss = prototypes.Weight.sum();
        loss.backward();
        prototypes.zero_grad(); // what the generated SwAV loop does while the prototypes are frozen
        optimizer.step();
        Assert.True(prototypes.Weight.detach().Equals(before), "frozen prototypes moved");
        // Unfrozen: the same step moves them (the check above can fail).
        optimizer.zero_grad();
        prototypes.Weight.sum().backward();
        optimizer.step();
        Assert.False(prototypes.Weight.detach().Equals(before));
    }

    [Fact]
    public void Target_network_starts_as_an_exact_copy_without_gradients()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        TorchSharp.torch.manual_seed(1);
        using var online = Heads.Projector(4, 4, 2);
        using var target = Heads.Projector(4, 4, 2);
        TargetNetwork.Initialize(target, online);
        var o = online.parameters().ToList();
        var t = target.parameters().ToList();
        Assert.Equal(o.Count, t.Count);
        for (int i = 0; i < o.Count; i++)
        {
            Assert.True(o[i].Equals(t[i]));
            Assert.False(t[i].requires_grad);
            Assert.True(o[i].requires_grad);
        }
    }

    [Fact]
    public void Embedding_queue_round_trips_through_its_checkpoint_state()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var a = new EmbeddingQueue(4, 2, TorchSharp.torch.CPU, new TorchSharp.torch.Generator(1));
        a.Enqueue(TorchSharp.torch.tensor(new float[] { 3, 4, 0, 2, 1, 0 }, 3, 2)); // pointer 0 → 3
        using var stream = new MemoryStream();
        ((ICheckpointState)a).Save(new BinaryWriter(stream));
        stream.Position = 0;
        using var b = new EmbeddingQueue(4, 2, TorchSharp.torch.CPU, new TorchSharp.torch.Generator(2));
        Assert.False(a.Queue.Equals(b.Queue)); // different random rows before loading
        ((ICheckpointState)b).Load(new BinaryReader(stream));
        Assert.Equal(3, b.Pointer);
        Assert.True(a.Queue.Equals(b.Queue));
        // Row 0 is the first enqueued key, normalised: (3, 4)/5.
        Assert.Equal(new[] { 0.6f, 0.8f }, b.Queue[0].data<float>().ToArray());
    }

    [Fact]
    public void Collapse_warning_below_a_tenth_of_one_over_sqrt_d()
    {
        // D = 100: healthy std ≈ 1/√100 = 0.1; collapse below 0.1 × 0.1 = 0.01.
        Assert.Null(CollapseReport.Warning(0.05, 100));
        var warning = CollapseReport.Warning(0.003, 100);
        Assert.NotNull(warning);
        Assert.StartsWith("representation collapse: output std 0.003 ≪ 1/√D = 0.1 (D = 100)", warning);
    }

    [Fact]
    public void Epoch_read_gives_both_means_and_throws_on_nan()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (loss, std) = CollapseReport.ReadEpoch(TorchSharp.torch.tensor(new float[] { 6 }), TorchSharp.torch.tensor(0.3f), 3, 1);
        Assert.Equal(2.0, loss, 6);
        Assert.Equal(0.1, std, 6);
        Assert.Throws<TrainingDivergedException>(() => CollapseReport.ReadEpoch(TorchSharp.torch.tensor(new float[] { float.NaN }), TorchSharp.torch.tensor(0f), 3, 1));
    }
}
