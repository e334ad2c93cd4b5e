using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Training;
using GraphSSL.Evaluation;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.EndToEnd;

/// <summary>
/// The whole path: a declared model, the generated trainer, the runtime, and the evaluation, on the
/// built-in synthetic dataset whose classes differ only by structure.
/// </summary>
public class EndToEndTests
{
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 60, seed: 3);

    [Fact]
    public void Generated_trainer_lowers_the_loss_and_learns_structure()
    {
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0.5 });
        var options = new TrainOptions { Epochs = 15, BatchSize = 32, Seed = 11, LearningRate = 1e-3 };
        var reports = new List<EpochReport>();

        using var trained = model.Train(Data, options, new Recorder(reports));
        using var untrained = model.Train(Data, options with { Epochs = 0 });

        // Loss history: one entry per epoch, reported in order, and falling.
        Assert.Equal(options.Epochs, trained.Losses.Count);
        Assert.Equal(Enumerable.Range(1, options.Epochs), reports.Select(r => r.Epoch));
        Assert.All(trained.Losses, l => Assert.True(double.IsFinite(l)));
        var firstThree = trained.Losses.Take(3).Average();
        var lastThree = trained.Losses.TakeLast(3).Average();
        Assert.True(lastThree < firstThree, $"loss did not fall: first epochs {firstThree:F4}, last epochs {lastThree:F4}");

        // Embeddings: one row per graph, and the classes are better separated after training. The
        // synthetic classes differ only by structure, and an untrained GIN already sees degree patterns,
        // so a fully supervised SVC sits near 100% either way; what self-supervision adds shows up when
        // labels are scarce. Measure: nearest-class-centroid accuracy with 10 labelled graphs per class
        // (standardised embeddings, 100 fixed draws). Measured at writing: untrained ≈ 61%, trained ≈ 68%.
        using var e1 = trained.Embed(Data);
        using var e0 = untrained.Embed(Data);
        Assert.Equal(new long[] { Data.GraphCount, new SmallGin().EmbeddingDim }, e1.shape);
        var before = FewShot.CentroidAccuracy(EmbeddingRows.From(e0), Data.Labels, perClass: 10, draws: 100, seed: 0);
        var after = FewShot.CentroidAccuracy(EmbeddingRows.From(e1), Data.Labels, perClass: 10, draws: 100, seed: 0);
        Assert.True(after > before + 0.02, $"classes not better separated: untrained {before:P1}, trained {after:P1}");
    }

    [Fact]
    public void Same_seed_gives_identical_losses_and_embeddings_on_cpu()
    {
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0.5 });
        var options = new TrainOptions { Epochs = 2, BatchSize = 32, Seed = 5 };
        using var a = model.Train(Data, options);
        using var b = model.Train(Data, options);
        Assert.Equal(a.Losses, b.Losses);
        using var ea = a.Embed(Data);
        using var eb = b.Embed(Data);
        Assert.True(ea.Equals(eb), "embeddings differ between two runs with the same seed");
    }

    [Fact]
    public void With_expressions_vary_hyperparameters_and_components()
    {
        var model = new SmallClr(new SmallGin { Hidden = 16 }, new Drop20(), new NtXent { Temperature = 0.5 });
        var varied = model with { View = new Drop20 { Ratio = 0.4 }, Objective = model.Objective with { Temperature = 0.1 } };
        Assert.Equal(0.5, model.Objective.Temperature);
        Assert.Equal(0.1, varied.Objective.Temperature);
        Assert.Equal(0.4, ((Drop20)varied.View).Ratio);
        Assert.Equal(16 * 2, varied.Encoder.EmbeddingDim);
        // Values, not references: equal declarations compare equal.
        Assert.Equal(new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0.5 }), new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0.5 }));
    }

    [Fact]
    public void Cancellation_stops_training_between_steps()
    {
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0.5 });
        using var cts = new CancellationTokenSource();
        var progress = new Recorder(new List<EpochReport>(), _ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            model.Train(Data, new TrainOptions { Epochs = 50, BatchSize = 32 }, progress, cts.Token));
        Assert.Single(progress.Reports);
    }

    [Fact]
    public void Invalid_hyperparameters_set_at_run_time_are_refused()
    {
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent { Temperature = 0 });
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Train(Data, new TrainOptions { Epochs = 1 }));
        Assert.Contains("Temperature", error.Message);
    }

    sealed class Recorder(List<EpochReport> reports, Action<EpochReport>? then = null) : IProgress<EpochReport>
    {
        public List<EpochReport> Reports => reports;
        public void Report(EpochReport value) { reports.Add(value); then?.Invoke(value); }
    }
}
