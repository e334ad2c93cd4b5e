using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using GraphSSL.Data;
using GraphSSL.Evaluation;

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

    /// <summary>
    /// Runs the comparison on <paramref name="data"/> and writes a report to <paramref name="output"/>: the
    /// current evaluation and, when <paramref name="baselineDll"/> is given, the baseline one, alternated for
    /// <paramref name="rounds"/> rounds (wall and process CPU seconds of each call), then the chosen C per
    /// fold and the fold accuracies of both and whether they are identical.
    /// </summary>
    public static int Run(GraphData data, int seed, int? threads, string? baselineDll, int rounds, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var sw = Stopwatch.StartNew();
        var x = RandomGinEmbeddings(data);
        output.WriteLine($"{data.Name}: {x.Length} graphs × {x[0].Length} dims (untrained GIN 3 × 32, sum pooling of every layer, seed 0), features {sw.Elapsed.TotalSeconds:F1} s");
        var options = new EvalOptions(Evaluator.SvcRbf, Folds: 10, InnerFolds: 5, Seed: seed) { MaxDegreeOfParallelism = threads };
        output.WriteLine($"standard protocol, RBF SVC (γ = scale), 10 outer × 5 inner stratified folds, fold seed {seed}, C grid {string.Join(" ", options.ResolvedCGrid.Select(c => c.ToString("G", inv)))}");
        output.WriteLine($"threads {threads?.ToString(inv) ?? "default (processor count)"}, {Environment.ProcessorCount} logical cores, {Vector<double>.Count} doubles per SIMD vector");
        var baseline = baselineDll is null ? null : EvalBaseline.Load(baselineDll);
        if (baseline is null) output.WriteLine("no --baseline DLL given: timing the current code only");
        var process = Process.GetCurrentProcess();
        EvalResult? current = null;
        (double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, bool AllConverged)? old = null;
        var times = new List<(string Path, double Wall, double Cpu)>();
        for (int round = 0; round < rounds; round++)
        {
            if (baseline is not null)
            {
                var (w, c) = Time(process, () => old = baseline.Evaluate(x, data.Labels, seed, threads));
                times.Add(("baseline", w, c));
                output.WriteLine(string.Format(inv, "round {0}: baseline {1,7:F2} s wall, {2,7:F2} s CPU", round + 1, w, c));
            }
            var (w2, c2) = Time(process, () => current = Protocol.Standard.Evaluate(x, data.Labels, options, seed));
            times.Add(("current", w2, c2));
            output.WriteLine(string.Format(inv, "round {0}: current  {1,7:F2} s wall, {2,7:F2} s CPU", round + 1, w2, c2));
        }
        Print(output, "current", current!.Accuracy, current.FoldStd, current.FoldAccuracies, current.ChosenC, current.AllConverged);
        if (old is not { } o) return 0;
        Print(output, "baseline", o.Accuracy, o.FoldStd, o.FoldAccuracies, o.ChosenC, o.AllConverged);
        bool sameC = o.ChosenC.SequenceEqual(current.ChosenC);
        bool sameAcc = o.FoldAccuracies.SequenceEqual(current.FoldAccuracies) && o.Accuracy.Equals(current.Accuracy);
        double Median(string path, Func<(string Path, double Wall, double Cpu), double> f)
        {
            var v = times.Where(t => t.Path == path).Select(f).Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }
        double bw = Median("baseline", t => t.Wall), cw = Median("current", t => t.Wall);
        double bc = Median("baseline", t => t.Cpu), cc = Median("current", t => t.Cpu);
        output.WriteLine(string.Format(inv, "median of {0} round(s): baseline {1:F2} s wall / {2:F2} s CPU, current {3:F2} s wall / {4:F2} s CPU; speed-up {5:F2}× wall, {6:F2}× CPU",
            rounds, bw, bc, cw, cc, bw / cw, bc / cc));
        output.WriteLine($"same chosen C per fold: {sameC}; same fold accuracies and mean (bit for bit): {sameAcc}");
        return sameC && sameAcc ? 0 : 1;
    }

    static (double Wall, double Cpu) Time(Process process, Action action)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    static void Print(TextWriter output, string name, double accuracy, double std, double[] folds, double[] chosen, bool converged)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(inv, "{0,-9} accuracy {1:F4} ± {2:F4}  converged {3}", name, accuracy, std, converged));
        output.WriteLine($"          chosen C  {string.Join(" ", chosen.Select(c => c.ToString("G", inv)))}");
        output.WriteLine($"          fold acc  {string.Join(" ", folds.Select(a => a.ToString("F4", inv)))}");
    }
}
