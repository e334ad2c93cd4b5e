using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Batching;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Reliability;

/// <summary>
/// Faults from outside: a disk that fills up while a checkpoint is written, and datasets larger than the
/// device memory limit.
/// </summary>
public sealed class FaultTests
{
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 8, seed: 2); // 24 graphs

    static RelClr Clr() => new(new RelGin(), new RelDrop(), new NtXent { Temperature = 0.5 });

    [SkippableFact]
    public void A_checkpoint_written_to_a_full_disk_fails_clearly_and_the_previous_one_stays_loadable()
    {
        using var disk = TinyDisk.TryMount(4 << 20, out var why);
        Skip.If(disk is null, why);
        var dir = Path.Combine(disk.Path, "checkpoint");
        var options = new TrainOptions { Epochs = 2, BatchSize = 8, Seed = 4, CheckpointDirectory = dir };
        using (Clr().Train(Data, options)) { }
        var file = Path.Combine(dir, "checkpoint.bin");
        var good = File.ReadAllBytes(file);

        // Leave less room than one checkpoint: epoch 3's save cannot be written.
        disk.Fill(leave: good.Length / 2);
        var e = Assert.Throws<IOException>(() => Clr().Train(Data, options with { Epochs = 4, Resume = true }).Dispose());
        Assert.Contains("Could not write the checkpoint of epoch 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("the previous checkpoint there is intact", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);

        // Data lost: none. The old checkpoint is byte for byte the same, no temporary file holds the space,
        // and after freeing space the run resumes from epoch 3 to the same losses as an uninterrupted run.
        Assert.Equal(good, File.ReadAllBytes(file));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        disk.Unfill();
        using var resumed = Clr().Train(Data, options with { Epochs = 4, Resume = true });
        using var straight = Clr().Train(Data, options with { Epochs = 4, CheckpointDirectory = null });
        Assert.Equal(straight.Losses, resumed.Losses);
    }

    [Fact]
    public void The_memory_estimate_covers_what_the_upload_allocates()
    {
        var estimate = DeviceGraphs.EstimateBytes(Data);
        using var graphs = DeviceGraphs.Upload(Data, torch.CPU, null);
        long resident = new[] { graphs.X, graphs.EdgeIndex, graphs.NodeStart, graphs.NodeCount, graphs.EdgeStart, graphs.EdgeCount, graphs.Labels }
            .Sum(t => t.numel() * t.ElementSize);
        Assert.True(estimate >= resident, $"estimate {estimate} < resident {resident}");
        Assert.True(estimate <= resident + 16L * Data.EdgeCount + 16L * (Data.GraphCount + 1), $"estimate {estimate} far above resident {resident}");
    }

    [Fact]
    public void A_dataset_over_the_memory_limit_is_refused_before_anything_is_allocated()
    {
        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var e = Assert.Throws<DeviceMemoryException>(() => DeviceGraphs.Upload(Data, torch.CPU, new MemoryLimitSetting(1024, "a test limit")));
        Assert.Equal(DeviceGraphs.EstimateBytes(Data), e.EstimatedBytes);
        Assert.Equal(1024, e.LimitBytes);
        Assert.Contains($"The dataset '{Data.Name}' needs about", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than the limit of 1.0 KiB (a test limit)", e.Message, StringComparison.Ordinal);
        Assert.Contains(DeviceGraphs.MemoryLimitVariable, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        // Exactly the estimate fits.
        using var fits = DeviceGraphs.Upload(Data, torch.CPU, new MemoryLimitSetting(e.EstimatedBytes, "exact"));
    }

    [Fact]
    public void The_environment_variable_limits_training_and_a_bad_value_is_named()
    {
        var previous = Environment.GetEnvironmentVariable(DeviceGraphs.MemoryLimitVariable);
        try
        {
            Environment.SetEnvironmentVariable(DeviceGraphs.MemoryLimitVariable, "4K");
            var e = Assert.Throws<DeviceMemoryException>(() => Clr().Train(Data, new TrainOptions { Epochs = 1, BatchSize = 8 }).Dispose());
            Assert.Contains($"({DeviceGraphs.MemoryLimitVariable}=4K)", e.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(DeviceGraphs.MemoryLimitVariable, "lots");
            var bad = Assert.Throws<ArgumentException>(() => Clr().Train(Data, new TrainOptions { Epochs = 1, BatchSize = 8 }).Dispose());
            Assert.Contains($"{DeviceGraphs.MemoryLimitVariable}='lots' is not a size", bad.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(DeviceGraphs.MemoryLimitVariable, "64M");
            using var result = Clr().Train(Data, new TrainOptions { Epochs = 1, BatchSize = 8 });
            Assert.Single(result.Losses);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DeviceGraphs.MemoryLimitVariable, previous);
        }
        // Unset, the CPU limit is the memory available to the process.
        var limit = DeviceGraphs.MemoryLimit(torch.CPU);
        Assert.NotNull(limit);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, limit.Value.Bytes);
    }

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("4K", 4096L)]
    [InlineData("512M", 536870912L)]
    [InlineData("1.5GiB", 1610612736L)]
    [InlineData(" 2 gb ", 2147483648L)]
    [InlineData("10B", 10L)]
    [InlineData("lots", null)]
    [InlineData("-1M", null)]
    [InlineData("", null)]
    [InlineData("1e3", null)]
    [InlineData("99999999999T", null)]
    public void Sizes_are_read_in_powers_of_1024(string text, long? bytes)
        => Assert.Equal(bytes, DeviceGraphs.ParseSize(text));
}
