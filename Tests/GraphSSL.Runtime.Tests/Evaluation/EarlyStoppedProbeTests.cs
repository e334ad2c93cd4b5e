using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;
using GraphSSL.Data;
using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary><see cref="EarlyStoppedProbe"/>: GraphMAE's linear probe (Adam, the epoch chosen on validation).</summary>
public class EarlyStoppedProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Separable_embeddings_are_classified_almost_perfectly_and_the_kept_epoch_is_one_that_ran()
    {
        var (x, y, split) = EvalTestData.NodeBlobs(separation: 8);
        var options = new EarlyStoppedProbeOptions { Seeds = 4, Epochs = 100 };
        var result = EarlyStoppedProbe.Evaluate(x, y, split, options);
        output.WriteLine(result + " epochs: " + string.Join(", ", result.PerSeed.Select(s => s.Epoch)));
        Assert.Equal(4, result.PerSeed.Count);
        Assert.True(result.Mean > 0.99, result.ToString());
        Assert.All(result.PerSeed, s => Assert.InRange(s.Epoch!.Value, 1, 100));
        Assert.All(result.PerSeed, s => Assert.Null(s.C));
    }

    [Fact]
    public void Noise_is_at_chance_and_the_kept_epoch_never_depends_on_test_labels()
    {
        var (x, y, split) = EvalTestData.NodeBlobs(separation: 0);
        var options = new EarlyStoppedProbeOptions { Seeds = 3, Epochs = 60 };
        var result = EarlyStoppedProbe.Evaluate(x, y, split, options);
        output.WriteLine(result.ToString());
        Assert.InRange(result.Mean, 0.2, 0.47);
        var scrambled = (int[])y.Clone();
        foreach (int v in split.Test) scrambled[v] = (y[v] + 1) % 3;
        var other = EarlyStoppedProbe.Evaluate(x, scrambled, split, options);
        Assert.Equal(result.PerSeed.Select(s => (s.Epoch, s.ValidationAccuracy)), other.PerSeed.Select(s => (s.Epoch, s.ValidationAccuracy)));
        Assert.NotEqual(result.PerSeed.Select(s => s.TestAccuracy), other.PerSeed.Select(s => s.TestAccuracy));
    }

    [Fact]
    public void Seeds_set_the_start_the_same_seed_gives_the_same_result()
    {
        var (x, y, split) = EvalTestData.NodeBlobs(separation: 1.0);
        var options = new EarlyStoppedProbeOptions { Seeds = 5, Epochs = 30, LearningRate = 0.05 };
        var a = EarlyStoppedProbe.Evaluate(x, y, split, options);
        var b = EarlyStoppedProbe.Evaluate(x, y, split, options);
        Assert.Equal(a.PerSeed, b.PerSeed);
        // Five starts, stopped early: not all the same fit (unlike the converged logistic regression).
        Assert.True(a.PerSeed.Select(s => (s.Epoch, s.ValidationAccuracy)).Distinct().Count() > 1, string.Join("; ", a.PerSeed));
        var shifted = EarlyStoppedProbe.Evaluate(x, y, split, options with { FirstSeed = 1, Seeds = 4 });
        Assert.Equal(a.PerSeed.Skip(1), shifted.PerSeed);
    }

    [Fact]
    public void Training_is_torch_Adam_with_L2_weight_decay_on_the_cross_entropy_step_for_step()
    {
        var (x, y, split) = EvalTestData.NodeBlobs(separation: 1.0);
        const int k = 3, d = 4, epochs = 40;
        var options = new EarlyStoppedProbeOptions { LearningRate = 0.05, WeightDecay = 0.01, Epochs = epochs, Seeds = 1 };
        var random = new Random(3);
        var start = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, d + 1).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        var theta = start.Select(r => (double[])r.Clone()).ToArray();
        EarlyStoppedProbe.Fit(x, y, split, options, theta);

        // The same problem in float64 with TorchSharp's Adam (β2 given: TorchSharp's default is not PyTorch's 0.999).
        using var scope = NewDisposeScope();
        var weight = new TorchSharp.Modules.Parameter(tensor(start.SelectMany(r => r.Take(d)).ToArray(), [k, d], float64));
        var bias = new TorchSharp.Modules.Parameter(tensor(start.Select(r => r[d]).ToArray(), [k], float64));
        var adam = optim.Adam([weight, bias], lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01);
        var features = tensor(split.Train.SelectMany(v => x[v]).ToArray(), [split.Train.Length, d], float64);
        var labels = tensor(split.Train.Select(v => (long)y[v]).ToArray(), [split.Train.Length], int64);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            adam.zero_grad();
            nn.functional.cross_entropy(features.matmul(weight.t()) + bias, labels).backward();
            adam.step();
        }
        var w = weight.data<double>().ToArray();
        var b = bias.data<double>().ToArray();
        double worst = 0;
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++) worst = Math.Max(worst, Math.Abs(theta[c][j] - w[c * d + j]));
            worst = Math.Max(worst, Math.Abs(theta[c][d] - b[c]));
        }
        output.WriteLine($"largest difference from torch after {epochs} steps: {worst:E2}");
        Assert.True(worst < 1e-9, $"largest difference {worst}");
        Assert.True(Math.Abs(theta[0][0] - start[0][0]) > 0.05, "the parameters moved");
    }

    [Fact]
    public void Bad_settings_and_splits_are_refused_by_name()
    {
        var (x, y, split) = EvalTestData.NodeBlobs(separation: 2);
        Assert.Contains("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => EarlyStoppedProbe.Evaluate(x, y, split, new() { Epochs = 0 })).Message);
        Assert.Contains("weight decay", Assert.Throws<ArgumentOutOfRangeException>(() => EarlyStoppedProbe.Evaluate(x, y, split, new() { WeightDecay = -1 })).Message);
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => EarlyStoppedProbe.Evaluate(x, y, split, new() { LearningRate = double.NaN })).Message);
        Assert.Contains("Seeds", Assert.Throws<ArgumentOutOfRangeException>(() => EarlyStoppedProbe.Evaluate(x, y, split, new() { Seeds = 0 })).Message);
        var outside = new NodeSplit([0, 1, 2], [3, 4], [600]);
        Assert.Contains("600", Assert.Throws<ArgumentException>(() => EarlyStoppedProbe.Evaluate(x, y, outside)).Message);
        Assert.Contains("labels", Assert.Throws<ArgumentException>(() => EarlyStoppedProbe.Evaluate(x, y[..10], split)).Message);
    }
}
