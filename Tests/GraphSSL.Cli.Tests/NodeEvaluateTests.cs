using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// <c>graphssl evaluate</c> on node embeddings (a node-level run's embeddings.npy) with either node probe, and its refusals
/// (CiteSeer from ../shared/datasets/Planetoid; skipped visibly when absent).
/// </summary>
public sealed class NodeEvaluateTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-cli-node-evaluate-");

    public void Dispose() => temp.Dispose();

    /// <summary>CiteSeer node embeddings of a one-epoch CCA-SSG encoder (no probe), written by <c>train</c>.</summary>
    string Embeddings(string root)
    {
        var outDir = Path.Combine(temp, "train");
        var run = GraphSsl.Run("train", "--model", "CcaSsgNode", "--dataset", "CiteSeer", "--data-dir", root, "--epochs", "1", "--evaluate", "false",
            "--threads", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        return Path.Combine(outDir, "embeddings.npy");
    }

    [SkippableFact]
    public void The_early_stopped_probe_scores_saved_node_embeddings_deterministically_with_the_epoch_it_kept()
    {
        var root = SharedData.RequirePlanetoid("citeseer");
        var npy = Embeddings(root);
        string[] args = ["evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "early-stopped",
            "--probe-epochs", "40", "--probe-seeds", "2", "--probe-weight-decay", "0.01", "--json"];
        var run = GraphSsl.Run(args);
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var doc = JsonDocument.Parse(run.StdOut);
        var r = doc.RootElement;
        Assert.Equal(3327, r.GetProperty("nodes").GetInt32());
        Assert.Equal(2, r.GetProperty("probe_seeds").GetInt32());
        Assert.Contains("weight decay 0.01), 40 epochs", r.GetProperty("probe").GetString());
        Assert.All(r.GetProperty("chosen_epochs").EnumerateArray(), e => Assert.InRange(e.GetInt32(), 1, 40));
        // Six classes: a one-epoch encoder of CiteSeer's words is far above chance (16.7 %).
        Assert.InRange(r.GetProperty("test_mean").GetDouble(), 30, 100);
        Assert.Equal(run.StdOut, GraphSsl.Run(args).StdOut);

        var logistic = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe-seeds", "1");
        Assert.True(logistic.ExitCode == 0, logistic.StdErr);
        Assert.Contains("probe: logistic regression, C chosen on validation, 1 probe seeds", logistic.StdOut);
        Assert.Contains("chosen on validation: ", logistic.StdOut);
        Assert.DoesNotContain("public split is not used", logistic.StdOut);

        // GRACE's probe: its own random 10 % / 90 % split, 3 splits by default, C from its grid 2^-10 … 2^9.
        string[] grace = ["evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "random-split", "--json"];
        var random = GraphSsl.Run(grace);
        Assert.True(random.ExitCode == 0, random.StdErr);
        using var rdoc = JsonDocument.Parse(random.StdOut);
        var rr = rdoc.RootElement;
        Assert.Equal(3, rr.GetProperty("probe_seeds").GetInt32());
        Assert.StartsWith("random 10 % / 90 % split of all nodes", rr.GetProperty("probe").GetString());
        var grid = Enumerable.Range(-10, 20).Select(e => Math.Pow(2, e)).ToArray();
        Assert.All(rr.GetProperty("chosen_c").EnumerateArray(), c => Assert.Contains(c.GetDouble(), grid));
        Assert.InRange(rr.GetProperty("test_mean").GetDouble(), 30, 100);
        Assert.Equal(random.StdOut, GraphSsl.Run(grace).StdOut);
        var text = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "random-split", "--probe-seeds", "1");
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("1 probe seeds", text.StdOut);
        Assert.Contains("the public split is not used", text.StdOut);

        // GRACE's probe on the public split (DGL's port): the public training nodes, C by CV on them, the public test nodes; one result.
        string[] cv = ["evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "public-split-cv", "--json"];
        var fixedSplit = GraphSsl.Run(cv);
        Assert.True(fixedSplit.ExitCode == 0, fixedSplit.StdErr);
        using var cdoc = JsonDocument.Parse(fixedSplit.StdOut);
        var cr = cdoc.RootElement;
        Assert.Equal(1, cr.GetProperty("probe_seeds").GetInt32());
        Assert.StartsWith("public split; GRACE's eval.py with split='public'", cr.GetProperty("probe").GetString());
        Assert.Contains(Assert.Single(cr.GetProperty("chosen_c").EnumerateArray().ToArray()).GetDouble(), grid);
        // 1,000 test nodes scored once: the accuracy is a whole number of tenths of a percent.
        double cvTest = cr.GetProperty("test_mean").GetDouble();
        Assert.InRange(cvTest, 30, 100);
        Assert.Equal(Math.Round(cvTest * 10), cvTest * 10, 6);
        Assert.Equal(fixedSplit.StdOut, GraphSsl.Run(cv).StdOut);
        var cvText = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "public-split-cv");
        Assert.True(cvText.ExitCode == 0, cvText.StdErr);
        Assert.Contains("(the validation nodes are not used: its 'validation' is the chosen C's cross-validation score)", cvText.StdOut);
        Assert.Contains("chosen by cross-validation on the training nodes: ", cvText.StdOut);
        var cvSeeds = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--probe", "public-split-cv", "--probe-seeds", "3");
        Assert.Equal(2, cvSeeds.ExitCode);
        Assert.Contains("--probe-seeds does not apply to --probe public-split-cv", cvSeeds.StdErr);
    }

    [SkippableFact]
    public void Node_embeddings_of_another_dataset_a_truncated_file_and_a_missing_dataset_are_refused_with_exit_2()
    {
        var root = SharedData.RequirePlanetoid("citeseer");
        SharedData.RequirePlanetoid("cora");
        var npy = Embeddings(root);

        var noDataset = GraphSsl.Run("evaluate", "--embeddings", npy);
        Assert.Equal(2, noDataset.ExitCode);
        Assert.Contains("need --dataset", noDataset.StdErr);

        var other = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "Cora", "--data-dir", root);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("3327 rows but Cora has 2708 nodes", other.StdErr);

        var bytes = File.ReadAllBytes(npy);
        var truncated = Path.Combine(temp, "truncated.npy");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 7)]);
        var cut = GraphSsl.Run("evaluate", "--embeddings", truncated, "--dataset", "CiteSeer", "--data-dir", root);
        Assert.Equal(2, cut.ExitCode);
        Assert.Contains(truncated, cut.StdErr);
        Assert.Contains("(byte 128)", cut.StdErr); // where the data starts: the header is padded to 128 bytes
        Assert.DoesNotContain("   at ", cut.StdErr);

        var notNpy = Path.Combine(temp, "text.npy");
        File.WriteAllText(notNpy, "graph_id,label,e0\n");
        var magic = GraphSsl.Run("evaluate", "--embeddings", notNpy, "--dataset", "CiteSeer", "--data-dir", root);
        Assert.Equal(2, magic.ExitCode);
        Assert.Contains("(byte 0): no NumPy magic string", magic.StdErr);

        var csv = Path.Combine(temp, "graphs.csv");
        File.WriteAllText(csv, "graph_id,label,e0\n0,1,0.5\n1,0,0.25\n");
        var graphLevel = GraphSsl.Run("evaluate", "--embeddings", csv, "--dataset", "CiteSeer");
        Assert.Equal(2, graphLevel.ExitCode);
        Assert.Contains("--dataset: for node embeddings (.npy) only", graphLevel.StdErr);
        var probeOnCsv = GraphSsl.Run("evaluate", "--embeddings", csv, "--probe", "early-stopped", "--probe-epochs", "5");
        Assert.Equal(2, probeOnCsv.ExitCode);
        Assert.Contains("--probe, --probe-epochs: for node embeddings (.npy) only", probeOnCsv.StdErr);

        // Graph-level options would be ignored for node embeddings: refused, naming each one given.
        var graphOptions = GraphSsl.Run("evaluate", "--embeddings", npy, "--dataset", "CiteSeer", "--data-dir", root, "--protocol", "study", "--evaluator", "logreg");
        Assert.Equal(2, graphOptions.ExitCode);
        Assert.Contains("--protocol, --evaluator: for graph embeddings (.csv) only", graphOptions.StdErr);
    }
}
