using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary><c>graphssl inspect</c> on the Planetoid node-classification datasets (../shared/datasets/Planetoid; skipped when absent).</summary>
public sealed class PlanetoidInspectTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-cli-planetoid-");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public void Inspect_reports_Cora_counts_and_split_as_json()
    {
        var root = SharedData.RequirePlanetoid("cora");
        var run = GraphSsl.Run("inspect", "--dataset", "Cora", "--data-dir", root, "--json");
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var doc = JsonDocument.Parse(run.StdOut);
        var s = doc.RootElement;
        Assert.Equal("Cora", s.GetProperty("name").GetString());
        Assert.Equal(2708, s.GetProperty("nodes").GetInt32());
        Assert.Equal(5278, s.GetProperty("undirected_edges").GetInt32());
        Assert.Equal(7, s.GetProperty("classes").GetInt32());
        Assert.Equal(1433, s.GetProperty("feature_dim").GetInt32());
        Assert.Equal(0, s.GetProperty("isolated_nodes").GetInt32());
        Assert.Equal(140, s.GetProperty("train_nodes").GetInt32());
        Assert.Equal(500, s.GetProperty("validation_nodes").GetInt32());
        Assert.Equal(1000, s.GetProperty("test_nodes").GetInt32());
        Assert.Contains(Path.Combine(root, "cora"), run.StdErr); // where it loaded from
    }

    [SkippableFact]
    public void Train_applies_the_node_recipe_and_the_command_line_wins_for_epochs_and_weight_decay()
    {
        var root = SharedData.RequirePlanetoid("cora");
        double WeightDecay(params string[] extra)
        {
            var run = GraphSsl.Run(["train", "--model", "GraceNode", "--dataset", "Cora", "--data-dir", root, "--epochs", "1", "--threads", "1",
                "--evaluate", "false", "--json", "--out", Path.Combine(temp, "grace" + extra.Length), .. extra]);
            Assert.True(run.ExitCode == 0, run.StdErr);
            using var doc = JsonDocument.Parse(run.StdOut);
            var options = doc.RootElement.GetProperty("options");
            Assert.Equal(1, options.GetProperty("epochs").GetInt32()); // --epochs 1 beats the recipe's 200
            Assert.Equal(0.0005, options.GetProperty("learning_rate").GetDouble()); // the recipe's (CRIPAC-DIG/GRACE config.yaml)
            return options.GetProperty("weight_decay").GetDouble();
        }
        Assert.Equal(1e-5, WeightDecay());
        Assert.Equal(0.25, WeightDecay("--weight-decay", "0.25"));
    }

    [SkippableFact]
    public void Reproduce_runs_a_node_recipe_beside_its_untrained_twin_keeps_finished_seeds_and_refuses_unknown_recipes()
    {
        var root = SharedData.RequirePlanetoid("citeseer");
        var outDir = Path.Combine(temp, "ccassg");
        string[] args = ["reproduce", "ccassg", "--dataset", "CiteSeer", "--data-dir", root, "--seeds", "1", "--threads", "1", "--out", outDir];
        var run = GraphSsl.Run(args);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("ccassg on CiteSeer, 1 seeds: trained", run.StdOut);
        Assert.Contains("published 73.1", run.StdOut);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("| untrained twin", summary);
        Assert.Contains("Verdict: **", summary);
        Assert.Contains("Only 1 of the 5 pre-training seeds", summary);
        var rows = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(2, rows.Length);
        var cells = rows[1].Split(',');
        double trained = double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture);
        double untrained = double.Parse(cells[8], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(trained, 0, 100);
        Assert.InRange(untrained, 0, 100);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.png")));

        // A second run keeps the finished seed instead of training again, and reports the same numbers.
        var again = GraphSsl.Run(args);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("seed 0: kept from seeds/seed0.json", again.StdErr);
        Assert.Equal(rows, File.ReadAllLines(Path.Combine(outDir, "results.csv")));

        // A record of other settings (here: as if the recipe had changed since) is trained again, not kept.
        var recordPath = Path.Combine(outDir, "seeds", "seed0.json");
        var record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        var settingsKey = record.Select(p => p.Key).Single(k => string.Equals(k, "settings", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Objective.Lambda=0.0005", (string)record[settingsKey]!);
        record[settingsKey] = "Objective.Lambda=1; 20 epochs; lr 0.001 constant; wd 0";
        File.WriteAllText(recordPath, record.ToJsonString());
        var changed = GraphSsl.Run(args);
        Assert.True(changed.ExitCode == 0, changed.StdErr);
        Assert.DoesNotContain("kept from", changed.StdErr);
        Assert.Contains("was trained with other settings (Objective.Lambda=1;", changed.StdErr);
        Assert.Contains("Objective.Lambda=0.0005", File.ReadAllText(recordPath));

        // So is a record that does not say what it was trained with.
        record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        record.Remove(settingsKey);
        File.WriteAllText(recordPath, record.ToJsonString());
        var unrecorded = GraphSsl.Run(args);
        Assert.True(unrecorded.ExitCode == 0, unrecorded.StdErr);
        Assert.Contains("was trained with unrecorded settings", unrecorded.StdErr);
        Assert.Contains("Objective.Lambda=0.0005", File.ReadAllText(recordPath));

        // And one probed by another protocol than the recipe's (CCA-SSG's is ours: a record of the early-stopped probe is not kept).
        record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        record["probe"] = "public split; linear layer by Adam (lr 0.01, weight decay 0.0001), 300 epochs, the epoch of best validation accuracy";
        File.WriteAllText(recordPath, record.ToJsonString());
        var reprobed = GraphSsl.Run(args);
        Assert.True(reprobed.ExitCode == 0, reprobed.StdErr);
        Assert.Contains("was probed by another protocol (linear layer by Adam", reprobed.StdErr);
        Assert.DoesNotContain("\"probe\"", File.ReadAllText(recordPath));

        // And one made by another version of the recipe (a fix in the code it runs changes the version, not the settings).
        record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        Assert.Equal(1, (int)record["version"]!);
        record["version"] = 2;
        File.WriteAllText(recordPath, record.ToJsonString());
        var otherVersion = GraphSsl.Run(args);
        Assert.True(otherVersion.ExitCode == 0, otherVersion.StdErr);
        Assert.Contains("was made by recipe version 2, not 1", otherVersion.StdErr);
        Assert.Equal(1, (int)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(recordPath))!["version"]!);

        var unknown = GraphSsl.Run("reproduce", "nosuch", "--dataset", "Cora", "--data-dir", root);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("grace (Cora)", unknown.StdErr);
    }

    /// <summary>
    /// <c>reproduce RECIPE --dataset Cora --seeds 1</c> into a fresh folder holding only the committed seed-0 record of
    /// docs/results/reproduce/RECIPE-Cora (so nothing trains: the record is kept and reported); asserts exit 0.
    /// </summary>
    (ProcessResult Run, string OutDir, string Committed) ReproduceFromCommittedSeed0(string recipe)
    {
        var root = SharedData.RequirePlanetoid("cora");
        var outDir = Path.Combine(temp, recipe);
        Directory.CreateDirectory(Path.Combine(outDir, "seeds"));
        var committed = Repository.Path("docs", "results", "reproduce", $"{recipe}-Cora", "seeds", "seed0.json");
        File.Copy(committed, Path.Combine(outDir, "seeds", "seed0.json"));
        var run = GraphSsl.Run("reproduce", recipe, "--dataset", "Cora", "--data-dir", root, "--seeds", "1", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        return (run, outDir, committed);
    }

    [SkippableFact]
    public void A_GRACE_reproduction_reports_GRACEs_own_probe_against_its_own_number_and_ours_against_the_public_split_figure()
    {
        // A committed seed record of the grace recipe (docs/results/reproduce/grace-Cora) is kept as it is: no training, only
        // the report, which must put GRACE's random-split probe against GRACE's 83.3 and ours against the tabulated 81.7.
        var (run, outDir, committed) = ReproduceFromCommittedSeed0("grace");
        Assert.Contains("seed 0: kept from seeds/seed0.json", run.StdErr);
        Assert.Contains("published 83.3", run.StdOut);
        Assert.Contains("our logistic probe: trained", run.StdOut);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("The authors' probe — random 10 % / 90 % split of all nodes", summary);
        Assert.Contains("the public split is not used by it", summary);
        Assert.Contains("| published (the authors', under their probe) | 83.3 ± 0.4 |", summary);
        Assert.Contains("| published, public split (as tabulated in the GraphMAE and MA-GCL papers) | 81.7 |", summary);
        Assert.Contains("Our probe on the public split against the tabulated 81.7: ", summary);
        Assert.Contains("| seed | trained | validation | untrained | C chosen |", summary);
        Assert.Equal(File.ReadAllText(committed), File.ReadAllText(Path.Combine(outDir, "seeds", "seed0.json"))); // kept, not rewritten
    }

    [SkippableFact]
    public void A_GRACE_public_split_reproduction_reports_GRACEs_probe_on_the_public_split_against_the_tabulated_figure()
    {
        // The committed seed-0 record of grace-public (docs/results/reproduce/grace-public-Cora) is kept: no training. Its probe is
        // GRACE's eval.py on the public split (C by CV on the training nodes), compared with the tabulated 81.7 directly.
        var (run, outDir, committed) = ReproduceFromCommittedSeed0("grace-public");
        Assert.Contains("recipe grace-public, version 1: dmlc/dgl examples/pytorch/grace README.md lines 59, 76, 90", run.StdErr);
        Assert.Contains("seed 0: kept from seeds/seed0.json", run.StdErr);
        Assert.Contains("published 81.7", run.StdOut);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("the authors' probe — GRACE's eval.py with split='public'", summary);
        Assert.Contains("by 5-fold CV on the training nodes (the validation nodes are not used: its 'validation' is the chosen C's cross-validation score)", summary);
        Assert.Contains("| published | 81.7 |", summary);
        Assert.DoesNotContain("the public split is not used", summary);
        Assert.Equal(File.ReadAllText(committed), File.ReadAllText(Path.Combine(outDir, "seeds", "seed0.json")));

        // `train --model GraceNode` still takes GRACE's own recipe: grace-public is reached by its name only.
        var train = GraphSsl.Run("train", "--model", "GraceNode", "--dataset", "Cora", "--data-dir", SharedData.RequirePlanetoid("cora"), "--epochs", "1",
            "--threads", "1", "--evaluate", "false", "--out", Path.Combine(temp, "grace-own"));
        Assert.True(train.ExitCode == 0, train.StdErr);
        Assert.Contains("CRIPAC-DIG/GRACE config.yaml lines 1-15", train.StdErr);
    }

    [SkippableFact]
    public void The_committed_GraphMAE_Cora_record_is_of_recipe_version_2_and_kept()
    {
        // GraphMAE's node recipes are version 2 (after the Losses.Unit fix); the committed records say so and are kept without
        // training. The records made before the fix (reproduce/before-unit-fix) have no version, i.e. 1, and would be trained again.
        var (run, outDir, _) = ReproduceFromCommittedSeed0("graphmae");
        Assert.Contains("recipe graphmae, version 2:", run.StdErr);
        Assert.Contains("seed 0: kept from seeds/seed0.json", run.StdErr);
        Assert.Contains("— recipe graphmae, version 2", File.ReadAllText(Path.Combine(outDir, "summary.md")));
        var old = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(
            Repository.Path("docs", "results", "reproduce", "before-unit-fix", "graphmae-Cora", "seeds", "seed0.json")))!.AsObject();
        Assert.False(old.ContainsKey("version"));
    }

    [SkippableFact]
    public void Node_level_train_draws_its_loss_curve_checkpoints_into_its_out_folder_and_resumes_from_there()
    {
        // --checkpoint-every / --resume without --checkpoint-dir mean <out>/checkpoint, as for graph-level models.
        var root = SharedData.RequirePlanetoid("cora");
        var outDir = Path.Combine(temp, "dgi");
        string[] Train(int epochs) => ["train", "--model", "DgiNode", "--dataset", "Cora", "--data-dir", root, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--threads", "1", "--evaluate", "false", "--out", outDir];
        var first = GraphSsl.Run([.. Train(2), "--checkpoint-every", "1"]);
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.True(File.Exists(Path.Combine(outDir, "checkpoint", "checkpoint.bin")), first.StdErr);
        var png = File.ReadAllBytes(Path.Combine(outDir, "loss.png")); // as graph-level train, and as train's help says
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("loss.png", first.StdOut);

        var resumed = GraphSsl.Run([.. Train(3), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.Contains($"Resuming from the checkpoint in {Path.Combine(outDir, "checkpoint")}", resumed.StdErr);
        Assert.DoesNotContain("epoch     1/3", resumed.StdErr);
        Assert.Contains("epoch     3/3", resumed.StdErr);
    }

    [SkippableFact]
    public void Inspect_shows_CiteSeer_isolated_nodes_and_filled_in_test_ids_in_the_table()
    {
        var root = SharedData.RequirePlanetoid("citeseer");
        var run = GraphSsl.Run("inspect", "--dataset", "citeseer", "--data-dir", root);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Matches(@"IsolatedNodes\s+48", run.StdOut);
        Assert.Matches(@"UndirectedEdges\s+4552", run.StdOut);
        Assert.Matches(@"TrainNodes\s+120", run.StdOut);
        Assert.Contains("have no test row", run.StdOut);
    }

    [Fact]
    public void A_missing_planetoid_dataset_says_where_it_looked_and_exits_2()
    {
        var run = GraphSsl.Run("inspect", "--dataset", "Cora", "--data-dir", temp);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(temp, run.StdErr);
        Assert.Contains("ind.cora.", run.StdErr);
        Assert.Contains("ind.cora.x failed: downloads are turned off (GRAPHSSL_OFFLINE is set)", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
    }
}
