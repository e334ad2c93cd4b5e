namespace GraphSSL.Cli;

/// <summary>One evaluation: accuracy mean and fold standard deviation.</summary>
public sealed record Score(double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC);

/// <summary>Trained against untrained embeddings under one protocol.</summary>
public sealed record EvaluationReport(string Protocol, string Evaluator, int Folds, int Seed, Score Untrained, Score Trained)
{
    /// <summary>
    /// Outer stratified 10-fold SVC (RBF), inner 5-fold search for C, on the graphs the protocol evaluates:
    /// all of them (standard) or the held-out 10 % of the seeded study split (study).
    /// </summary>
    public static EvaluationReport Compare(float[,] untrained, float[,] trained, int[] labels, long seed, string protocol, int splitSeed)
    {
        var options = new EvalOptions(GraphSSL.Evaluator.SvcRbf, Folds: 10, InnerFolds: 5, Seed: unchecked((int)seed));
        var u = GraphSSL.Protocol.Evaluate(protocol, ToRows(untrained), labels, options, splitSeed);
        var t = GraphSSL.Protocol.Evaluate(protocol, ToRows(trained), labels, options, splitSeed);
        return new EvaluationReport(protocol, t.Evaluator, t.Folds, t.Seed,
            new Score(u.Accuracy, u.FoldStd, u.FoldAccuracies, u.ChosenC),
            new Score(t.Accuracy, t.FoldStd, t.FoldAccuracies, t.ChosenC));
    }

    static double[][] ToRows(float[,] x)
    {
        var rows = new double[x.GetLength(0)][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[x.GetLength(1)];
            for (int j = 0; j < rows[i].Length; j++) rows[i][j] = x[i, j];
        }
        return rows;
    }
}
