using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// The real program against corrupt and foreign checkpoints, a disk that fills up (a tmpfs of a few MB,
/// needs root; skipped visibly otherwise) and a device memory limit.
/// </summary>
public sealed class FaultTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-faults-cli-");

    public void Dispose() => temp.Dispose();

    static string[] Train(string outDir, int epochs, params string[] extra) =>
        ["train", "--dataset", "synthetic", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--checkpoint-every", "1",
         "--out", outDir, "--evaluate", "false", "--seed", "3", "--threads", "1", "--set", "Encoder.Hidden=16", .. extra];

    static void AssertOneCleanError(ProcessResult run, int exitCode, string expected)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}\n{run.StdErr}");
        // One "error: " line, possibly followed by indented detail lines (a mismatch lists both runs).
        var lines = run.StdErr.Split('\n').Where(l => l.Length > 0).ToList();
        int error = lines.FindLastIndex(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.True(error >= 0, "no error: line\n" + run.StdErr);
        Assert.All(lines.Skip(error + 1), l => Assert.StartsWith("  ", l));
        Assert.Contains(expected, run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.DoesNotContain("Unhandled exception", run.StdErr);
    }

    static double[] Losses(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        return doc.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    // ---------- corrupt and foreign checkpoints ----------

    /// <summary>Damage done to a good checkpoint, and a phrase the refusal must contain.</summary>
    public static TheoryData<string, string> Damage => new()
    {
        { "flip a byte in the middle", "damaged (checksum mismatch" },
        { "flip a byte of the hash", "damaged (checksum mismatch" },
        { "cut in half", "damaged (checksum mismatch" },
        { "cut to 20 bytes", "cut short (20 bytes)" },
        { "empty file", "is not a GraphSSL checkpoint" },
        { "text instead", "is not a GraphSSL checkpoint" },
        { "another library version", "differs:    library: GraphSSL.Runtime 9.9.9" },
        { "format 2", "format 2; this version reads format 3" },
    };

    static byte[] Rehash(byte[] body) => [.. body, .. SHA256.HashData(body)];

    static byte[] Apply(string damage, byte[] good) => damage switch
    {
        "flip a byte in the middle" => Flip(good, good.Length / 2),
        "flip a byte of the hash" => Flip(good, good.Length - 1),
        "cut in half" => good[..(good.Length / 2)],
        "cut to 20 bytes" => good[..20],
        "empty file" => [],
        "text instead" => "not a checkpoint\n"u8.ToArray(),
        // A whole, hashed checkpoint whose fingerprint names another GraphSSL.Runtime (same length: no re-encoding of the length prefix).
        "another library version" => Rehash(OtherVersion(good[..^32])),
        "format 2" => Rehash(SetVersion(good[..^32], 2)),
        _ => throw new ArgumentOutOfRangeException(nameof(damage)),
    };

    static byte[] Flip(byte[] bytes, int at) { var copy = (byte[])bytes.Clone(); copy[at] ^= 0x5A; return copy; }

    static byte[] SetVersion(byte[] body, int version) { var copy = (byte[])body.Clone(); BitConverter.GetBytes(version).CopyTo(copy, 9); return copy; }

    /// <summary>The fingerprint's "GraphSSL.Runtime 0.1.0," with every digit of the version made a 9 (same length, so the string's length prefix stays right).</summary>
    static byte[] OtherVersion(byte[] bytes)
    {
        var name = "GraphSSL.Runtime "u8.ToArray();
        int at = bytes.AsSpan().IndexOf(name);
        Assert.True(at >= 0, "no library version in the checkpoint");
        var copy = (byte[])bytes.Clone();
        for (int i = at + name.Length; copy[i] != (byte)','; i++)
            if (copy[i] is >= (byte)'0' and <= (byte)'9') copy[i] = (byte)'9';
        return copy;
    }

    [Theory]
    [MemberData(nameof(Damage))]
    public void Resume_from_a_damaged_or_foreign_checkpoint_fails_with_exit_2_and_never_starts_over(string damage, string expected)
    {
        var dir = Path.Combine(temp, "run");
        var first = GraphSsl.Run(Train(dir, 1));
        Assert.True(first.ExitCode == 0, first.StdErr);
        var checkpoint = Path.Combine(dir, "checkpoint", "checkpoint.bin");
        var metrics = File.ReadAllBytes(Path.Combine(dir, "metrics.json"));
        var embeddings = File.ReadAllBytes(Path.Combine(dir, "embeddings.csv"));
        var bad = Apply(damage, File.ReadAllBytes(checkpoint));
        File.WriteAllBytes(checkpoint, bad);

        var resumed = GraphSsl.Run([.. Train(dir, 3), "--resume"]);
        AssertOneCleanError(resumed, 2, expected);
        Assert.Contains(checkpoint, resumed.StdErr);
        // Not a single epoch trained, nothing rewritten: the damaged file is kept for inspection, and the
        // finished outputs of the first run are still the first run's.
        Assert.DoesNotContain("epoch    1/3", resumed.StdErr);
        Assert.DoesNotContain("starting from epoch 1", resumed.StdErr);
        Assert.Equal(bad, File.ReadAllBytes(checkpoint));
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(dir, "metrics.json")));
        Assert.Equal(embeddings, File.ReadAllBytes(Path.Combine(dir, "embeddings.csv")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Resume_with_a_checkpoint_of_another_dataset_or_model_names_what_differs()
    {
        var dir = Path.Combine(temp, "foreign");
        Assert.Equal(0, GraphSsl.Run(Train(dir, 1)).ExitCode);
        var checkpoint = File.ReadAllBytes(Path.Combine(dir, "checkpoint", "checkpoint.bin"));

        // Another dataset: a two-class TU folder with 6 graphs.
        var tu = Path.Combine(temp, "SIX");
        Directory.CreateDirectory(tu);
        File.WriteAllText(Path.Combine(tu, "SIX_A.txt"), string.Concat(Enumerable.Range(0, 6).Select(g => $"{2 * g + 1}, {2 * g + 2}\n{2 * g + 2}, {2 * g + 1}\n")));
        File.WriteAllText(Path.Combine(tu, "SIX_graph_indicator.txt"), string.Concat(Enumerable.Range(1, 6).Select(g => $"{g}\n{g}\n")));
        File.WriteAllText(Path.Combine(tu, "SIX_graph_labels.txt"), "1\n1\n1\n2\n2\n2\n");
        var otherData = GraphSsl.Run([.. Train(dir, 2).Select(a => a == "synthetic" ? tu : a).ToArray(), "--resume"]);
        AssertOneCleanError(otherData, 2, "differs:    dataset: ");
        Assert.Contains("SIX: 6 graphs", otherData.StdErr);

        var otherModel = GraphSsl.Run([.. Train(dir, 2).Select(a => a == "Encoder.Hidden=16" ? "Encoder.Hidden=32" : a).ToArray(), "--resume"]);
        AssertOneCleanError(otherModel, 2, "differs:    model: ");
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(dir, "checkpoint", "checkpoint.bin")));
    }

    // ---------- full disk ----------

    [SkippableFact]
    public void Training_on_a_full_disk_fails_with_exit_1_keeps_the_checkpoint_and_resumes_once_space_is_freed()
    {
        using var disk = TinyDisk.TryMount(16 << 20, out var why);
        Skip.If(disk is null, why);
        var dir = Path.Combine(disk.Path, "run");
        var first = GraphSsl.Run(Train(dir, 2));
        Assert.True(first.ExitCode == 0, first.StdErr);
        var checkpointFile = Path.Combine(dir, "checkpoint", "checkpoint.bin");
        var checkpoint = File.ReadAllBytes(checkpointFile);

        // The disk is full: epoch 3's checkpoint cannot be written.
        disk.Fill();
        var full = GraphSsl.Run([.. Train(dir, 4), "--resume"]);
        AssertOneCleanError(full, 1, "No space left on device");
        Assert.Contains("Could not write the checkpoint of epoch 3", full.StdErr);
        Assert.Contains("the previous checkpoint there is intact", full.StdErr);
        Assert.Equal(checkpoint, File.ReadAllBytes(checkpointFile));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        // metrics.json is still the finished 2-epoch run's, beside its own embeddings.
        Assert.Equal(2, Losses(dir).Length);

        // Space freed: --resume continues from epoch 3 to exactly the losses of an uninterrupted run.
        disk.Unfill();
        var resumed = GraphSsl.Run([.. Train(dir, 4), "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.DoesNotContain("epoch    2/4", resumed.StdErr);
        var straight = Path.Combine(temp, "straight");
        Assert.Equal(0, GraphSsl.Run(Train(straight, 4)).ExitCode);
        Assert.Equal(Losses(straight), Losses(dir));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "embeddings.csv")), File.ReadAllBytes(Path.Combine(dir, "embeddings.csv")));
    }

    [SkippableFact]
    public void Outputs_written_to_a_full_disk_never_leave_a_metrics_json_beside_newer_files()
    {
        using var disk = TinyDisk.TryMount(16 << 20, out var why);
        Skip.If(disk is null, why);
        var dir = Path.Combine(disk.Path, "out");
        Assert.Equal(0, GraphSsl.Run(Train(dir, 1)).ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "metrics.json")));

        // Training without checkpoints fits in memory; the outputs do not fit on the disk.
        disk.Fill();
        var full = GraphSsl.Run("train", "--dataset", "synthetic", "--epochs", "2", "--out", dir, "--evaluate", "false", "--seed", "5", "--threads", "1", "--set", "Encoder.Hidden=16");
        AssertOneCleanError(full, 1, "No space left on device");
        // The old metrics.json was removed before the new files were written, so no metrics.json describes
        // files that are not its run's; nothing half-written under a final name; no temporary file.
        Assert.False(File.Exists(Path.Combine(dir, "metrics.json")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        foreach (var file in Directory.GetFiles(dir, "embeddings.csv"))
            Assert.All(File.ReadAllLines(file).Skip(1), line => Assert.Equal(File.ReadAllLines(file)[0].Split(',').Length, line.Split(',').Length));
    }

    [SkippableFact]
    public void A_sweep_and_a_report_on_a_full_disk_fail_with_exit_1_and_keep_every_finished_run_record()
    {
        using var disk = TinyDisk.TryMount(16 << 20, out var why);
        Skip.If(disk is null, why);
        var grid = Path.Combine(temp, "tiny.json");
        File.WriteAllText(grid, """
            {
              "name": "tiny",
              "models": [{"name": "StudySimClr", "label": "SimCLR"}],
              "augmentations": [{"name": "StudyNodeDropping", "label": "node_dropping"}, {"name": "StudyAttributeMasking", "label": "attribute_masking"}],
              "batch_sizes": [64], "layers": [1], "hidden": [8]
            }
            """);
        var dir = Path.Combine(disk.Path, "sweep");
        string[] Sweep(int repeats) => ["sweep", "--dataset", "synthetic", "--grid", grid, "--repeats", repeats.ToString(System.Globalization.CultureInfo.InvariantCulture), "--epochs", "1", "--threads", "1", "--out", dir];
        var first = GraphSsl.Run(Sweep(1));
        Assert.True(first.ExitCode == 0, first.StdErr);
        var runs = Path.Combine(dir, "runs");
        var records = Directory.GetFiles(runs, "*.json").ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(2, records.Count);
        var summary = File.ReadAllBytes(Path.Combine(dir, "summary.md"));
        var results = File.ReadAllBytes(Path.Combine(dir, "results.csv"));

        disk.Fill();
        var sweep = GraphSsl.Run(Sweep(2));
        AssertOneCleanError(sweep, 1, "No space left on device");
        var report = GraphSsl.Run("report", "--in", dir, "--out", dir);
        AssertOneCleanError(report, 1, "No space left on device");

        // Every finished record byte for byte, each still parses; no temporary or half-written record; the
        // previous report files are the previous ones.
        Assert.Equal(records.Keys.Order(), Directory.GetFiles(runs, "*.json").Order());
        foreach (var (file, bytes) in records)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
            using var doc = JsonDocument.Parse(bytes);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), doc.RootElement.GetProperty("id").GetString());
        }
        Assert.Empty(Directory.GetFiles(runs, "*.tmp"));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.Equal(summary, File.ReadAllBytes(Path.Combine(dir, "summary.md")));
        Assert.Equal(results, File.ReadAllBytes(Path.Combine(dir, "results.csv")));

        // Space freed: the sweep runs only the two missing runs.
        disk.Unfill();
        var again = GraphSsl.Run(Sweep(2));
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("2 already completed", again.StdErr);
        Assert.Equal(4, Directory.GetFiles(runs, "*.json").Length);
    }

    // ---------- memory limit ----------

    [Fact]
    public void A_dataset_over_the_device_memory_limit_is_refused_with_exit_2_before_training()
    {
        var dir = Path.Combine(temp, "limited");
        var run = GraphSsl.RunWith(null, new Dictionary<string, string?> { ["GRAPHSSL_DEVICE_MEMORY_LIMIT"] = "8K" },
            "train", "--dataset", "synthetic", "--epochs", "1", "--out", dir, "--evaluate", "false", "--threads", "1");
        AssertOneCleanError(run, 2, "needs about");
        Assert.Contains("more than the limit of 8.0 KiB (GRAPHSSL_DEVICE_MEMORY_LIMIT=8K)", run.StdErr);
        Assert.DoesNotContain("epoch    1/1", run.StdErr);
        Assert.False(File.Exists(Path.Combine(dir, "metrics.json")));

        var bad = GraphSsl.RunWith(null, new Dictionary<string, string?> { ["GRAPHSSL_DEVICE_MEMORY_LIMIT"] = "lots" },
            "train", "--dataset", "synthetic", "--epochs", "1", "--out", dir, "--evaluate", "false", "--threads", "1");
        AssertOneCleanError(bad, 2, "GRAPHSSL_DEVICE_MEMORY_LIMIT='lots' is not a size");
    }
}
