using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

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
        // Two features. A gives the class exactly (±1); B agrees with the class on 60 % of the training rows and
        // disagrees on every test row. Standardised with the training rows' own statistics, A separates the training
        // rows with margin 1 on its own (w = (1, 0), no hinge loss), so B gets no weight and every test row is right.
        // The test fold also holds an outlier A = 10⁴: a scaler fitted on training + test rows would divide A by
        // ≈ 1,300 but B by ≈ 1, A's spread would shrink to ≈ 10⁻³ beside B's, the SVM would lean on B, and the test
        // rows would be wrong. (One feature cannot catch the leak: an SVM's predictions do not change when one affine
        // map is applied to every row, which is what a leaked one-column scaler is.)
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            int label = i % 2;
            double sign = label == 1 ? 1 : -1;
            x.Add([sign, (i / 2) % 5 < 3 ? sign : -sign]);
            y.Add(label);
        }
        int firstTest = x.Count;
        for (int i = 0; i < 20; i++)
        {
            int label = i % 2;
            double sign = label == 1 ? 1 : -1;
            x.Add([0.8 * sign, -sign]);
            y.Add(label);
        }
        x.Add([1e4, 1]);
        y.Add(1);
        var train = Enumerable.Range(0, firstTest).ToArray();
        var test = Enumerable.Range(firstTest, x.Count - firstTest).ToArray();
        var (acc, _) = CrossValidation.FitAndScore(x.ToArray(), y.ToArray(), train, test, Evaluator.SvcLinear, [1.0]);
        Assert.Equal(1.0, acc[0]);
    }
}
