namespace GraphSSL.Evaluation;

/// <summary>The classifier evaluated on frozen embeddings.</summary>
public enum Evaluator
{
    /// <summary>C-SVC with an RBF kernel, γ = "scale" (the literature's standard).</summary>
    SvcRbf,
    /// <summary>C-SVC with a linear kernel.</summary>
    SvcLinear,
    /// <summary>Multinomial L2 logistic regression.</summary>
    LogReg,
}

/// <summary>
/// The evaluators by name, in one place: the canonical name recorded in every result and passed to sweep workers,
/// and the short forms the command line also accepts.
/// </summary>
public static class Evaluators
{
    /// <summary>The default: C-SVC with an RBF kernel.</summary>
    public const Evaluator Default = Evaluator.SvcRbf;

    /// <summary>Every evaluator with the names that select it (canonical name first).</summary>
    static readonly (Evaluator Evaluator, string[] Names)[] Table =
    [
        (Evaluator.SvcRbf, ["svc-rbf", "svc", "rbf"]),
        (Evaluator.SvcLinear, ["svc-linear", "linear"]),
        (Evaluator.LogReg, ["logreg", "logistic"]),
    ];

    /// <summary>The canonical name ("svc-rbf", "svc-linear", "logreg"), recorded in results.</summary>
    public static string NameOf(Evaluator evaluator)
        => Table.FirstOrDefault(t => t.Evaluator == evaluator).Names?[0]
           ?? throw new ArgumentOutOfRangeException(nameof(evaluator), evaluator, null);

    /// <summary>The canonical names, e.g. "svc-rbf, svc-linear or logreg".</summary>
    public static string Names
    {
        get
        {
            var valid = Table.Select(t => t.Names[0]).ToArray();
            return string.Join(", ", valid[..^1]) + " or " + valid[^1];
        }
    }

    /// <summary>The evaluator named <paramref name="name"/> (case-insensitive, short forms accepted), or null.</summary>
    public static Evaluator? Find(string? name)
    {
        var key = (name ?? "").Trim().ToLowerInvariant();
        foreach (var (evaluator, names) in Table)
            if (names.Contains(key)) return evaluator;
        return null;
    }

    /// <summary>The evaluator named <paramref name="name"/>; <see cref="ArgumentException"/> listing the names otherwise.</summary>
    public static Evaluator Parse(string name)
        => Find(name) ?? throw new ArgumentException($"Unknown evaluator '{name}': use {Names}.", nameof(name));
}
