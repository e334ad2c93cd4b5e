using GraphSSL.Cli.Pipeline;

namespace GraphSSL.Cli.Output;

/// <summary>One evaluation: accuracy mean and fold standard deviation.</summary>
public sealed record Score(double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, double? FewLabelAccuracy);

/// <summary>Trained against untrained embeddings under one protocol, as <c>metrics.json</c> and TensorBoard record it.</summary>
public sealed record EvaluationReport(string Protocol, string Evaluator, int Folds, int Seed, Score Untrained, Score Trained)
{
    /// <summary>The report of a run evaluated beside its untrained twin (<see cref="EvaluationPlan.TrainAgainstUntrained"/>).</summary>
    public static EvaluationReport From(RunEvaluation e)
    {
        var u = e.Untrained ?? throw new InvalidOperationException("The run was evaluated without its untrained twin.");
        var t = e.Trained;
        return new EvaluationReport(t.Protocol, t.Evaluator, t.Folds, t.Seed,
            new Score(u.Accuracy, u.FoldStd, u.FoldAccuracies, u.ChosenC, e.FewLabelUntrained),
            new Score(t.Accuracy, t.FoldStd, t.FoldAccuracies, t.ChosenC, e.FewLabelTrained));
    }
}
