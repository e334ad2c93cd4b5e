using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;

namespace GraphSSL.Cli.Tests;

/// <summary>
/// <c>train --tensorboard</c>: the event file TorchSharp's SummaryWriter writes is decoded record by record
/// (length, masked CRC-32C of the length, data, masked CRC-32C of the data) and every record parsed as a
/// TensorBoard <c>Event</c> protobuf by hand.
/// </summary>
public sealed class TensorBoardTests : IDisposable
{
    readonly TempDirectory temp = new("graphssl-tb-");

    public void Dispose() => temp.Dispose();

    const int Epochs = 3;

    [Fact]
    public void Train_writes_per_epoch_scalars_and_the_evaluation_with_real_wall_times()
    {
        var root = Path.Combine(temp, "tb");
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var run = GraphSsl.Run("train", "--epochs", Epochs.ToString(), "--batch", "64", "--threads", "1", "--set", "Encoder.Hidden=8",
            "--out", Path.Combine(temp, "first"), "--tensorboard", root);
        var finished = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1; // wall times are whole seconds
        Assert.True(run.ExitCode == 0, run.StdErr);

        // One folder per run, named after the --out folder; one event file in it.
        var file = Assert.Single(Directory.GetFiles(Path.Combine(root, "first"), "events.out.tfevents.*"));
        var events = ReadEvents(file);

        // First record: the file version header TorchSharp writes itself. Its wall time is .NET ticks
        // (DateTime.Now.Ticks, a TorchSharp 0.107 quirk we cannot set); it still falls in the run window.
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var headerUnix = (events[0].WallTime - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        Assert.InRange(headerUnix, started - 14 * 3600 - 1, finished + 14 * 3600); // local time: any UTC offset

        var scalars = events.Skip(1).ToList();
        Assert.All(scalars, e => Assert.Null(e.FileVersion));
        Assert.All(scalars, e => Assert.InRange(e.WallTime, started, finished)); // real Unix times, not 0
        Assert.True(scalars.Zip(scalars.Skip(1)).All(p => p.First.WallTime <= p.Second.WallTime), "wall times go backwards");

        foreach (var tag in new[] { "train/loss", "train/learning_rate", "train/epoch_seconds", "train/output_std" })
        {
            var series = scalars.Where(e => e.Tag == tag).ToList();
            Assert.Equal(Enumerable.Range(1, Epochs).Select(i => (long)i), series.Select(e => e.Step));
            Assert.All(series, e => Assert.True(float.IsFinite(e.Value) && e.Value > 0, $"{tag} step {e.Step}: {e.Value}"));
        }
        Assert.All(scalars.Where(e => e.Tag == "train/learning_rate"), e => Assert.Equal(1e-3f, e.Value));
        foreach (var tag in new[] { "eval/accuracy_trained", "eval/accuracy_untrained", "eval/few_label_accuracy_trained", "eval/few_label_accuracy_untrained" })
        {
            var single = Assert.Single(scalars, e => e.Tag == tag);
            Assert.Equal(Epochs, single.Step);
            Assert.InRange(single.Value, 0f, 1f);
        }
        Assert.Equal(4 * Epochs + 4, scalars.Count);

        // The loss matches metrics.json (float precision).
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(temp, "first", "metrics.json")));
        var losses = metrics.RootElement.GetProperty("losses").EnumerateArray().Select(l => (float)l.GetDouble());
        Assert.Equal(losses, scalars.Where(e => e.Tag == "train/loss").Select(e => e.Value));

        // A second run with the same --out name gets a folder of its own.
        var again = GraphSsl.Run("train", "--epochs", "1", "--batch", "64", "--threads", "1", "--set", "Encoder.Hidden=8", "--evaluate", "false",
            "--out", Path.Combine(temp, "second", "first"), "--tensorboard", root);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Single(Directory.GetFiles(Path.Combine(root, "first-2"), "events.out.tfevents.*"));
        Assert.Single(Directory.GetFiles(Path.Combine(root, "first"), "events.out.tfevents.*"));
    }

    [Fact]
    public void Sweep_writes_one_folder_per_run()
    {
        var grid = Path.Combine(temp, "grid.json");
        File.WriteAllText(grid, """
            {
              "name": "tb",
              "models": [{"name": "StudySimClr", "label": "SimCLR"}],
              "augmentations": [{"name": "StudyNodeDropping", "label": "node_dropping"}],
              "batch_sizes": [64], "layers": [1], "hidden": [8]
            }
            """);
        var root = Path.Combine(temp, "tb");
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var run = GraphSsl.Run("sweep", "--dataset", "synthetic", "--grid", grid, "--repeats", "2", "--epochs", "2", "--threads", "1",
            "--no-report", "--out", Path.Combine(temp, "sweep"), "--tensorboard", root);
        var finished = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        Assert.True(run.ExitCode == 0, run.StdErr);

        // Two repeats: two run records, two TensorBoard folders named by run id.
        var ids = Directory.GetFiles(Path.Combine(temp, "sweep", "runs"), "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(2, ids.Length);
        Assert.Equal(ids, Directory.GetDirectories(root).Select(Path.GetFileName).Order().ToArray());
        foreach (var id in ids)
        {
            var scalars = ReadEvents(Assert.Single(Directory.GetFiles(Path.Combine(root, id!), "events.out.tfevents.*"))).Skip(1).ToList();
            Assert.Equal(new long[] { 1, 2 }, scalars.Where(e => e.Tag == "train/loss").Select(e => e.Step));
            Assert.Equal(2, Assert.Single(scalars, e => e.Tag == "eval/accuracy").Step);
            Assert.All(scalars, e => Assert.InRange(e.WallTime, started, finished));
        }
    }

    sealed record Event(double WallTime, long Step, string? FileVersion, string? Tag, float Value);

    /// <summary>Reads a TFRecord file: per record u64 length, u32 masked CRC-32C(length), data, u32 masked CRC-32C(data).</summary>
    static List<Event> ReadEvents(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(bytes.Length - offset >= 12, $"record header cut short at byte {offset}");
            var header = bytes.AsSpan(offset, 8);
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header));
            Assert.Equal(MaskedCrc32C(header), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)));
            Assert.True(bytes.Length - offset - 12 >= length + 4, $"record data cut short at byte {offset}");
            var data = bytes.AsSpan(offset + 12, length);
            Assert.Equal(MaskedCrc32C(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + length, 4)));
            events.Add(ParseEvent(data.ToArray()));
            offset += 12 + length + 4;
        }
        return events;
    }

    /// <summary>Event: 1 wall_time double, 2 step int64, 3 file_version string, 5 summary (Summary: 1 repeated Value: 1 tag, 2 simple_value).</summary>
    static Event ParseEvent(byte[] data)
    {
        var input = new CodedInputStream(data);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null, tag = null;
        float value = float.NaN;
        int values = 0;
        uint t;
        while ((t = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(t))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: fileVersion = input.ReadString(); break;
                case 5:
                    var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint st;
                    while ((st = summary.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(st) != 1) { summary.SkipLastField(); continue; }
                        values++;
                        var v = new CodedInputStream(summary.ReadBytes().ToByteArray());
                        uint vt;
                        while ((vt = v.ReadTag()) != 0)
                        {
                            switch (WireFormat.GetTagFieldNumber(vt))
                            {
                                case 1: tag = v.ReadString(); break;
                                case 2: value = v.ReadFloat(); break;
                                default: v.SkipLastField(); break;
                            }
                        }
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        Assert.True(fileVersion is not null || values == 1, "a scalar event holds exactly one summary value");
        return new Event(wallTime, step, fileVersion, tag, value);
    }

    static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }
}
