using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// The real program under bad input, a real SIGKILL in the middle of training, and the output-folder rule.
/// </summary>
public sealed class ReliabilityTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-rel-cli-");

    public void Dispose() => temp.Dispose();

    // ---------- bad input: exit code 2, file and line, no stack trace ----------

    /// <summary>A valid two-graph dataset BAD: graph 1 = nodes 1–3 (triangle), graph 2 = nodes 4–5 (one edge).</summary>
    static Dictionary<string, string> Valid() => new()
    {
        ["A"] = "1, 2\n2, 1\n2, 3\n3, 2\n1, 3\n3, 1\n4, 5\n5, 4\n",
        ["graph_indicator"] = "1\n1\n1\n2\n2\n",
        ["graph_labels"] = "1\n-1\n",
    };

    string WriteDataset(Dictionary<string, string> parts, string name = "BAD")
    {
        var dir = Path.Combine(temp, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        foreach (var (part, text) in parts) File.WriteAllText(Path.Combine(dir, $"{name}_{part}.txt"), text);
        return dir;
    }

    public static TheoryData<string, string, string, string, string> Malformed => new()
    {
        // case, part to replace, its text, expected file, expected "line N" (or "" for whole-file problems)
        { "node id out of range", "A", "1, 2\n2, 1\n2, 9\n", "BAD_A.txt", "line 3" },
        { "non-numeric node id", "A", "1, 2\n2, one\n", "BAD_A.txt", "line 2" },
        { "edge across graphs", "A", "1, 2\n2, 1\n3, 4\n", "BAD_A.txt", "line 3" },
        { "labels missing", "graph_labels", "1\n", "BAD_graph_labels.txt", "line 1" },
        { "empty graph (id skipped)", "graph_indicator", "1\n1\n1\n3\n3\n", "BAD_graph_indicator.txt", "line 4" },
        { "line counts disagree (node labels)", "node_labels", "0\n1\n0\n", "BAD_node_labels.txt", "line 3" },
        { "missing required file", "graph_labels", "<delete>", "BAD_graph_labels.txt", "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Inspect_refuses_a_malformed_dataset_with_file_line_and_exit_code_2(string @case, string part, string text, string file, string line)
    {
        var parts = Valid();
        if (text == "<delete>") parts.Remove(part); else parts[part] = text;
        var run = GraphSsl.Run("inspect", "--dataset", WriteDataset(parts));
        Assert.True(run.ExitCode == 2, $"{@case}: exit {run.ExitCode}\n{run.StdErr}");
        Assert.Contains(file, run.StdErr);
        if (line.Length > 0) Assert.Contains($"{file} {line}:", run.StdErr);
        Assert.StartsWith("error: ", run.StdErr.Split('\n').Last(l => l.Length > 0));
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.DoesNotContain("Exception", run.StdErr);
    }

    [Fact]
    public void Train_refuses_a_malformed_dataset_before_training_and_writes_nothing()
    {
        var parts = Valid();
        parts["A"] = "1, 2\n2, 1\n2, 9\n";
        var outDir = Path.Combine(temp, "never");
        var run = GraphSsl.Run("train", "--dataset", WriteDataset(parts), "--epochs", "1", "--out", outDir, "--evaluate", "false");
        Assert.True(run.ExitCode == 2, run.StdErr);
        Assert.Contains("BAD_A.txt line 3: node id 9 is out of range 1..5", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.False(File.Exists(Path.Combine(outDir, "metrics.json")));
    }

    [Fact]
    public void Inspect_loads_tolerated_quirks_and_reports_them_as_notes()
    {
        // BOM + CRLF in A, edges listed once, node 6 isolated (graph 2 = nodes 4–6), padded labels and
        // blank trailing lines. Expected: 2 graphs, 6 nodes, 3 undirected edges → 6 directed, 1 isolated.
        var dir = WriteDataset(new Dictionary<string, string>
        {
            ["A"] = "\uFEFF1, 2\r\n2, 3\r\n4, 5\r\n",
            ["graph_indicator"] = "1\n1\n1\n2\n2\n2\n",
            ["graph_labels"] = "  5 \n\t0\n\n\n",
        }, "TOL");
        var run = GraphSsl.Run("inspect", "--dataset", dir, "--json");
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var doc = JsonDocument.Parse(run.StdOut);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("graphs").GetInt32());
        Assert.Equal(6, root.GetProperty("nodes").GetInt32());
        Assert.Equal(6, root.GetProperty("directed_edges").GetInt32());
        Assert.Equal(1, root.GetProperty("isolated_nodes").GetInt32());
        var notes = string.Join("\n", root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains("symmetrised", notes);
        Assert.Contains("isolated node", notes);
        Assert.Contains("byte-order mark", notes);
        Assert.Contains("CRLF", notes);
        Assert.Contains("blank lines at the end", notes);

        // The human-readable table shows the notes too.
        var table = GraphSsl.Run("inspect", "--dataset", dir);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("symmetrised", table.StdOut);
    }

    // ---------- kill and resume ----------

    /// <summary>Starts graphssl without waiting; standard output and error are drained in the background.</summary>
    static Process Start(params string[] args) => GraphSsl.Start(args);

    static string[] TrainArgs(string outDir, string model = "GraphClr") =>
        ["train", "--dataset", "synthetic", "--model", model, "--epochs", "6", "--checkpoint-every", "1",
         "--out", outDir, "--evaluate", "false", "--seed", "3", "--set", "Encoder.Hidden=16"];

    [Theory]
    [InlineData("GraphClr")]
    // A user-declared stateful objective (Scenarios/OwnObjectiveAndView.cs: a queue of its own) resumes like the built-ins.
    [InlineData("MemoryModel")]
    public void A_run_killed_mid_training_resumes_to_the_same_losses_and_embeddings(string model)
    {
        // Uninterrupted reference run.
        var reference = Path.Combine(temp, "reference");
        var full = GraphSsl.Run(TrainArgs(reference, model));
        Assert.True(full.ExitCode == 0, full.StdErr);

        // Start the same run, wait for the first checkpoint, SIGKILL it.
        var killed = Path.Combine(temp, "killed");
        var checkpoint = Path.Combine(killed, "checkpoint", "checkpoint.bin");
        using (var process = Start(TrainArgs(killed, model)))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(20);
            Assert.True(File.Exists(checkpoint), "no checkpoint appeared (is TrainingState wired into the generated trainer?)");
            Assert.False(process.HasExited, "the run finished before it could be killed; the test proves nothing");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "metrics.json")), "killed run wrote metrics.json: it was not interrupted");

        // Resume to completion.
        var resumed = GraphSsl.Run([.. TrainArgs(killed, model), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.DoesNotContain("epoch    1/6", resumed.StdErr); // epoch 1 was restored, not rerun
        Assert.Contains("epoch    6/6", resumed.StdErr);

        Assert.Equal(Losses(reference), Losses(killed)); // bit for bit (JSON round-trips doubles exactly)
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "embeddings.csv")), File.ReadAllBytes(Path.Combine(killed, "embeddings.csv")));
        Assert.Empty(Directory.GetFiles(killed, "*.tmp", SearchOption.AllDirectories));
    }

    static double[] Losses(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        return doc.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    [Fact]
    public void Resuming_with_different_options_leaves_the_checkpoint_untouched()
    {
        var dir = Path.Combine(temp, "mismatch");
        var first = GraphSsl.Run("train", "--epochs", "1", "--checkpoint-every", "2", "--out", dir, "--evaluate", "false", "--seed", "3", "--set", "Encoder.Hidden=16");
        Assert.True(first.ExitCode == 0, first.StdErr);
        var file = Path.Combine(dir, "checkpoint", "checkpoint.bin");
        var bytes = File.ReadAllBytes(file);
        var second = GraphSsl.Run("train", "--epochs", "2", "--resume", "--out", dir, "--evaluate", "false", "--seed", "4", "--set", "Encoder.Hidden=16");
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("different run", second.StdErr);
        Assert.DoesNotContain("   at ", second.StdErr);
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void Checkpoint_every_1_alone_writes_a_checkpoint()
    {
        // `--checkpoint-every N` turns checkpoints on (default folder <out>/checkpoint), including N = 1,
        // which is also the option's default value once checkpoints are on.
        var dir = Path.Combine(temp, "every1");
        var run = GraphSsl.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", dir, "--evaluate", "false", "--set", "Encoder.Hidden=16");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoint", "checkpoint.bin")), "`--checkpoint-every 1` wrote no checkpoint");
    }

    // ---------- output paths ----------

    /// <summary>RunFiles from the built program, loaded by reflection (the test project does not reference it).</summary>
    static (Type RunFiles, Type UserError) CliTypes()
    {
        var bin = Path.GetDirectoryName(GraphSsl.DllPath)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(bin, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(GraphSsl.DllPath);
        return (assembly.GetType("GraphSSL.Cli.Output.RunFiles", throwOnError: true)!, assembly.GetType("GraphSSL.Cli.UserErrorException", throwOnError: true)!);
    }

    [Fact]
    public void Run_files_refuse_every_path_that_leaves_the_output_directory()
    {
        var (runFilesType, userError) = CliTypes();
        var outDir = Path.Combine(temp, "out");
        var files = Activator.CreateInstance(runFilesType, outDir)!;
        var pathOf = runFilesType.GetMethod("PathOf")!;
        string PathOf(string name)
        {
            try { return (string)pathOf.Invoke(files, [name])!; }
            catch (System.Reflection.TargetInvocationException e) { throw e.InnerException!; }
        }

        Assert.Equal(Path.Combine(outDir, "metrics.json"), PathOf("metrics.json"));
        Assert.Equal(Path.Combine(outDir, "checkpoint"), PathOf("checkpoint"));
        foreach (var bad in new[] { "../x", "a/../../x", "/etc/passwd", Path.Combine(temp, "elsewhere.json"), "..", ".", "", "../out-evil/x" })
        {
            var e = Assert.ThrowsAny<Exception>(() => PathOf(bad));
            Assert.True(e.GetType() == userError, $"'{bad}': {e.GetType().Name}: {e.Message}");
        }
    }

    [Fact]
    public void Run_files_replace_a_planted_symlink_instead_of_writing_through_it()
    {
        // metrics.json inside the output folder is a symlink to a file outside it. Writing goes to a
        // temporary file that is renamed over the name, so the link itself is replaced and the outside
        // file keeps its content.
        var (runFilesType, _) = CliTypes();
        var outDir = Path.Combine(temp, "linked");
        var files = Activator.CreateInstance(runFilesType, outDir)!;
        var victim = Path.Combine(temp, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(Path.Combine(outDir, "metrics.json"), victim);

        var write = runFilesType.GetMethod("Write")!;
        write.Invoke(files, ["metrics.json", (Action<Stream>)(s => s.Write("{}"u8))]);

        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(outDir, "metrics.json")).LinkTarget);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(outDir, "metrics.json")));
    }
}
