using System.Text.Json;

namespace GraphSSL.Cli.Tests;

/// <summary>Every objective family trains a GIN on MUTAG from `graphssl train`, and its loss falls.</summary>
public sealed class ObjectiveCliTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("graphssl-objectives-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData("GraphClr")]
    [InlineData("GraphSimSiam")]
    [InlineData("GraphByol")]
    // MoCo's loss rises while its queue of 1,024 fills with real keys (MUTAG gives 376 per epoch); a queue
    // of 128 is full after the first epoch, so six epochs show the fall.
    [InlineData("GraphMoCo", "QueueSize=128")]
    [InlineData("GraphSwAV")]
    [InlineData("GraphBarlowTwins")]
    [InlineData("GraphVicReg")]
    public void Trains_on_MUTAG_with_a_falling_loss(string model, string? set = null)
    {
        var tu = GraphSsl.SharedTu();
        if (tu is null) return; // ../shared/datasets is absent: nothing to train on (the synthetic path is tested elsewhere)
        var outDir = Path.Combine(temp, model);
        var run = GraphSsl.Run("train", "--dataset", "MUTAG", "--data-dir", tu, "--model", model, "--epochs", "6", "--batch", "64",
            "--set", "Encoder.Hidden=32", "--set", set ?? "Encoder.Layers=3", "--threads", "1", "--evaluate", "false", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var losses = metrics.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(6, losses.Length);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^2..].Average() < losses[0], $"{model}: loss did not fall: {string.Join(", ", losses)}");
    }
}
