using System.CommandLine;
using GraphSSL.Evaluation;

namespace GraphSSL.Cli.Options;

/// <summary>
/// Every option more than one command takes, declared once: name, aliases, type, default and help text. Commands
/// call these factories (System.CommandLine wants one option instance per command) and read the values with the
/// matching <c>Read…</c> helpers, so a protocol or an evaluator is parsed the same way everywhere. Where an option
/// means something slightly different in one command (what the seed seeds, what the output folder holds) the
/// command passes that sentence; everything else is here.
/// </summary>
public static class CommonOptions
{
    /// <summary>--dataset / -d.</summary>
    public static Option<string> Dataset(string defaultValue) => new("--dataset", "-d")
    {
        Description = "Dataset: 'synthetic' (built in, no files), a TU dataset name (MUTAG, NCI1, PROTEINS, …) or a folder of raw TU files; inspect also reads the node-classification datasets Cora, CiteSeer and PubMed.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>--data-dir.</summary>
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder that holds TU dataset folders (or Planetoid ones: cora/ind.cora.*). Otherwise GRAPHSSL_DATA_DIR, then the per-user cache (downloading TU datasets there when online).",
    };

    /// <summary>--json.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON to standard output." };

    /// <summary>--device.</summary>
    public static Option<string> Device() => new("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };

    /// <summary>--threads.</summary>
    public static Option<int?> Threads(string description = "CPU threads for TorchSharp (default: its own choice).") => new("--threads") { Description = description };

    /// <summary>--seed / -s, default 0 (what it seeds differs by command, so the command says it; <c>evaluate</c> takes an int, the trainers a long).</summary>
    public static Option<T> Seed<T>(string description) where T : struct => new("--seed", "-s") { Description = description, DefaultValueFactory = _ => default };

    /// <summary>--epochs / -e.</summary>
    public static Option<int> Epochs(string description = "Training epochs.") => new("--epochs", "-e") { Description = description, DefaultValueFactory = _ => 20 };

    /// <summary>--lr.</summary>
    public static Option<double> LearningRate(string description = "Adam learning rate.") => new("--lr") { Description = description, DefaultValueFactory = _ => 1e-3 };

    /// <summary>--out / -o (what the folder holds differs by command).</summary>
    public static Option<string?> Out(string description, bool required = false) => new("--out", "-o") { Description = description, Required = required };

    /// <summary>--tensorboard DIR.</summary>
    public static Option<string?> TensorBoard(string description) => new("--tensorboard") { Description = description, HelpName = "DIR" };

    /// <summary>--protocol: a <see cref="GraphSSL.Evaluation.Protocol"/> name, read with <see cref="ReadProtocol"/>.</summary>
    public static Option<string> Protocol(GraphSSL.Evaluation.Protocol defaultValue, string? note = null) => new("--protocol")
    {
        Description = "Evaluation protocol: " + GraphSSL.Evaluation.Protocol.Describe() + "." + (note is null ? "" : " " + note),
        DefaultValueFactory = _ => defaultValue.Name,
        HelpName = string.Join("|", GraphSSL.Evaluation.Protocol.All.Select(p => p.Name)),
    };

    /// <summary>--split-seed: the seed of the study protocol's 90/10 split.</summary>
    public static Option<int> SplitSeed() => new("--split-seed") { Description = "Seed of the study protocol's 90/10 split.", DefaultValueFactory = _ => 0 };

    /// <summary>--evaluator: an <see cref="Evaluators"/> name, read with <see cref="ReadEvaluator"/>.</summary>
    public static Option<string> Evaluator() => new("--evaluator")
    {
        Description = Evaluators.Names + " (default " + Evaluators.NameOf(Evaluators.Default) + ": C-SVC, RBF kernel, γ = scale); C chosen by inner 5-fold search over {1e-3 … 1e3}.",
        DefaultValueFactory = _ => Evaluators.NameOf(Evaluators.Default),
    };

    /// <summary>The protocol given to <paramref name="option"/> (exit code 2 with the valid names when unknown).</summary>
    public static GraphSSL.Evaluation.Protocol ReadProtocol(this ParseResult parse, Option<string> option)
    {
        var name = parse.GetValue(option)!;
        return GraphSSL.Evaluation.Protocol.Find(name) ?? throw new UserErrorException($"{option.Name} '{name}': use {GraphSSL.Evaluation.Protocol.Names}.");
    }

    /// <summary>The evaluator given to <paramref name="option"/> (exit code 2 with the valid names when unknown).</summary>
    public static GraphSSL.Evaluation.Evaluator ReadEvaluator(this ParseResult parse, Option<string> option)
    {
        var name = parse.GetValue(option)!;
        return Evaluators.Find(name) ?? throw new UserErrorException($"{option.Name} '{name}': use {Evaluators.Names}.");
    }
}
