using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class ProtocolAndSummaryTests
{
    [Fact]
    public void StudySplit_IsAStratifiedSeededNinetyTen()
    {
        // 125 + 63 labels (MUTAG's class sizes): evaluation gets 12 or 13 of class 0 and 6 or 7 of class 1,
        // 18 or 19 in total (⌊188/10⌋ … ⌈188/10⌉); the rest (169 or 170) is for pre-training.
        var labels = Enumerable.Repeat(0, 125).Concat(Enumerable.Repeat(1, 63)).ToArray();
        var (pre, eval) = Protocol.StudySplit(labels, seed: 1);
        Assert.InRange(eval.Length, 18, 19);
        Assert.Equal(188, pre.Length + eval.Length);
        Assert.Empty(pre.Intersect(eval));
        Assert.InRange(eval.Count(i => labels[i] == 0), 12, 13);
        Assert.InRange(eval.Count(i => labels[i] == 1), 6, 7);
        var again = Protocol.StudySplit(labels, seed: 1);
        Assert.Equal(eval, again.Evaluate);
        Assert.NotEqual(eval, Protocol.StudySplit(labels, seed: 2).Evaluate);
        Assert.Equal(pre, Protocol.Study.PretrainIndices(labels, 1));
        Assert.Equal(188, Protocol.Standard.PretrainIndices(labels, 1).Length);
        var unknown = Assert.Throws<ArgumentException>(() => Protocol.Parse("other"));
        Assert.Contains("use standard or study", unknown.Message);
        Assert.Same(Protocol.Study, Protocol.Parse("study"));
    }

    [Fact]
    public void Evaluate_RecordsTheProtocolAndUsesOnlyTheEvaluationGraphs()
    {
        var (x, y) = EvalTestData.Blobs([[0, 0], [6, 0]], 60, 1.0, seed: 2);
        var study = Protocol.Study.Evaluate(x, y, new EvalOptions(Folds: 3, InnerFolds: 2), splitSeed: 5);
        Assert.Equal("study", study.Protocol);
        Assert.Equal(12, study.Samples); // 120 graphs → 12 evaluated
        var standard = Protocol.Standard.Evaluate(x, y, new EvalOptions(Folds: 3, InnerFolds: 2), splitSeed: 5);
        Assert.Equal("standard", standard.Protocol);
        Assert.Equal(120, standard.Samples);
    }

    [Fact]
    public void SeedSummary_MeanAndSampleStdOverSeeds()
    {
        // Accuracies 0.80, 0.90, 1.00: mean 0.90; sample std √((0.01 + 0 + 0.01) / 2) = 0.1
        // (the population std would be √(0.02 / 3) ≈ 0.0816). Fold stds 0.02, 0.04, 0.06 → mean 0.04.
        EvalResult R(double acc, double foldStd) => new(acc, foldStd, [acc], [1.0], "svc-rbf", 10, 0);
        var s = SeedSummary.Of([R(0.8, 0.02), R(0.9, 0.04), R(1.0, 0.06)]);
        Assert.Equal(0.9, s.Mean, 12);
        Assert.Equal(0.1, s.Std, 12);
        Assert.Equal(0.04, s.MeanFoldStd, 12);
        Assert.Equal(3, s.Seeds);
        Assert.Equal("90.00 ± 10.00 (3 seeds; mean fold std 4.00)", s.ToString());
        Assert.Equal(0.0, SeedSummary.Of([R(0.7, 0.1)]).Std);
        Assert.Throws<ArgumentException>(() => SeedSummary.Of([]));
    }
}
