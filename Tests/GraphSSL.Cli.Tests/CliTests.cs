using System.Text.Json;

namespace GraphSSL.Cli.Tests;

public sealed class CliTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-cli-");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void List_json_names_every_declaration_with_its_objective_and_defaults()
    {
        var run = GraphSsl.Run("list", "--json");
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.StdOut);
        var model = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "GraphClr");
        Assert.Equal("model", model.GetProperty("kind").GetString());
        Assert.Equal("NtXent", model.GetProperty("objective").GetString());
        Assert.Equal(new[] { "MolGin", "IAugmentation", "NtXent" }, model.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        // The objective is a declaration of its own (a built-in of GraphSSL.Runtime) with its defaults.
        var ntXent = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "NtXent");
        Assert.Equal("objective", ntXent.GetProperty("kind").GetString());
        var temperature = ntXent.GetProperty("hyper_parameters").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "Temperature");
        Assert.Equal("0.2", temperature.GetProperty("default").GetString());
        // The methods that do not fit two augmented graphs are models like the others.
        foreach (var (name, objective) in new[] { ("GraphMaeModel", "GraphMae"), ("SimGraceModel", "NtXent"), ("InfoGraphModel", "InfoGraph") })
            Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("name").GetString() == name && e.GetProperty("kind").GetString() == "model"
                && e.GetProperty("objective").GetString() == objective);
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("name").GetString() == "PerturbWeights" && e.GetProperty("kind").GetString() == "augmentation");
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("name").GetString() == "DropNodes" && e.GetProperty("kind").GetString() == "augmentation");
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("name").GetString() == "MolGin" && e.GetProperty("kind").GetString() == "encoder");
    }

    [Theory]
    [InlineData("train --nosuch 3", "graphssl train --help", "--nosuch")]
    [InlineData("embed --dataset synthetic", "graphssl embed --help", "--encoder")]
    [InlineData("reproduce", "graphssl reproduce --help", "reproduce")]
    [InlineData("train --epochs many", "graphssl train --help", "many")]
    [InlineData("nosuchcommand", "graphssl --help", "nosuchcommand")]
    public void Parse_errors_are_user_errors_with_exit_2(string args, string usage, string named)
    {
        var run = GraphSsl.Run(args.Split(' '));
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.StdErr}");
        Assert.StartsWith("error: ", run.StdErr);
        Assert.Contains(named, run.StdErr);
        Assert.Contains($"Run '{usage}' for usage.", run.StdErr);
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public void Inspect_reports_the_built_in_dataset()
    {
        var run = GraphSsl.Run("inspect", "--dataset", "synthetic", "--json");
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.StdOut);
        Assert.True(doc.RootElement.GetProperty("graphs").GetInt32() > 0);
        Assert.True(doc.RootElement.GetProperty("classes").GetInt32() >= 2);
    }

    [Fact]
    public void Train_writes_metrics_embeddings_and_numpy_files()
    {
        var outDir = Path.Combine(temp, "run");
        var run = GraphSsl.Run("train", "--dataset", "synthetic", "--epochs", "2", "--batch", "64", "--seed", "3",
            "--out", outDir, "--evaluate", "false", "--set", "Encoder.Hidden=16");
        Assert.True(run.ExitCode == 0, run.StdErr);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        Assert.Equal(2, metrics.RootElement.GetProperty("losses").GetArrayLength());
        Assert.Equal("16", metrics.RootElement.GetProperty("hyperparameters").GetProperty("Encoder.Hidden").GetString());
        var graphs = metrics.RootElement.GetProperty("graphs").GetInt32();
        var dim = metrics.RootElement.GetProperty("embedding_dim").GetInt32();
        Assert.Equal(16 * 3, dim);

        var lines = File.ReadAllLines(Path.Combine(outDir, "embeddings.csv"));
        Assert.Equal(graphs + 1, lines.Length);
        Assert.StartsWith("graph_id,label,e0,e1,", lines[0]);
        Assert.Equal(dim + 2, lines[1].Split(',').Length);

        var npy = File.ReadAllBytes(Path.Combine(outDir, "embeddings.npy"));
        Assert.Equal(0x93, npy[0]);
        var headerLength = BitConverter.ToUInt16(npy, 8);
        var header = System.Text.Encoding.ASCII.GetString(npy, 10, headerLength);
        Assert.Contains($"'shape': ({graphs}, {dim})", header);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(10 + headerLength + graphs * dim * 4, npy.Length);
        Assert.True(File.Exists(Path.Combine(outDir, "loss.png")));
    }

    [Fact]
    public void Train_reports_trained_against_untrained_accuracy()
    {
        var outDir = Path.Combine(temp, "eval");
        var run = GraphSsl.Run("train", "--epochs", "3", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("untrained encoder", run.StdOut);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.Equal("standard", evaluation.GetProperty("protocol").GetString());
        Assert.Equal(10, evaluation.GetProperty("trained").GetProperty("fold_accuracies").GetArrayLength());
    }

    [Fact]
    public void A_malformed_dataset_is_refused_with_file_and_line_and_exit_code_2()
    {
        var dir = Path.Combine(temp, "BROKEN");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "BROKEN_A.txt"), "1, 2\n2, 1\n2, x\n");
        File.WriteAllText(Path.Combine(dir, "BROKEN_graph_indicator.txt"), "1\n1\n");
        File.WriteAllText(Path.Combine(dir, "BROKEN_graph_labels.txt"), "1\n");
        var run = GraphSsl.Run("inspect", "--dataset", dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BROKEN_A.txt", run.StdErr);
        Assert.Contains("line 3", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
    }

    [Fact]
    public void Unknown_model_lists_the_declared_ones()
    {
        var run = GraphSsl.Run("train", "--model", "NoSuchModel", "--epochs", "1", "--out", Path.Combine(temp, "x"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("GraphClr", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
    }

    [Fact]
    public void A_missing_dataset_says_where_it_looked()
    {
        var run = GraphSsl.Run("inspect", "--dataset", "NOSUCHSET", "--data-dir", temp);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(temp, run.StdErr);
        Assert.Contains("downloads are turned off (GRAPHSSL_OFFLINE is set)", run.StdErr); // the tests never touch the network
        Assert.DoesNotContain("   at ", run.StdErr);
    }
}
