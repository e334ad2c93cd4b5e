namespace GraphSSL.Cli;

/// <summary>
/// The evaluators by name: the canonical names are the runtime's (<see cref="CrossValidation.NameOf"/>, recorded in
/// every result); the short forms the command line also accepts are listed here, and nowhere else.
/// </summary>
public static class Evaluators
{
    /// <summary>The default: C-SVC with an RBF kernel.</summary>
    public const Evaluator Default = Evaluator.SvcRbf;

    /// <summary>Every evaluator with the names that select it (canonical name first).</summary>
    static readonly (Evaluator Evaluator, string[] Names)[] Table =
    [
        (Evaluator.SvcRbf, [CrossValidation.NameOf(Evaluator.SvcRbf), "svc", "rbf"]),
        (Evaluator.SvcLinear, [CrossValidation.NameOf(Evaluator.SvcLinear), "linear"]),
        (Evaluator.LogReg, [CrossValidation.NameOf(Evaluator.LogReg), "logistic"]),
    ];

    /// <summary>The name recorded in results and passed to sweep workers.</summary>
    public static string NameOf(Evaluator evaluator) => CrossValidation.NameOf(evaluator);

    /// <summary>The evaluator named <paramref name="name"/> (case-insensitive, short forms accepted); a <see cref="UserErrorException"/> listing the names otherwise.</summary>
    public static Evaluator Parse(string name, string option = "--evaluator")
    {
        var key = name.Trim().ToLowerInvariant();
        foreach (var (evaluator, names) in Table)
            if (names.Contains(key)) return evaluator;
        var valid = Table.Select(t => t.Names[0]).ToArray();
        throw new UserErrorException($"{option} '{name}': use {string.Join(", ", valid[..^1])} or {valid[^1]}.");
    }
}
