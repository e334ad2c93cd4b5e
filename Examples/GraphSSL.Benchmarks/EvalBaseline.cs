using System.Reflection;
using System.Runtime.Loader;

namespace GraphSSL.Benchmarks;

/// <summary>
/// The evaluation code as it was before the fast-evaluation work (a GraphSSL.Runtime.dll built from commit
/// c58b2e4), loaded beside the current one in its own load context so that both are timed in one process.
/// Only GraphSSL.Runtime comes from the baseline folder; every other assembly (GraphSSL.Dsl, TorchSharp, the
/// BCL) is shared with the default context. Called by reflection: the two assemblies' types are distinct.
/// </summary>
public sealed class EvalBaseline
{
    readonly MethodInfo evaluate;
    readonly Type optionsType;
    readonly Type evaluatorType;

    EvalBaseline(Assembly runtime)
    {
        var protocol = runtime.GetType("GraphSSL.Evaluation.Protocol", throwOnError: true)!;
        optionsType = runtime.GetType("GraphSSL.Evaluation.EvalOptions", throwOnError: true)!;
        evaluatorType = runtime.GetType("GraphSSL.Evaluation.Evaluator", throwOnError: true)!;
        evaluate = protocol.GetMethod("Evaluate", [typeof(string), typeof(double[][]), typeof(int[]), optionsType, typeof(int)])
            ?? throw new InvalidOperationException("Protocol.Evaluate(string, double[][], int[], EvalOptions, int) not found in the baseline assembly.");
    }

    /// <summary>Loads GraphSSL.Runtime.dll from <paramref name="path"/>.</summary>
    public static EvalBaseline Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"Baseline GraphSSL.Runtime.dll not found: {full}");
        var context = new BaselineContext(full);
        return new EvalBaseline(context.LoadFromAssemblyPath(full));
    }

    /// <summary>Standard-protocol evaluation with the baseline code: RBF SVC, 10 × 5 folds, default grid.</summary>
    public (double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, bool AllConverged) Evaluate(double[][] x, int[] labels, int seed, int? threads)
    {
        var svcRbf = Enum.Parse(evaluatorType, "SvcRbf");
        var options = Activator.CreateInstance(optionsType, svcRbf, 10, 5, seed, null)!;
        optionsType.GetProperty("MaxDegreeOfParallelism")!.SetValue(options, threads);
        var result = evaluate.Invoke(null, ["standard", x, labels, options, seed])!;
        T Get<T>(string name) => (T)result.GetType().GetProperty(name)!.GetValue(result)!;
        return (Get<double>("Accuracy"), Get<double>("FoldStd"), Get<double[]>("FoldAccuracies"), Get<double[]>("ChosenC"), Get<bool>("AllConverged"));
    }

    sealed class BaselineContext(string runtimePath) : AssemblyLoadContext("graphssl-eval-baseline")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "GraphSSL.Runtime" ? LoadFromAssemblyPath(runtimePath) : null; // null: use the default context's
    }
}
