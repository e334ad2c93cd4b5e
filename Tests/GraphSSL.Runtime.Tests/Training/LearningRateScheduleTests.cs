using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Training;

/// <summary>The learning-rate schedule: its formula, how the generated loop applies it, and its validation.</summary>
public class LearningRateScheduleTests
{
    [Fact]
    public void Constant_is_the_learning_rate_in_every_epoch()
    {
        var options = new TrainOptions { Epochs = 10, LearningRate = 0.02 };
        Assert.All(Enumerable.Range(1, 10), e => Assert.Equal(0.02, options.LearningRateAt(e)));
    }

    [Fact]
    public void Cosine_starts_at_the_rate_halves_at_the_middle_and_falls_towards_zero()
    {
        var options = new TrainOptions { Epochs = 100, LearningRate = 0.001, Schedule = LearningRateSchedule.Cosine };
        Assert.Equal(0.001, options.LearningRateAt(1), 15);
        Assert.Equal(0.0005, options.LearningRateAt(51), 15);
        // GraphMAE's last epoch (LambdaLR at epoch index 99 of 100): (1 + cos(0.99 π)) / 2.
        Assert.Equal(0.001 * (1 + Math.Cos(0.99 * Math.PI)) / 2, options.LearningRateAt(100), 15);
        for (int e = 2; e <= 100; e++) Assert.True(options.LearningRateAt(e) < options.LearningRateAt(e - 1), $"epoch {e} does not fall");
    }

    [Fact]
    public void Warm_up_rises_linearly_from_zero_then_the_cosine_runs_over_the_remaining_epochs_as_BGRLs_scheduler()
    {
        // BGRL's CosineDecayScheduler(lr, 1000, 10000).get(step), step = epoch − 1.
        static double Bgrl(int step) => step < 1000 ? 1e-4 * step / 1000 : 1e-4 * (1 + Math.Cos((step - 1000) * Math.PI / 9000)) / 2;
        var options = new TrainOptions { Epochs = 10000, LearningRate = 1e-4, Schedule = LearningRateSchedule.Cosine, WarmupEpochs = 1000 };
        foreach (var epoch in new[] { 1, 2, 500, 1000, 1001, 1002, 5500, 10000 })
            Assert.Equal(Bgrl(epoch - 1), options.LearningRateAt(epoch), 15);
        Assert.Equal(0, options.LearningRateAt(1));
        Assert.Equal(1e-4, options.LearningRateAt(1001), 15);
        // A constant schedule after warm-up stays at the rate; an untrained twin (0 epochs) still validates.
        var constant = options with { Schedule = LearningRateSchedule.Constant };
        Assert.Equal(5e-5, constant.LearningRateAt(501), 15);
        Assert.Equal(1e-4, constant.LearningRateAt(7000));
        (options with { Epochs = 0 }).Validate();
        Assert.Equal("WarmupEpochs", Assert.Throws<ArgumentException>(() => (options with { WarmupEpochs = -1 }).Validate()).ParamName);
    }

    [Fact]
    public void AdamW_decays_the_weights_apart_from_the_gradient_and_Adam_adds_it_to_the_gradient()
    {
        // One step with a zero gradient: Adam's L2 term makes the gradient wd·w, so its step is ≈ lr·sign(w) (Adam
        // normalises it); AdamW's decay is w·(1 − lr·wd) with no Adam step at all.
        foreach (var kind in new[] { OptimizerKind.Adam, OptimizerKind.AdamW })
        {
            using var w = torch.nn.Parameter(torch.tensor(new float[] { 2f, -3f }));
            using var optimizer = TrainingLoop.CreateOptimizer(new[] { w }, new TrainOptions { LearningRate = 0.1, WeightDecay = 0.5, Optimizer = kind });
            w.grad = torch.zeros(2);
            optimizer.step();
            var after = w.data<float>().ToArray();
            if (kind == OptimizerKind.AdamW)
            {
                Assert.Equal(2f * (1 - 0.1f * 0.5f), after[0], 5);
                Assert.Equal(-3f * (1 - 0.1f * 0.5f), after[1], 5);
            }
            else
            {
                Assert.Equal(2f - 0.1f, after[0], 4);
                Assert.Equal(-3f + 0.1f, after[1], 4);
            }
        }
        Assert.Equal("Optimizer", Assert.Throws<ArgumentException>(() => new TrainOptions { Optimizer = (OptimizerKind)5 }.Validate()).ParamName);
    }

    [Fact]
    public void SetLearningRate_sets_every_parameter_group()
    {
        using var layer = nn.Linear(3, 2);
        using var adam = optim.Adam(layer.parameters(), 0.1);
        var options = new TrainOptions { Epochs = 4, LearningRate = 0.1, Schedule = LearningRateSchedule.Cosine };
        TrainingLoop.SetLearningRate(adam, options, 3);
        Assert.All(adam.ParamGroups, g => Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 2 / 4)) / 2, g.LearningRate, 15));
    }

    [Fact]
    public void An_undefined_schedule_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainOptions { Schedule = (LearningRateSchedule)7 }.Validate());
        Assert.Equal("Schedule", e.ParamName);
    }
}
