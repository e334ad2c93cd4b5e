using Xunit.Abstractions;
using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

/// <summary><see cref="RandomSplitProbe"/>: GRACE's evaluation (random 10 / 90 split, one-vs-rest liblinear-style logistic regression, C by 5-fold CV).</summary>
public class RandomSplitProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Separable_embeddings_are_classified_almost_perfectly_and_noise_is_at_chance()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 8);
        var options = new RandomSplitProbeOptions { Seeds = 3, C = [0.01, 1, 100] };
        var separable = RandomSplitProbe.Evaluate(x, y, options);
        output.WriteLine(separable.ToString());
        Assert.Equal(3, separable.PerSeed.Count);
        Assert.True(separable.Mean > 0.98, separable.ToString());

        var (noise, yNoise, _) = EvalTestData.NodeBlobs(separation: 0);
        var chance = RandomSplitProbe.Evaluate(noise, yNoise, options);
        output.WriteLine(chance.ToString());
        Assert.InRange(chance.Mean, 0.2, 0.47); // 3 classes
    }

    [Fact]
    public void The_split_is_ten_percent_for_training_and_the_choice_of_C_never_looks_at_test_labels()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1.5);
        int n = x.Length;
        var (train, test) = RandomSplitProbe.Split(n, 60, seed: 4);
        Assert.Equal(60, train.Length);
        Assert.Equal(n - 60, test.Length);
        Assert.Equal(Enumerable.Range(0, n), train.Concat(test).Order());
        Assert.NotEqual(train, RandomSplitProbe.Split(n, 60, seed: 5).Train);

        // 600 nodes, 10 %: 60 train. Scrambling the labels of seed 4's test nodes moves its test accuracy only.
        var options = new RandomSplitProbeOptions { Seeds = 1, FirstSeed = 4, C = [0.01, 0.1, 1, 10, 100] };
        var result = RandomSplitProbe.Evaluate(x, y, options);
        var scrambled = (int[])y.Clone();
        foreach (int v in test) scrambled[v] = (y[v] + 1) % 3;
        var other = RandomSplitProbe.Evaluate(x, scrambled, options);
        output.WriteLine($"{result}; scrambled test labels: {other}");
        Assert.Equal(result.PerSeed[0].C, other.PerSeed[0].C);
        Assert.Equal(result.PerSeed[0].ValidationAccuracy, other.PerSeed[0].ValidationAccuracy);
        Assert.NotEqual(result.PerSeed[0].TestAccuracy, other.PerSeed[0].TestAccuracy);
    }

    [Fact]
    public void Rows_are_L2_normalised_so_rescaling_a_node_changes_nothing()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1.5);
        var scale = new Random(3);
        var rescaled = x.Select(r => { double s = 0.01 + 100 * scale.NextDouble(); return r.Select(v => v * s).ToArray(); }).ToArray();
        var options = new RandomSplitProbeOptions { Seeds = 2, C = [0.1, 1, 10] };
        var a = RandomSplitProbe.Evaluate(x, y, options);
        var b = RandomSplitProbe.Evaluate(rescaled, y, options);
        Assert.Equal(a.PerSeed.Select(s => s.C), b.PerSeed.Select(s => s.C));
        // Same problem up to rounding in the normalisation: the same predictions on these well-separated margins.
        Assert.Equal(a.PerSeed.Select(s => s.TestAccuracy), b.PerSeed.Select(s => s.TestAccuracy));
    }

    [Fact]
    public void Seeds_are_independent_of_the_thread_count()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1);
        var options = new RandomSplitProbeOptions { Seeds = 4, C = [0.1, 1, 10] };
        var one = RandomSplitProbe.Evaluate(x, y, options with { MaxDegreeOfParallelism = 1 });
        var many = RandomSplitProbe.Evaluate(x, y, options with { MaxDegreeOfParallelism = 4 });
        Assert.Equal(one.PerSeed, many.PerSeed);
        Assert.Equal([0, 1, 2, 3], one.PerSeed.Select(s => s.Seed));
        Assert.True(one.PerSeed.Select(s => s.TestAccuracy).Distinct().Count() > 1, "different splits should not all score the same");
    }

    [Fact]
    public void A_two_class_softmax_with_half_the_C_and_penalised_intercepts_solves_liblinears_binary_problem()
    {
        // liblinear: min ½(‖w‖² + b²) + C Σ log(1 + exp(−t_i (w·x_i + b))), t = ±1. At the optimum
        // w = C Σ t_i σ(−t_i m_i) x_i and b = C Σ t_i σ(−t_i m_i) with m_i = w·x_i + b: checked on the fitted margin.
        var rng = new Random(11);
        int n = 80, d = 5;
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        var y = x.Select(r => r[0] + 0.5 * r[1] + 0.3 * (rng.NextDouble() - 0.5) > 0.1 ? 1 : 0).ToArray();
        const double c = 3.0;
        var model = LogisticRegression.Fit(x, y, c / 2, 2000, 1e-10, null, penalizeIntercepts: true);
        Assert.True(model.Converged);
        var w = model.Weights[1].Zip(model.Weights[0], (a, b) => a - b).ToArray();
        double bias = model.Intercepts[1] - model.Intercepts[0];
        var expectedW = new double[d];
        double expectedB = 0;
        for (int i = 0; i < n; i++)
        {
            double t = y[i] == 1 ? 1 : -1;
            double m = w.Zip(x[i], (a, b) => a * b).Sum() + bias;
            double weight = c * t / (1 + Math.Exp(t * m)); // C t σ(−t m)
            for (int j = 0; j < d; j++) expectedW[j] += weight * x[i][j];
            expectedB += weight;
        }
        for (int j = 0; j < d; j++) Assert.Equal(expectedW[j], w[j], 6);
        Assert.Equal(expectedB, bias, 6);
        Assert.True(Math.Abs(bias) > 1e-3, "the data are not centred: the optimum has a bias, which the penalty shrinks but does not remove");

        // Without the intercept penalty the optimality condition for b is Σ t_i σ(−t_i m_i) = 0 instead: a different solution.
        var free = LogisticRegression.Fit(x, y, c / 2, 2000, 1e-10);
        Assert.NotEqual(bias, free.Intercepts[1] - free.Intercepts[0], 3);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomSplitProbe.Evaluate(x, y, new RandomSplitProbeOptions { TrainFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomSplitProbe.Evaluate(x, y, new RandomSplitProbeOptions { Seeds = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomSplitProbe.Evaluate(x, y, new RandomSplitProbeOptions { C = [] }));
        Assert.Throws<ArgumentException>(() => RandomSplitProbe.Evaluate(x[..20], y[..20])); // 2 training nodes for 5 folds
        Assert.Throws<ArgumentException>(() => RandomSplitProbe.Evaluate(x, y[..10]));
    }

    [Fact]
    public void A_given_split_is_probed_exactly_as_the_random_split_that_draws_it()
    {
        // EvaluateOn (GRACE's eval.py with split='public') and Evaluate share everything after the split: handing seed 4's
        // drawn split to EvaluateOn must give seed 4's C, cross-validation score and test accuracy.
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1.2);
        var options = new RandomSplitProbeOptions { Seeds = 1, FirstSeed = 4, C = [0.01, 0.1, 1, 10, 100] };
        var (train, test) = RandomSplitProbe.Split(x.Length, 60, seed: 4);
        var drawn = RandomSplitProbe.Evaluate(x, y, options).PerSeed[0];
        var given = RandomSplitProbe.EvaluateOn(x, y, train, test, options);
        output.WriteLine($"drawn: {drawn}; given: {given}");
        Assert.Single(given.PerSeed);
        Assert.Equal(drawn.C, given.PerSeed[0].C);
        Assert.Equal(drawn.ValidationAccuracy, given.PerSeed[0].ValidationAccuracy);
        Assert.Equal(drawn.TestAccuracy, given.PerSeed[0].TestAccuracy);
        Assert.InRange(given.Mean, 0.5, 1); // 3 overlapping classes: well above chance, not perfect

        // Only the given test nodes are scored: a test set of the first 40 test nodes scores differently from all of them.
        var fewer = RandomSplitProbe.EvaluateOn(x, y, train, test[..40], options);
        Assert.Equal(given.PerSeed[0].C, fewer.PerSeed[0].C);
        Assert.Equal(Math.Round(40 * fewer.Mean), 40 * fewer.Mean, 9);
    }

    [Fact]
    public void A_given_split_that_is_not_a_split_is_refused_with_the_node()
    {
        var (x, y, _) = EvalTestData.NodeBlobs(separation: 1);
        int[] train = [.. Enumerable.Range(0, 30)], test = [.. Enumerable.Range(30, 30)];
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => RandomSplitProbe.EvaluateOn(x, y, train, [.. test, x.Length]));
        Assert.Contains($"Node {x.Length} is not one of the {x.Length} nodes", outside.Message);
        var both = Assert.Throws<ArgumentException>(() => RandomSplitProbe.EvaluateOn(x, y, train, [.. test, 7]));
        Assert.Contains("Node 7 is both a training and a test node", both.Message);
        Assert.Throws<ArgumentException>(() => RandomSplitProbe.EvaluateOn(x, y, [.. train, 3], test)); // 3 twice
        Assert.Throws<ArgumentException>(() => RandomSplitProbe.EvaluateOn(x, y, train[..4], test)); // 4 nodes for 5 folds
        Assert.Throws<ArgumentException>(() => RandomSplitProbe.EvaluateOn(x, y, train, []));
    }
}
