using GraphSSL.Data;

namespace GraphSSL.Evaluation;

/// <summary>
/// A named evaluation protocol: which graphs pre-training sees and which graphs' embeddings are cross-validated.
/// The one place protocols are spelled; every result records <see cref="Name"/>.
/// <list type="bullet">
/// <item><see cref="Standard"/>: pre-train on every graph, embed every graph, nested 10-fold CV on all of them (GraphCL, InfoGraph).</item>
/// <item><see cref="Study"/>: a seeded stratified 90/10 split of the graphs; pre-train on the 90 %, nested CV on the embeddings of the 10 % only (the seed study's protocol).</item>
/// </list>
/// </summary>
public sealed class Protocol
{
    /// <summary>Embeddings of all graphs → cross-validation.</summary>
    public static readonly Protocol Standard = new("standard", "pre-train on all graphs, 10-fold CV on all of them");

    /// <summary>Pre-train on a stratified 90 %; cross-validate on the other 10 %.</summary>
    public static readonly Protocol Study = new("study", "pre-train on a seeded stratified 90 %, 10-fold CV on the other 10 %, as the study did");

    /// <summary>Every protocol, in the order help texts list them.</summary>
    public static IReadOnlyList<Protocol> All { get; } = [Standard, Study];

    Protocol(string name, string description) => (Name, Description) = (name, description);

    /// <summary>The name on the command line and in every file ("standard", "study").</summary>
    public string Name { get; }

    /// <summary>What the protocol does, for help texts.</summary>
    public string Description { get; }

    /// <summary>"standard or study": the valid names.</summary>
    public static string Names => string.Join(" or ", All.Select(p => p.Name));

    /// <summary>"standard (…) or study (…)": every protocol with its description.</summary>
    public static string Describe() => string.Join(" or ", All.Select(p => $"{p.Name} ({p.Description})"));

    /// <summary>The protocol named <paramref name="name"/>, or null.</summary>
    public static Protocol? Find(string? name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>The protocol named <paramref name="name"/>; <see cref="ArgumentException"/> naming the valid ones otherwise.</summary>
    public static Protocol Parse(string name)
        => Find(name) ?? throw new ArgumentException($"Unknown protocol '{name}': use {Names}.", nameof(name));

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
    public int[] PretrainIndices(int[] labels, int splitSeed) => this == Standard
        ? Enumerable.Range(0, labels.Length).ToArray()
        : StudySplit(labels, splitSeed).Pretrain;

    /// <summary>Graphs whose embeddings are evaluated: all (standard) or the 10 % of <see cref="StudySplit"/> (study).</summary>
    public int[] EvaluateIndices(int[] labels, int splitSeed) => this == Standard
        ? Enumerable.Range(0, labels.Length).ToArray()
        : StudySplit(labels, splitSeed).Evaluate;

    /// <summary>The graphs pre-training sees: <paramref name="data"/> itself (standard) or its study split's 90 % (study).</summary>
    public GraphData PretrainSet(GraphData data, int splitSeed)
    {
        ArgumentNullException.ThrowIfNull(data);
        return this == Standard ? data : data.Subset(PretrainIndices(data.Labels, splitSeed));
    }

    /// <summary>
    /// Evaluates <paramref name="embeddings"/> (one row per graph of the whole dataset, same order as
    /// <paramref name="labels"/>) under this protocol: cross-validation on <see cref="EvaluateIndices"/>.
    /// The result records the protocol's name.
    /// </summary>
    public EvalResult Evaluate(double[][] embeddings, int[] labels, EvalOptions options, int splitSeed)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (embeddings.Length != labels.Length) throw new ArgumentException($"{embeddings.Length} embeddings but {labels.Length} labels.", nameof(labels));
        var rows = EvaluateIndices(labels, splitSeed);
        var x = rows.Select(i => embeddings[i]).ToArray();
        var y = rows.Select(i => labels[i]).ToArray();
        return CrossValidation.Evaluate(x, y, options with { Protocol = Name });
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
