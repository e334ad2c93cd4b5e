using GraphSSL.Data;
using GraphSSL.Evaluation;
using GraphSSL.Training;

namespace GraphSSL.Cli.Pipeline;

/// <summary>
/// One training run to do: a built model, its dataset (every graph; the protocol picks the pre-training ones), the
/// training options with the checkpoint policy applied, the protocol and its split seed, and how to evaluate.
/// <c>train</c>, <c>sweep</c> and <c>reproduce</c> each build one and hand it to <see cref="TrainAndEvaluate.Run"/>.
/// </summary>
/// <param name="Model">The model, built by <see cref="ModelFactory"/> (or a grid configuration, or a recipe).</param>
/// <param name="Data">The whole dataset, as loaded (and prepared by a recipe).</param>
/// <param name="Options">Training options, validated; checkpoints as <see cref="CheckpointPolicy.Apply"/> decided.</param>
/// <param name="Protocol">Which graphs pre-training sees and which are evaluated.</param>
/// <param name="SplitSeed">Seed of the study protocol's split.</param>
/// <param name="Evaluation">How to evaluate the embeddings; null: do not evaluate.</param>
public sealed record RunJob(ISslModel Model, GraphData Data, TrainOptions Options, Protocol Protocol, int SplitSeed, EvaluationPlan? Evaluation);

/// <summary>How a run's embeddings are evaluated.</summary>
/// <param name="Options">Classifier, folds, fold seed, C grid.</param>
/// <param name="UntrainedTwin">Also evaluate the same model untrained (same shape and seed, zero epochs).</param>
/// <param name="FewLabels">Also the few-label probe (nearest class centroid from <see cref="FewLabelsPerClass"/> labelled graphs per class).</param>
public sealed record EvaluationPlan(EvalOptions Options, bool UntrainedTwin, bool FewLabels)
{
    /// <summary>Number of labelled graphs per class in the few-label probe.</summary>
    public const int FewLabelsPerClass = 10;

    /// <summary>
    /// <c>train</c>'s evaluation: outer stratified 10-fold SVC (RBF), inner 5-fold search for C, fold seed = run seed,
    /// beside the untrained twin, with the few-label probe.
    /// </summary>
    public static EvaluationPlan TrainAgainstUntrained(long seed)
        => new(new EvalOptions(Evaluators.Default, Folds: 10, InnerFolds: 5, Seed: unchecked((int)seed)), UntrainedTwin: true, FewLabels: true);
}

/// <summary><c>train</c>'s checkpoint policy: where checkpoints go when they are asked for.</summary>
public static class CheckpointPolicy
{
    /// <summary>
    /// Checkpoints are wanted when <c>--checkpoint-every</c>, <c>--checkpoint-dir</c> or <c>--resume</c> is given; without
    /// <c>--checkpoint-dir</c> they go to <c>&lt;out&gt;/checkpoint</c>. Returns the validated options.
    /// </summary>
    public static TrainOptions Apply(TrainOptions options, bool wanted, string defaultDirectory)
        => (wanted && options.CheckpointDirectory is null ? options with { CheckpointDirectory = defaultDirectory } : options).Validate();

    /// <summary>Whether a resumed run finds a checkpoint to continue from.</summary>
    public static bool HasCheckpoint(TrainOptions options)
        => options.CheckpointDirectory is not null && File.Exists(Path.Combine(options.CheckpointDirectory, "checkpoint.bin"));
}
