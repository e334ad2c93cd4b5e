namespace GraphSSL.Tests.Evaluation;

public class SplittingAndScalingTests
{
    static int[] Labels(params (int Label, int Count)[] groups) => groups.SelectMany(g => Enumerable.Repeat(g.Label, g.Count)).ToArray();

    [Theory]
    [InlineData(10, 3)]
    [InlineData(5, 17)]
    [InlineData(3, 0)]
    public void StratifiedKFold_PartitionsAndStratifies(int folds, int seed)
    {
        // 47 / 23 / 11 samples, interleaved so index order says nothing about the class.
        var y = Labels((0, 47), (1, 23), (2, 11)).OrderBy(v => (v * 7919) % 13).ToArray();
        var split = StratifiedKFold.Split(y, folds, seed);
        Assert.Equal(folds, split.Count);
        var seen = new int[y.Length];
        foreach (var (train, test) in split)
        {
            foreach (var i in test) seen[i]++;
            Assert.Equal(Enumerable.Range(0, y.Length), train.Concat(test).Order());  // disjoint, covering
            Assert.Equal(train.Order(), train);
            Assert.Equal(test.Order(), test);
            // Sizes: ⌊81/k⌋ or ⌈81/k⌉ per fold; per class ⌊n_c/k⌋ or ⌈n_c/k⌉.
            Assert.InRange(test.Length, y.Length / folds, (y.Length + folds - 1) / folds);
            foreach (var (cls, count) in new[] { (0, 47), (1, 23), (2, 11) })
                Assert.InRange(test.Count(i => y[i] == cls), count / folds, (count + folds - 1) / folds);
        }
        Assert.All(seen, s => Assert.Equal(1, s)); // every sample in exactly one test fold
    }

    [Fact]
    public void StratifiedKFold_IsDeterministicPerSeed()
    {
        var y = Labels((0, 30), (1, 30));
        Assert.Equal(StratifiedKFold.Assign(y, 5, 42), StratifiedKFold.Assign(y, 5, 42));
        Assert.NotEqual(StratifiedKFold.Assign(y, 5, 42), StratifiedKFold.Assign(y, 5, 43));
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedKFold.Split(y, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedKFold.Split(y, 61, 0));
    }

    [Fact]
    public void Standardizer_UsesPopulationStatisticsOfTheFittedRowsOnly()
    {
        // Rows 0..2 have column 0 = {1, 2, 3}: mean 2, population std √(2/3); column 1 is constant 5 → std 1.
        // Row 3 (value 100) is not among the fitted rows and must not move the statistics.
        double[][] x = [[1, 5], [2, 5], [3, 5], [100, 7]];
        var s = Standardizer.Fit(x, [0, 1, 2]);
        Assert.Equal(2.0, s.Mean[0], 14);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), s.Scale[0], 14);
        Assert.Equal(5.0, s.Mean[1]);
        Assert.Equal(1.0, s.Scale[1]);
        var t = s.Transform(x, [3, 0]);
        Assert.Equal((100 - 2) / Math.Sqrt(2.0 / 3.0), t[0][0], 10);
        Assert.Equal(2.0, t[0][1], 14);              // (7 − 5) / 1
        Assert.Equal(-1 / Math.Sqrt(2.0 / 3.0), t[1][0], 14);
        Assert.Equal(0.0, t[1][1]);
        Assert.Equal(1.0, x[0][0]);                   // the input is not modified
    }

    [Fact]
    public void CrossValidationFold_StandardisesWithTrainingStatisticsOnly()
    {
        // Training rows x ∈ {−2, −1, 1, 2} (classes 0, 0, 1, 1) have mean 0, so a linear SVM puts its boundary
        // at raw x = 0 (by symmetry b = 0) and every test row in (0.3 … 1.2), class 1, is classified right:
        // accuracy 1. Had the scaler been fitted on training + test rows (mean (0 + 7.5) / 14 ≈ 0.54) the
        // boundary would move to ≈ 0.54 and the test rows 0.3, 0.4, 0.5 would flip: accuracy 0.7.
        var x = new List<double[]> { new[] { -2.0 }, new[] { -1.0 }, new[] { 1.0 }, new[] { 2.0 } };
        var y = new List<int> { 0, 0, 1, 1 };
        for (int i = 3; i <= 12; i++) { x.Add([i / 10.0]); y.Add(1); }
        var (acc, _) = CrossValidation.FitAndScore(x.ToArray(), y.ToArray(), [0, 1, 2, 3], Enumerable.Range(4, 10).ToArray(), Evaluator.SvcLinear, [1.0]);
        Assert.Equal(1.0, acc[0]);
    }
}
