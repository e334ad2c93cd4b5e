using System.Diagnostics;
using System.Globalization;

namespace GraphSSL.Benchmarks;

/// <summary>
/// <c>--eval</c>: times the standard-protocol evaluation (nested 10 × 5-fold RBF-SVC search over the default
/// 7 values of C) on a realistic embedding set built without training, old and new code path in one run,
/// and prints the chosen C per fold and the accuracies of both.
/// </summary>
public static class EvalBench
{
    /// <summary>
    /// Embeddings of an untrained GIN (3 layers × <paramref name="hidden"/>, sum pooling of every layer, the
    /// shape GraphCL's setting evaluates: 96 dimensions at width 32), computed on the host in double precision
    /// from fixed-seed weights drawn like torch's default <c>Linear</c> initialisation (uniform ±1/√fan-in).
    /// Each layer: <c>h ← ReLU(W₂ ReLU(W₁ (h_v + Σ_{u∼v} h_u) + b₁) + b₂)</c>. Deterministic: same data, same rows.
    /// </summary>
    public static double[][] RandomGinEmbeddings(GraphData data, int hidden = 32, int layers = 3, int seed = 0)
    {
        var rng = new Random(seed);
        int n = data.NodeCount;
        int width = data.FeatureDim;
        var h = new double[(long)n * width];
        for (long i = 0; i < h.Length; i++) h[i] = data.NodeFeatures[i];
        var result = new double[data.GraphCount][];
        for (int g = 0; g < result.Length; g++) result[g] = new double[hidden * layers];
        for (int layer = 0; layer < layers; layer++)
        {
            var (w1, b1) = Linear(rng, width, hidden);
            var (w2, b2) = Linear(rng, hidden, hidden);
            var z = (double[])h.Clone();
            for (int e = 0; e < data.EdgeCount; e++)
            {
                long s = (long)data.EdgeSource[e] * width, t = (long)data.EdgeTarget[e] * width;
                for (int d = 0; d < width; d++) z[t + d] += h[s + d];
            }
            var next = new double[(long)n * hidden];
            var mid = new double[hidden];
            for (int v = 0; v < n; v++)
            {
                for (int o = 0; o < hidden; o++)
                {
                    double a = b1[o];
                    for (int d = 0; d < width; d++) a += w1[o * width + d] * z[(long)v * width + d];
                    mid[o] = Math.Max(0, a);
                }
                for (int o = 0; o < hidden; o++)
                {
                    double a = b2[o];
                    for (int d = 0; d < hidden; d++) a += w2[o * hidden + d] * mid[d];
                    next[(long)v * hidden + o] = Math.Max(0, a);
                }
            }
            for (int g = 0; g < data.GraphCount; g++)
                for (int v = data.NodeOffsets[g]; v < data.NodeOffsets[g + 1]; v++)
                    for (int o = 0; o < hidden; o++) result[g][layer * hidden + o] += next[(long)v * hidden + o];
            h = next;
            width = hidden;
        }
        return result;
    }

    static (double[] W, double[] B) Linear(Random rng, int fanIn, int fanOut)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        var w = new double[fanIn * fanOut];
        var b = new double[fanOut];
        for (int i = 0; i < w.Length; i++) w[i] = (2 * rng.NextDouble() - 1) * bound;
        for (int i = 0; i < b.Length; i++) b[i] = (2 * rng.NextDouble() - 1) * bound;
        return (w, b);
    }

    /// <summary>Runs the comparison on <paramref name="data"/> and writes a report to <paramref name="output"/>.</summary>
    public static void Run(GraphData data, int seed, int? threads, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var sw = Stopwatch.StartNew();
        var x = RandomGinEmbeddings(data);
        output.WriteLine($"{data.Name}: {x.Length} graphs × {x[0].Length} dims (untrained GIN 3 × 32, sum pooling), features {sw.Elapsed.TotalSeconds:F1} s");
        var options = new EvalOptions(Evaluator.SvcRbf, Folds: 10, InnerFolds: 5, Seed: seed) { MaxDegreeOfParallelism = threads };
        output.WriteLine($"standard protocol, RBF SVC, 10 outer × 5 inner folds, C grid {string.Join(" ", options.ResolvedCGrid.Select(c => c.ToString("G", inv)))}, outer-fold threads {threads?.ToString(inv) ?? "processor count"} ({Environment.ProcessorCount} cores)");
        sw.Restart();
        var current = Protocol.Evaluate(Protocol.Standard, x, data.Labels, options, seed);
        double seconds = sw.Elapsed.TotalSeconds;
        Print(output, "current", current, seconds);
    }

    static void Print(TextWriter output, string name, EvalResult r, double seconds)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(inv, "{0,-9} {1,7:F2} s  accuracy {2:F4} ± {3:F4}  converged {4}", name, seconds, r.Accuracy, r.FoldStd, r.AllConverged));
        output.WriteLine($"          chosen C  {string.Join(" ", r.ChosenC.Select(c => c.ToString("G", inv)))}");
        output.WriteLine($"          fold acc  {string.Join(" ", r.FoldAccuracies.Select(a => a.ToString("F4", inv)))}");
    }
}
