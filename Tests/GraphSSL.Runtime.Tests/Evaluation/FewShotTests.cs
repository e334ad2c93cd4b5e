using GraphSSL.Evaluation;

namespace GraphSSL.Runtime.Tests.Evaluation;

public class FewShotTests
{
    [Fact]
    public void Separated_clusters_are_classified_perfectly_from_one_label_each()
    {
        // One feature: class 0 at −11, −10, −9 and class 1 at 9, 10, 11. Standardised (mean 0, std ≈ 10.03)
        // they sit near ∓1 ± 0.1: any centroid made from one labelled point of a class is within 0.2 of
        // every point of that class and at least 1.8 from every point of the other, so accuracy is 1.
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < 10; i++) { x.Add([-10 + (i % 3) - 1]); y.Add(0); x.Add([10 + (i % 3) - 1]); y.Add(1); }
        Assert.Equal(1.0, FewShot.CentroidAccuracy(x.ToArray(), y.ToArray(), perClass: 1, draws: 20, seed: 0));
    }

    [Fact]
    public void Identical_embeddings_give_the_first_class_for_everything()
    {
        // All rows equal: every centroid is the same point, ties go to class 0, so accuracy is the share
        // of class-0 graphs among the unlabelled ones: (6 − 2) / (6 − 2 + 4 − 2) = 4/6.
        var x = Enumerable.Range(0, 10).Select(_ => new double[] { 1, 2 }).ToArray();
        var y = new[] { 0, 0, 0, 0, 0, 0, 1, 1, 1, 1 };
        Assert.Equal(4.0 / 6.0, FewShot.CentroidAccuracy(x, y, perClass: 2, draws: 5, seed: 1), 12);
    }

    [Fact]
    public void Too_few_graphs_per_class_are_refused()
    {
        var x = new[] { new double[] { 0 }, new double[] { 1 } };
        Assert.Throws<ArgumentException>(() => FewShot.CentroidAccuracy(x, [0, 1], perClass: 1, draws: 1, seed: 0));
    }
}
