namespace GraphSSL.Cli;

/// <summary>
/// An evaluation protocol as the tool knows it: its name, what it means, how a name on the command line is read,
/// which graphs pre-training sees and how the embeddings are evaluated. The one place the CLI spells protocols;
/// the split and the cross-validation themselves are the runtime's (<see cref="GraphSSL.Protocol"/>).
/// </summary>
public sealed class Protocol
{
    /// <summary>Pre-train on every graph, cross-validate the embeddings of every graph (GraphCL, InfoGraph).</summary>
    public static readonly Protocol Standard = new(GraphSSL.Protocol.Standard, "pre-train on all graphs, 10-fold CV on all of them");

    /// <summary>Pre-train on a seeded stratified 90 %, cross-validate the other 10 % (the seed study).</summary>
    public static readonly Protocol Study = new(GraphSSL.Protocol.Study, "pre-train on a seeded stratified 90 %, 10-fold CV on the other 10 %, as the study did");

    /// <summary>Every protocol, in the order help texts list them.</summary>
    public static IReadOnlyList<Protocol> All { get; } = [Standard, Study];

    Protocol(string name, string description) => (Name, Description) = (name, description);

    /// <summary>The name on the command line and in every file ("standard", "study").</summary>
    public string Name { get; }

    /// <summary>What the protocol does, for help texts.</summary>
    public string Description { get; }

    /// <summary>"standard (…) or study (…)": every protocol with its description.</summary>
    public static string Describe() => string.Join(" or ", All.Select(p => $"{p.Name} ({p.Description})"));

    /// <summary>The protocol named <paramref name="name"/>; a <see cref="UserErrorException"/> listing the valid names otherwise.</summary>
    public static Protocol Parse(string name, string option = "--protocol")
        => All.FirstOrDefault(p => p.Name == name)
           ?? throw new UserErrorException($"{option} '{name}': use {string.Join(" or ", All.Select(p => p.Name))}.");

    /// <summary>The graphs pre-training sees: <paramref name="data"/> itself (standard) or its study split's 90 % (study).</summary>
    public GraphData PretrainSet(GraphData data, int splitSeed)
        => this == Standard ? data : data.Subset(GraphSSL.Protocol.PretrainIndices(Name, data.Labels, splitSeed));

    /// <summary>Indices of the graphs whose embeddings are evaluated (all, or the study split's 10 %).</summary>
    public int[] EvaluatedGraphs(int[] labels, int splitSeed) => GraphSSL.Protocol.EvaluateIndices(Name, labels, splitSeed);

    /// <summary>Cross-validates <paramref name="embeddings"/> (one row per graph of the whole dataset) under this protocol with <paramref name="options"/>.</summary>
    public EvalResult Evaluate(double[][] embeddings, int[] labels, EvalOptions options, int splitSeed)
        => GraphSSL.Protocol.Evaluate(Name, embeddings, labels, options, splitSeed);

    public override string ToString() => Name;
}
