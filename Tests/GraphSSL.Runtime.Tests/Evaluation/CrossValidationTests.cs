using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class CrossValidationTests
{
    static readonly double[][] Centres = [[0, 0], [5, 0], [0, 5]];

    [Fact]
    public void NestedCv_OnSeparatedBlobs_IsAccurateAndWellFormed()
    {
        var (x, y) = EvalTestData.Blobs(Centres, 30, 1.0, seed: 4);
        var r = CrossValidation.Evaluate(x, y, new EvalOptions(Seed: 3));
        Assert.Equal("svc-rbf", r.Evaluator);
        Assert.Equal(10, r.Folds);
        Assert.Equal(3, r.Seed);
        Assert.Equal(90, r.Samples);
        Assert.Equal("standard", r.Protocol);
        Assert.Equal(10, r.FoldAccuracies.Length);
        Assert.All(r.ChosenC, c => Assert.Contains(c, EvalOptions.DefaultCGrid));
        Assert.True(r.Accuracy >= 0.95, $"accuracy {r.Accuracy}");
        // Accuracy = mean of folds; FoldStd = population std of folds.
        double mean = r.FoldAccuracies.Average();
        Assert.Equal(mean, r.Accuracy, 12);
        Assert.Equal(Math.Sqrt(r.FoldAccuracies.Average(a => (a - mean) * (a - mean))), r.FoldStd, 12);
        Assert.True(r.AllConverged);
    }

    [Theory]
    [InlineData(Evaluator.SvcRbf)]
    [InlineData(Evaluator.LogReg)]
    public void SameInputsAndSeed_GiveIdenticalResults_WhateverTheParallelism(Evaluator evaluator)
    {
        var (x, y) = EvalTestData.OverlappingGaussians(40, noiseDims: 2, seed: 9);
        var options = new EvalOptions(evaluator, Folds: 5, InnerFolds: 3, Seed: 12);
        var a = CrossValidation.Evaluate(x, y, options);
        var b = CrossValidation.Evaluate(x, y, options);
        var sequential = CrossValidation.Evaluate(x, y, options with { MaxDegreeOfParallelism = 1 });
        Assert.True(a.SameAs(b));
        Assert.True(a.SameAs(sequential));
        // Control: SameAs is able to fail — another seed gives other folds and other numbers.
        var other = CrossValidation.Evaluate(x, y, options with { Seed = 13 });
        Assert.False(a.SameAs(other));
    }

    [Fact]
    public void FoldValidation_is_the_chosen_Cs_inner_accuracy_and_ignores_the_test_fold()
    {
        var (x, y) = EvalTestData.OverlappingGaussians(40, noiseDims: 2, seed: 5);
        var options = new EvalOptions(Evaluator.LogReg, Folds: 5, InnerFolds: 3, Seed: 8, CGrid: [0.01, 1, 100]);
        var r = CrossValidation.Evaluate(x, y, options);
        Assert.Equal(5, r.FoldValidation.Length);
        var outer = StratifiedKFold.Split(y, 5, 8);
        for (int f = 0; f < 5; f++)
        {
            // Recomputed from the pieces: the inner split of the training rows, each C's mean inner accuracy.
            var train = outer[f].Train;
            var inner = StratifiedKFold.Split(train.Select(i => y[i]).ToArray(), 3, CrossValidation.InnerSeed(8, f));
            var sum = new double[3];
            foreach (var (itr, ite) in inner)
            {
                var (acc, _) = CrossValidation.FitAndScore(x, y, itr.Select(i => train[i]).ToArray(), ite.Select(i => train[i]).ToArray(), Evaluator.LogReg, options.ResolvedCGrid);
                for (int g = 0; g < 3; g++) sum[g] += acc[g];
            }
            int best = 0; // ties → the smaller C
            for (int g = 1; g < 3; g++) if (sum[g] > sum[best]) best = g;
            Assert.Equal(sum[best] / inner.Count, r.FoldValidation[f], 12);
            Assert.Equal(options.ResolvedCGrid[best], r.ChosenC[f]);

            // Scrambling the test fold's rows changes nothing in that fold's validation (it never sees them); the test
            // accuracy does move (control: the scrambling is visible to the evaluation).
            var scrambled = x.Select(row => (double[])row.Clone()).ToArray();
            foreach (var i in outer[f].Test) scrambled[i] = [.. scrambled[i].Select(v => -3 * v + 1)];
            var s = CrossValidation.Evaluate(scrambled, y, options);
            Assert.Equal(r.FoldValidation[f], s.FoldValidation[f]);
            Assert.NotEqual(r.FoldAccuracies[f], s.FoldAccuracies[f]);
        }
        // A one-value grid searches nothing: no validation.
        Assert.All(CrossValidation.Evaluate(x, y, options with { CGrid = [1.0] }).FoldValidation, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void GridSearch_TiesGoToTheSmallerC()
    {
        // Blobs 10 σ apart: every C in {1, 10, 100} classifies every inner fold perfectly (equal mean
        // accuracy), so the tie rule must pick C = 1 in every outer fold, whatever order the grid is given in.
        var (x, y) = EvalTestData.Blobs([[0, 0], [10, 0]], 20, 1.0, seed: 1);
        var r = CrossValidation.Evaluate(x, y, new EvalOptions(Folds: 4, InnerFolds: 3, CGrid: [100, 1, 10]));
        Assert.All(r.ChosenC, c => Assert.Equal(1.0, c));
        Assert.Equal([1.0, 10, 100], r.CGrid);
        Assert.Equal(1.0, r.Accuracy);
    }

    [Fact]
    public void GridSearch_PicksALargerCWhenItHelps()
    {
        // Logistic regression, 24 samples of class 0 and 12 of class 1, blobs 6 σ apart. With C = 0.001 the
        // penalty ‖W‖²/(2C) = 500‖W‖² keeps the weights near 0 (order C · n ≈ 0.04), so the logits are
        // dominated by the intercepts (log-odds of the 2 : 1 prior, ≈ 0.69) and every sample is predicted
        // as class 0: about 67 % accuracy. C = 10 separates the blobs: ≈ 100 %. The search must pick 10.
        var (x0, _) = EvalTestData.Blobs([[0, 0]], 24, 1.0, seed: 6);
        var (x1, _) = EvalTestData.Blobs([[6, 0]], 12, 1.0, seed: 7);
        var x = x0.Concat(x1).ToArray();
        var y = Enumerable.Repeat(0, 24).Concat(Enumerable.Repeat(1, 12)).ToArray();
        var tiny = CrossValidation.Evaluate(x, y, new EvalOptions(Evaluator.LogReg, Folds: 4, InnerFolds: 3, CGrid: [0.001]));
        Assert.Equal(24.0 / 36, tiny.Accuracy, 12); // control: the tiny C alone predicts the majority class
        var r = CrossValidation.Evaluate(x, y, new EvalOptions(Evaluator.LogReg, Folds: 4, InnerFolds: 3, CGrid: [0.001, 10]));
        Assert.All(r.ChosenC, c => Assert.Equal(10.0, c));
        Assert.True(r.Accuracy >= 0.95);
    }

    [Fact]
    public void SvcLinear_EvaluatorRunsAndIsNamed()
    {
        var (x, y) = EvalTestData.Blobs(Centres, 15, 1.0, seed: 8);
        var r = CrossValidation.Evaluate(x, y, new EvalOptions(Evaluator.SvcLinear, Folds: 3, InnerFolds: 3, CGrid: [0.1, 1]));
        Assert.Equal("svc-linear", r.Evaluator);
        Assert.True(r.Accuracy >= 0.9);
    }

    [Fact]
    public void InvalidInputs_Throw()
    {
        var (x, y) = EvalTestData.Blobs(Centres, 5, 1.0, seed: 8);
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y, new EvalOptions(Folds: 1)));
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y, new EvalOptions(CGrid: [])));
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y, new EvalOptions(CGrid: [-1])));
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y, new EvalOptions(Folds: 16)));
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y[..^1], new EvalOptions()));
        x[0][0] = double.NaN;
        Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(x, y, new EvalOptions(Folds: 3)));
    }
}
