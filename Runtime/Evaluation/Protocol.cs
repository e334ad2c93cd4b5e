namespace GraphSSL.Evaluation;

/// <summary>
/// Named evaluation protocols, recorded in every <see cref="EvalResult"/>.
/// <list type="bullet">
/// <item><see cref="Standard"/>: pre-train on every graph, embed every graph, nested 10-fold CV on all of them (GraphCL, InfoGraph).</item>
/// <item><see cref="Study"/>: a seeded stratified 90/10 split of the graphs; pre-train on the 90 %, nested CV on the embeddings of the 10 % only (the seed study's protocol).</item>
/// </list>
/// </summary>
public static class Protocol
{
    /// <summary>Embeddings of all graphs → cross-validation.</summary>
    public const string Standard = "standard";
    /// <summary>Pre-train on a stratified 90 %; cross-validate on the other 10 %.</summary>
    public const string Study = "study";

    /// <summary>Every protocol name.</summary>
    public static IReadOnlyList<string> All { get; } = [Standard, Study];

    /// <summary>
    /// The study split: test fold 0 of <see cref="StratifiedKFold.Split"/>(labels, 10, seed) is the
    /// evaluation set (⌊n/10⌋ or ⌈n/10⌉ graphs, each class ±1 of its 10 %), the rest is for pre-training.
    /// Both arrays ascending. Needs at least 10 graphs.
    /// </summary>
    public static (int[] Pretrain, int[] Evaluate) StudySplit(int[] labels, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length < 10) throw new ArgumentException($"The study split needs at least 10 graphs, got {labels.Length}.", nameof(labels));
        var (train, test) = StratifiedKFold.Split(labels, 10, seed)[0];
        return (train, test);
    }

    /// <summary>Graphs to pre-train on: all of them (standard) or the 90 % of <see cref="StudySplit"/> (study).</summary>
    public static int[] PretrainIndices(string protocol, int[] labels, int splitSeed) => Check(protocol) == Standard
        ? Enumerable.Range(0, labels.Length).ToArray()
        : StudySplit(labels, splitSeed).Pretrain;

    /// <summary>Graphs whose embeddings are evaluated: all (standard) or the 10 % of <see cref="StudySplit"/> (study).</summary>
    public static int[] EvaluateIndices(string protocol, int[] labels, int splitSeed) => Check(protocol) == Standard
        ? Enumerable.Range(0, labels.Length).ToArray()
        : StudySplit(labels, splitSeed).Evaluate;

    /// <summary>
    /// Evaluates <paramref name="embeddings"/> (one row per graph of the whole dataset, same order as
    /// <paramref name="labels"/>) under <paramref name="protocol"/>: cross-validation on
    /// <see cref="EvaluateIndices"/>. The result records the protocol.
    /// </summary>
    public static EvalResult Evaluate(string protocol, double[][] embeddings, int[] labels, EvalOptions options, int splitSeed)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (embeddings.Length != labels.Length) throw new ArgumentException($"{embeddings.Length} embeddings but {labels.Length} labels.", nameof(labels));
        var rows = EvaluateIndices(protocol, labels, splitSeed);
        var x = rows.Select(i => embeddings[i]).ToArray();
        var y = rows.Select(i => labels[i]).ToArray();
        return CrossValidation.Evaluate(x, y, options with { Protocol = Check(protocol) });
    }

    static string Check(string protocol) => protocol switch
    {
        Standard => Standard,
        Study => Study,
        _ => throw new ArgumentException($"Unknown protocol '{protocol}'. Use '{Standard}' or '{Study}'.", nameof(protocol)),
    };
}
