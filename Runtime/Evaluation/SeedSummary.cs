using System.Globalization;

namespace GraphSSL.Evaluation;

/// <summary>
/// Accuracy over several seeds (pre-training runs): <see cref="Mean"/> ± <see cref="Std"/>, where Std is
/// the SAMPLE standard deviation over seeds (divide by n − 1; 0 for one seed) of the per-seed mean
/// accuracies — the "±" of published tables is over seeds, not folds. <see cref="MeanFoldStd"/> is the
/// mean of the per-seed fold standard deviations, reported separately.
/// </summary>
/// <param name="Mean">Mean of the per-seed accuracies, in [0, 1].</param>
/// <param name="Std">Sample std (n − 1) of the per-seed accuracies.</param>
/// <param name="MeanFoldStd">Mean over seeds of <see cref="EvalResult.FoldStd"/>.</param>
/// <param name="Seeds">Number of results summarised.</param>
/// <param name="Accuracies">Per-seed accuracies, in input order.</param>
public sealed record SeedSummary(double Mean, double Std, double MeanFoldStd, int Seeds, double[] Accuracies)
{
    /// <summary>Summarises <paramref name="results"/> (at least one).</summary>
    public static SeedSummary Of(IReadOnlyList<EvalResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("No results to summarise.", nameof(results));
        var acc = results.Select(r => r.Accuracy).ToArray();
        double mean = acc.Sum() / acc.Length;
        double std = acc.Length > 1 ? Math.Sqrt(acc.Sum(a => (a - mean) * (a - mean)) / (acc.Length - 1)) : 0;
        double foldStd = results.Sum(r => r.FoldStd) / results.Count;
        return new SeedSummary(mean, std, foldStd, acc.Length, acc);
    }

    /// <summary>E.g. "86.80 ± 1.34 (5 seeds; mean fold std 5.12)", in percent, invariant culture.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0:F2} ± {1:F2} ({2} seed{3}; mean fold std {4:F2})", 100 * Mean, 100 * Std, Seeds, Seeds == 1 ? "" : "s", 100 * MeanFoldStd);
}
