using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// Views, objectives and encoders as expressions on the command line (docs/DSL.md, "Expressions"): every built-in
/// augmentation step, objective and encoder kind trains through one, and malformed ones are answered with the
/// expression, a caret under the wrong token and exit code 2.
/// </summary>
public sealed class ExpressionCliTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-expressions-");

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// Every objective (built-in and the CLI's own), every encoder kind and every augmentation step, each at least once,
    /// with positional and named arguments, numbers, bools and enum names, Compose (+ and Compose(…)), RandomChoice,
    /// an encoder view (PerturbWeights), declared views and user views.
    /// </summary>
    public static TheoryData<string, string, string[], string, string> Combinations() => new()
    {
        // objective, encoder, views, hyperparameter to check, its expected value
        { "NtXent(Temperature=0.5)", "Gin(Layers=2, Hidden=16)", ["NodeDropping(0.2) + FeatureDropout(0.1)"], "Objective.Temperature", "0.5" },
        { "SimSiam", "Gcn(2, 16)", ["EdgePerturbation(0.2, AddEdges=true)"], "Encoder.Layers", "2" },
        { "BarlowTwins(Lambda=0.005)", "GraphSage(Hidden=16)", ["AttributeMasking(0.2, Mode=Zero)"], "View1.Mode", "Zero" },
        { "VicReg(Invariance=10)", "Gat(Layers=2, Hidden=16, Heads=2)", ["RandomChoice(NodeDropping(0.2), Subgraph(0.2))"], "Objective.Invariance", "10" },
        { "MoCo(QueueSize=128)", "Gin(Hidden=16, Pooling=Mean, LearnEps=true)", ["AddEdges(0.1)"], "Encoder.Pooling", "Mean" },
        { "Byol(BaseMomentum=0.9)", "Gcn(Hidden=16, JumpingKnowledge=false)", ["Subgraph(0.3)"], "Encoder.JumpingKnowledge", "false" },
        { "SwAV(Prototypes=10)", "GraphSage(Hidden=16, Pooling=Max)", ["Compose(Identity, FeatureDropout(P=0.2))"], "Objective.Prototypes", "10" },
        { "GraphMae(MaskRate=0.3)", "Gin(Hidden=16)", ["Identity"], "Objective.MaskRate", "0.3" },
        { "InfoGraph", "Gat(Hidden=16, Heads=1)", ["Raw"], "Encoder.Heads", "1" },
        { "NtXent", "MolGin(Hidden=16)", ["Identity", "PerturbWeights(Eta=0.5)"], "View2.Eta", "0.5" },
        { "AlignUniform(Alpha=3)", "Gin(Hidden=16)", ["MaskColumns(Share=0.3)"], "Objective.Alpha", "3" },
        { "MemoryNce(Size=64)", "Gcn(Hidden=16)", ["StudyNodeDropping(Ratio=0.25)"], "View1.Ratio", "0.25" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Trains_from_expressions_without_a_declared_model(string objective, string encoder, string[] views, string key, string expected)
    {
        var outDir = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        var args = new List<string> { "train", "--objective", objective, "--encoder", encoder, "--epochs", "2", "--batch", "128",
            "--threads", "1", "--evaluate", "false", "--out", outDir };
        foreach (var view in views) args.AddRange(["--view", view]);
        var run = GraphSsl.Run(args.ToArray());
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var losses = metrics.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, losses.Length);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        var objectiveName = objective.Split('(')[0];
        Assert.Equal("Generic" + objectiveName, metrics.RootElement.GetProperty("model").GetString());
        var hyper = metrics.RootElement.GetProperty("hyperparameters");
        Assert.Equal(expected, hyper.GetProperty(key).GetString());
    }

    [Fact]
    public void A_declared_model_takes_view_and_objective_expressions()
    {
        var outDir = Path.Combine(temp, "graphclr");
        var run = GraphSsl.Run("train", "--model", "GraphClr", "--view", "RandomChoice(NodeDropping(0.1), EdgePerturbation(0.1))",
            "--objective", "NtXent(0.3)", "--encoder", "MolGin(Hidden=16)", "--epochs", "1", "--threads", "1", "--evaluate", "false", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var hyper = metrics.RootElement.GetProperty("hyperparameters");
        Assert.Equal("0.3", hyper.GetProperty("Objective.Temperature").GetString());
        Assert.Equal("RandomChoice(NodeDropping(0.1), EdgePerturbation(0.1))", hyper.GetProperty("View").GetString());

        var wrong = GraphSsl.Run("train", "--model", "GraphClr", "--objective", "VicReg", "--epochs", "1");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("trains NtXent", wrong.StdErr);
    }

    /// <summary>Malformed expressions: the option, what is wrong, the expression, a caret under <c>at</c> and the valid names.</summary>
    public static TheoryData<string, string, string, string, string> Malformed() => new()
    {
        // option, expression, caret under this text (first occurrence from the given start), message fragment, a listed valid name
        { "--view", "NodeDroping(0.2)", "NodeDroping", "no view named 'NodeDroping' (did you mean NodeDropping?)", "NodeDropping" },
        { "--view", "NodeDropping(Rate=0.2)", "Rate", "has no parameter 'Rate'", "Ratio: double" },
        { "--view", "FeatureDropout(yes)", "yes", "P is a number", "" },
        { "--view", "NodeDropping(1.5)", "1.5", "Ratio of NodeDropping is out of range", "Ratio: double" },
        { "--objective", "NtXent(Temperature=-1)", "-1", "Temperature", "Temperature: double = 0.2" },
        { "--view", "NodeDropping(0.2", "(", "missing ')'", "" },
        { "--view", "NodeDropping(0.2) 0.3", "0.3", "after a complete expression", "" },
        { "--view", "NodeDropping(0.2, 0.3)", "0.3", "takes at most 1 argument", "Ratio: double" },
        { "--encoder", "Gin(Hidden=32, Hidden=64)", "Hidden=64", "Hidden is given twice", "Layers: int = 3" },
        { "--view", "   ", "   ", "the expression is empty", "" },
        { "--view", "NtXent(0.5)", "NtXent", "NtXent is an objective, but a view is expected here", "NodeDropping" },
        { "--encoder", "Gin(Pooling=Median)", "Median", "Pooling is one of the Pooling names", "Mean" },
        { "--encoder", "Gat(Heads=0)", "0", "Heads of Gat is out of range", "Heads: int = 4" },
        { "--objective", "VicReg + NtXent", "+", "'+' composes views", "VicReg" },
        { "--view", "NodeDropping(0.2) + PerturbWeights", "PerturbWeights", "changes the encoder, not the graph", "Subgraph" },
        { "--view", "EdgePerturbation(AddEdges=true, 0.2)", "0.2", "positional argument cannot follow a named one", "AddEdges: bool" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_expressions_get_a_caret_message_and_exit_code_2(string option, string expression, string at, string message, string valid)
    {
        var args = new List<string> { "train", option, expression, "--epochs", "1", "--evaluate", "false", "--out", Path.Combine(temp, "never") };
        if (option == "--view" || option == "--encoder") args.AddRange(["--objective", "NtXent"]);
        var run = GraphSsl.Run(args.ToArray());
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.StdErr}");
        Assert.False(Directory.Exists(Path.Combine(temp, "never")), "nothing may be written for a malformed expression");
        var lines = run.StdErr.Replace("\r", "").Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith("error: " + option + ": ", StringComparison.Ordinal));
        Assert.True(first >= 0, run.StdErr);
        Assert.Contains(message, lines[first]);
        Assert.Equal("  " + expression, lines[first + 1]);
        var caret = lines[first + 2];
        var column = at.Length == 0 ? 0 : expression.IndexOf(at, StringComparison.Ordinal);
        Assert.Equal(new string(' ', 2 + column) + new string('^', Math.Max(1, at.Length)), caret.TrimEnd());
        if (valid.Length > 0) Assert.Contains(valid, string.Join('\n', lines.Skip(first + 3)));
    }

    [Fact]
    public void Grid_files_take_expressions()
    {
        var grid = Path.Combine(temp, "expressions.json");
        File.WriteAllText(grid, """
            {
              "name": "expressions",
              "models": [{"name": "VicReg(Invariance=10)", "label": "VICReg"}, "GraphClr"],
              "augmentations": [{"name": "NodeDropping(0.2) + FeatureDropout(0.1)", "label": "nd+fd"}, "RandomChoice(Subgraph(0.2), AddEdges(0.1))"],
              "view1": "Identity",
              "encoder": "Gin(Pooling=Mean)",
              "batch_sizes": [128],
              "layers": [1],
              "hidden": [8]
            }
            """);
        var outDir = Path.Combine(temp, "sweep");
        var run = GraphSsl.Run("sweep", "--dataset", "synthetic", "--grid", grid, "--repeats", "1", "--epochs", "1", "--threads", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(outDir, "runs"), "*.json").Length);

        File.WriteAllText(grid, File.ReadAllText(grid).Replace("FeatureDropout(0.1)", "FeatureDropout(2)"));
        var bad = GraphSsl.Run("sweep", "--dataset", "synthetic", "--grid", grid, "--repeats", "1", "--epochs", "1", "--threads", "1", "--out", outDir + "-bad");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("P of FeatureDropout is out of range", bad.StdErr);
        Assert.Contains("^", bad.StdErr);
    }
}
