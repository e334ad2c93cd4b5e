using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.EndToEnd.Resume;

[Encoder, Gin(Layers = 2, Hidden = 16)]
public partial record ResumeGin;

[Augmentation, NodeDropping(0.2)]
public partial record ResumeDrop;

[SslModel, Projector(Layers = 2)]
public partial record ResumeClr(ResumeGin Encoder, IAugmentation View, NtXent Objective);

[SslModel, Projector(Layers = 2)]
public partial record ResumeMoco(ResumeGin Encoder, IAugmentation View, MoCo Objective);

[SslModel, Projector(Layers = 2), Predictor]
public partial record ResumeByol(ResumeGin Encoder, IAugmentation View, Byol Objective);

[SslModel, Projector(Layers = 2)]
public partial record ResumeSwav(ResumeGin Encoder, IAugmentation View, SwAV Objective);

/// <summary>
/// Parameter initialisation draws from torch's process-wide generator (seeded by <c>TrainingLoop.Seed</c>), so a
/// test comparing two runs bit for bit must not run while other tests train: this collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTrainingCollection
{
    public const string Name = "Serial training (process-wide torch generator)";
}

/// <summary>
/// Checkpoint and resume through the generated trainers: an interrupted run continued from its checkpoint
/// ends bit-identical (losses and embeddings) to the uninterrupted run with the same seed, on the CPU.
/// </summary>
[Collection(SerialTrainingCollection.Name)]
public class ResumeTests
{
    // 60 graphs in batches of 16: 4 steps per epoch (the last batch has 12 graphs).
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 20, seed: 1);
    static readonly TrainOptions Options = new() { Epochs = 4, BatchSize = 16, Seed = 13, LearningRate = 1e-2, Device = "cpu" };

    [Fact]
    public void NtXent_two_epochs_then_resumed_to_four_equals_four_straight() =>
        AssertResumeMatches(new ResumeClr(new ResumeGin(), new ResumeDrop(), new NtXent { Temperature = 0.5 }), interruptByCancelling: false);

    [Fact]
    public void MoCo_two_epochs_then_resumed_to_four_equals_four_straight() =>
        AssertResumeMatches(new ResumeMoco(new ResumeGin(), new ResumeDrop(), new MoCo { Temperature = 0.2, QueueSize = 40, Momentum = 0.9 }), interruptByCancelling: false);

    [Fact]
    public void Byol_interrupted_after_two_epochs_and_resumed_equals_four_straight() =>
        // BYOL's momentum schedule depends on the run's total steps, so the interrupted run is a 4-epoch run
        // cancelled after epoch 2 (a "killed" run), not a 2-epoch run.
        AssertResumeMatches(new ResumeByol(new ResumeGin(), new ResumeDrop(), new Byol { BaseMomentum = 0.9 }), interruptByCancelling: true);

    [Fact]
    public void SwAV_with_queues_two_epochs_then_resumed_to_four_equals_four_straight() =>
        // Epoch 1 has frozen prototypes, the queues are used from epoch 2: both straddle the checkpoint.
        AssertResumeMatches(new ResumeSwav(new ResumeGin(), new ResumeDrop(), new SwAV { Prototypes = 6, QueueSize = 32, QueueStartEpoch = 2, FreezePrototypesEpochs = 1 }), interruptByCancelling: false);

    [Fact]
    public void A_checkpoint_of_another_model_is_refused()
    {
        using var dir = new TempDirectory("graphssl-resume-");
        var clr = new ResumeClr(new ResumeGin(), new ResumeDrop(), new NtXent { Temperature = 0.5 });
        using (clr.Train(Data, Options with { Epochs = 1, CheckpointDirectory = dir.Path })) { }
        var other = clr with { Objective = clr.Objective with { Temperature = 0.1 } };
        var e = Assert.ThrowsAny<InvalidOperationException>(() =>
            other.Train(Data, Options with { CheckpointDirectory = dir.Path, Resume = true }).Dispose());
        Assert.Contains("different run", e.Message);
    }

    static void AssertResumeMatches(ISslModel model, bool interruptByCancelling)
    {
        using var dir = new TempDirectory("graphssl-resume-");
        using var straight = model.Train(Data, Options);

        if (interruptByCancelling)
        {
            using var cts = new CancellationTokenSource();
            var first = new Recorder(r => { if (r.Epoch == 2) cts.Cancel(); });
            // The checkpoint of epoch 2 is written after its report; the token is seen at epoch 3's first step.
            Assert.ThrowsAny<OperationCanceledException>(() =>
                model.Train(Data, Options with { CheckpointDirectory = dir.Path }, first, cts.Token).Dispose());
            Assert.Equal(new[] { 1, 2 }, first.Reports.Select(r => r.Epoch));
        }
        else
        {
            using var firstHalf = model.Train(Data, Options with { Epochs = 2, CheckpointDirectory = dir.Path });
            Assert.Equal(2, firstHalf.Losses.Count);
        }
        Assert.True(File.Exists(Path.Combine(dir.Path, "checkpoint.bin")));

        var second = new Recorder();
        using var resumed = model.Train(Data, Options with { CheckpointDirectory = dir.Path, Resume = true }, second);

        // Only epochs 3 and 4 ran again (so the run really resumed); the history holds all four.
        Assert.Equal(new[] { 3, 4 }, second.Reports.Select(r => r.Epoch));
        Assert.Equal(4, resumed.Losses.Count);
        Assert.True(straight.Losses.SequenceEqual(resumed.Losses), // exact double equality
            $"losses differ:\n  straight {string.Join(", ", straight.Losses.Select(l => l.ToString("R")))}\n  resumed  {string.Join(", ", resumed.Losses.Select(l => l.ToString("R")))}");
        using var a = straight.Embed(Data);
        using var b = resumed.Embed(Data);
        Assert.True(a.Equals(b), $"embeddings differ after resume: max |Δ| = {(a - b).abs().max().ToSingle()}");
    }

    sealed class Recorder(Action<EpochReport>? then = null) : IProgress<EpochReport>
    {
        public List<EpochReport> Reports { get; } = new();
        public void Report(EpochReport value) { Reports.Add(value); then?.Invoke(value); }
    }
}
