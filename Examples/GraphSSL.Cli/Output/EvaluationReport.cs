namespace GraphSSL.Cli;

/// <summary>One evaluation: accuracy mean and fold standard deviation.</summary>
public sealed record Score(double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, double? FewLabelAccuracy);

/// <summary>Trained against untrained embeddings under one protocol.</summary>
public sealed record EvaluationReport(string Protocol, string Evaluator, int Folds, int Seed, Score Untrained, Score Trained)
{
    /// <summary>
    /// Outer stratified 10-fold SVC (RBF), inner 5-fold search for C, on the graphs the protocol evaluates:
    /// all of them (standard) or the held-out 10 % of the seeded study split (study).
    /// </summary>
    public static EvaluationReport Compare(double[][] ux, double[][] tx, int[] labels, long seed, string protocol, int splitSeed)
    {
        var options = new EvalOptions(GraphSSL.Evaluator.SvcRbf, Folds: 10, InnerFolds: 5, Seed: unchecked((int)seed));
        var u = GraphSSL.Protocol.Evaluate(protocol, ux, labels, options, splitSeed);
        var t = GraphSSL.Protocol.Evaluate(protocol, tx, labels, options, splitSeed);
        var rows = GraphSSL.Protocol.EvaluateIndices(protocol, labels, splitSeed);
        return new EvaluationReport(protocol, t.Evaluator, t.Folds, t.Seed,
            new Score(u.Accuracy, u.FoldStd, u.FoldAccuracies, u.ChosenC, FewLabels(ux, labels, rows, seed)),
            new Score(t.Accuracy, t.FoldStd, t.FoldAccuracies, t.ChosenC, FewLabels(tx, labels, rows, seed)));
    }

    /// <summary>Number of labelled graphs per class in the few-label probe.</summary>
    public const int FewLabelsPerClass = 10;

    /// <summary>Nearest-centroid accuracy from 10 labelled graphs per class (100 draws), or null when a class is too small.</summary>
    static double? FewLabels(double[][] x, int[] labels, int[] rows, long seed)
    {
        var y = rows.Select(i => labels[i]).ToArray();
        if (Enumerable.Range(0, labels.Max() + 1).Any(c => y.Count(v => v == c) <= FewLabelsPerClass)) return null;
        return FewShot.CentroidAccuracy(rows.Select(i => x[i]).ToArray(), y, FewLabelsPerClass, draws: 100, seed: unchecked((int)seed));
    }
}
