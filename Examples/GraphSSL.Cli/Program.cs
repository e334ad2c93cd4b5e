using System.CommandLine;
using GraphSSL.Cli.Commands;

// graphssl: the command-line face of GraphSSL. Every command returns 0 on success, 2 for a user error
// (bad arguments or a malformed dataset; the message says what and where, no stack trace) and 1 for an
// unexpected failure.
// First, before any TorchSharp call loads libtorch: its OpenMP threads sleep at barriers instead of spinning, so
// a busy machine does not slow training down many times over (GraphSSL.Training.ThreadPolicy; GRAPHSSL_THREAD_POLICY=off opts out).
GraphSSL.Training.ThreadPolicy.Apply();
var root = new RootCommand("graphssl — self-supervised learning on graphs, declared in C#, trained with TorchSharp.");
root.Subcommands.Add(ListCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(SweepCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ReproduceCommand.Create());
root.Subcommands.Add(SelectCommand.Create());
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Unknown options, missing or malformed arguments are user errors: exit 2 like the commands' own checks,
    // with the parser's messages and where to find the usage (System.CommandLine's default would exit 1).
    foreach (var error in parsed.Errors) Console.Error.WriteLine("error: " + error.Message);
    var command = parsed.CommandResult.Command;
    var path = command == root ? "graphssl" : "graphssl " + command.Name;
    Console.Error.WriteLine($"Run '{path} --help' for usage.");
    return 2;
}
return parsed.Invoke();
