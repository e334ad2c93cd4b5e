using System.Globalization;
using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary><c>train</c> writes <c>encoder.gssl</c>; <c>embed</c> reads it back, and refuses a file or a dataset it cannot use.</summary>
public sealed class SavedEncoderCliTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-embed-");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public void Embed_with_trains_encoder_reproduces_its_embeddings_and_refuses_another_feature_layout()
    {
        var tu = SharedData.RequireTu(why: "nothing to train on");
        var trainDir = Path.Combine(temp, "train");
        var train = GraphSsl.Run("train", "--dataset", "MUTAG", "--data-dir", tu!, "--epochs", "2", "--batch", "64", "--seed", "1",
            "--threads", "1", "--evaluate", "false", "--set", "Encoder.Hidden=16", "--out", trainDir);
        Assert.True(train.ExitCode == 0, train.StdErr);
        var encoder = Path.Combine(trainDir, "encoder.gssl");
        Assert.True(File.Exists(encoder));

        var embedDir = Path.Combine(temp, "embed");
        var embed = GraphSsl.Run("embed", "--encoder", encoder, "--dataset", "MUTAG", "--data-dir", tu!, "--threads", "1", "--out", embedDir, "--json");
        Assert.True(embed.ExitCode == 0, embed.StdErr);
        using (var summary = JsonDocument.Parse(embed.StdOut))
        {
            Assert.Equal("MolGin", summary.RootElement.GetProperty("encoder").GetProperty("encoder").GetString());
            Assert.Equal(7, summary.RootElement.GetProperty("encoder").GetProperty("feature_dim").GetInt32());
            Assert.Equal(48, summary.RootElement.GetProperty("embedding_dim").GetInt32());
        }

        // Same rows, labels and values as train's own embeddings (float tolerance; on one CPU thread they are identical).
        var (trainIds, trainValues) = ReadCsv(Path.Combine(trainDir, "embeddings.csv"));
        var (embedIds, embedValues) = ReadCsv(Path.Combine(embedDir, "embeddings.csv"));
        Assert.Equal(188, trainIds.Length);
        Assert.Equal(trainIds, embedIds);
        Assert.Equal(trainValues.Length, embedValues.Length);
        for (int i = 0; i < trainValues.Length; i++)
            Assert.True(Math.Abs(trainValues[i] - embedValues[i]) <= 1e-5f * Math.Max(1f, Math.Abs(trainValues[i])), $"value {i}: train {trainValues[i]}, embed {embedValues[i]}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(trainDir, "embeddings.npy")), File.ReadAllBytes(Path.Combine(embedDir, "embeddings.npy")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(trainDir, "labels.npy")), File.ReadAllBytes(Path.Combine(embedDir, "labels.npy")));

        // evaluate reads embed's output as it reads train's.
        var evaluate = GraphSsl.Run("evaluate", "--embeddings", Path.Combine(embedDir, "embeddings.csv"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.StdErr);
        using (var result = JsonDocument.Parse(evaluate.StdOut))
            Assert.InRange(result.RootElement.GetProperty("accuracy").GetDouble(), 0.5, 1.0);

        // PROTEINS nodes have 1 attribute + 3 one-hot labels: refused with exit code 2, naming both layouts, nothing written.
        var refusedDir = Path.Combine(temp, "proteins");
        var refused = GraphSsl.Run("embed", "--encoder", encoder, "--dataset", "PROTEINS", "--data-dir", tu!, "--threads", "1", "--out", refusedDir);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("trained on MUTAG, whose nodes have 7 feature column(s)", refused.StdErr);
        Assert.Contains("PROTEINS has 4", refused.StdErr);
        Assert.DoesNotContain("   at ", refused.StdErr); // a message, not a stack trace
        Assert.False(File.Exists(Path.Combine(refusedDir, "embeddings.csv")));
    }

    [Fact]
    public void Embed_refuses_a_corrupted_truncated_or_foreign_encoder_file()
    {
        var trainDir = Path.Combine(temp, "train");
        var train = GraphSsl.Run("train", "--epochs", "1", "--batch", "64", "--threads", "1", "--evaluate", "false",
            "--set", "Encoder.Hidden=8", "--out", trainDir);
        Assert.True(train.ExitCode == 0, train.StdErr);
        var bytes = File.ReadAllBytes(Path.Combine(trainDir, "encoder.gssl"));

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40; // inside the weights
        var cases = new (string Name, byte[] Contents, string Expected)[]
        {
            ("flipped.gssl", flipped, "checksum does not match"),
            ("truncated.gssl", bytes[..(bytes.Length / 3)], "checksum does not match"),
            ("foreign.gssl", File.ReadAllBytes(Path.Combine(trainDir, "metrics.json")), "does not start with the encoder file signature"),
        };
        foreach (var (name, contents, expected) in cases)
        {
            var path = Path.Combine(temp, name);
            File.WriteAllBytes(path, contents);
            var run = GraphSsl.Run("embed", "--encoder", path, "--threads", "1", "--out", Path.Combine(temp, "out-" + name));
            Assert.True(run.ExitCode == 2, $"{name}: exit {run.ExitCode}\n{run.StdErr}");
            Assert.Contains($"{name} is not a usable encoder file", run.StdErr);
            Assert.Contains(expected, run.StdErr);
        }

        // The intact file still embeds the built-in dataset it was trained on.
        var ok = GraphSsl.Run("embed", "--encoder", Path.Combine(trainDir, "encoder.gssl"), "--threads", "1", "--out", Path.Combine(temp, "ok"));
        Assert.True(ok.ExitCode == 0, ok.StdErr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(trainDir, "embeddings.npy")), File.ReadAllBytes(Path.Combine(temp, "ok", "embeddings.npy")));
    }

    static (string[] Ids, float[] Values) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.StartsWith("graph_id,label,e0,", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        return (rows.Select(r => r[0] + "," + r[1]).ToArray(),
                rows.SelectMany(r => r.Skip(2).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray());
    }
}
