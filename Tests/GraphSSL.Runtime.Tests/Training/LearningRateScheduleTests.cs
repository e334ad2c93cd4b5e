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
