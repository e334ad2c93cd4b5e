using System.Reflection;
using System.Runtime.Loader;

namespace GraphSSL.Benchmarks;

/// <summary>
/// The evaluation code of an older commit (its GraphSSL.Evaluation.dll, or for commits from before the
/// evaluation code had its own assembly its GraphSSL.Runtime.dll), loaded beside the current one in its own
/// load context so that both are timed in one process. Only that assembly comes from the baseline folder;
/// every other one (GraphSSL.Data, TorchSharp, the BCL) is shared with the default context. Called by
/// reflection through the public <c>CrossValidation.Evaluate(double[][], int[], EvalOptions)</c>: the two
/// assemblies' types are distinct.
/// </summary>
public sealed class EvalBaseline
{
    readonly MethodInfo evaluate;
    readonly Type optionsType;
    readonly Type evaluatorType;

    EvalBaseline(Assembly evaluation)
    {
        var crossValidation = evaluation.GetType("GraphSSL.Evaluation.CrossValidation", throwOnError: true)!;
        optionsType = evaluation.GetType("GraphSSL.Evaluation.EvalOptions", throwOnError: true)!;
        evaluatorType = evaluation.GetType("GraphSSL.Evaluation.Evaluator", throwOnError: true)!;
        evaluate = crossValidation.GetMethod("Evaluate", [typeof(double[][]), typeof(int[]), optionsType])
            ?? throw new InvalidOperationException("CrossValidation.Evaluate(double[][], int[], EvalOptions) not found in the baseline assembly.");
    }

    /// <summary>
    /// Loads the baseline evaluation code from <paramref name="path"/>: a GraphSSL.Evaluation.dll, or a
    /// GraphSSL.Runtime.dll (then the GraphSSL.Evaluation.dll beside it if there is one, else that assembly itself).
    /// </summary>
    public static EvalBaseline Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"Baseline assembly not found: {full}");
        var beside = Path.Combine(Path.GetDirectoryName(full)!, "GraphSSL.Evaluation.dll");
        if (Path.GetFileName(full) == "GraphSSL.Runtime.dll" && File.Exists(beside)) full = beside;
        var context = new BaselineContext(full);
        return new EvalBaseline(context.LoadFromAssemblyPath(full));
    }

    /// <summary>Standard-protocol evaluation with the baseline code: RBF SVC, 10 × 5 folds, default grid.</summary>
    public (double Accuracy, double FoldStd, double[] FoldAccuracies, double[] ChosenC, bool AllConverged) Evaluate(double[][] x, int[] labels, int seed, int? threads)
    {
        var svcRbf = Enum.Parse(evaluatorType, "SvcRbf");
        var options = Activator.CreateInstance(optionsType, svcRbf, 10, 5, seed, null)!;
        optionsType.GetProperty("MaxDegreeOfParallelism")!.SetValue(options, threads);
        var result = evaluate.Invoke(null, [x, labels, options])!;
        T Get<T>(string name) => (T)result.GetType().GetProperty(name)!.GetValue(result)!;
        return (Get<double>("Accuracy"), Get<double>("FoldStd"), Get<double[]>("FoldAccuracies"), Get<double[]>("ChosenC"), Get<bool>("AllConverged"));
    }

    sealed class BaselineContext(string assemblyPath) : AssemblyLoadContext("graphssl-eval-baseline")
    {
        readonly string name = Path.GetFileNameWithoutExtension(assemblyPath);

        protected override Assembly? Load(AssemblyName requested) =>
            requested.Name == name ? LoadFromAssemblyPath(assemblyPath) : null; // null: use the default context's
    }
}
