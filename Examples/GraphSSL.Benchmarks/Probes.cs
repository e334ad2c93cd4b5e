using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>Memory of this process at one moment: managed heap, native resident set and live TorchSharp tensors.</summary>
public sealed record MemorySample(int Epoch, long ManagedBytes, long AllocatedBytes, long RssBytes, long HwmBytes, long LiveTensors);

/// <summary>Reads process memory: GC counters and VmRSS / VmHWM from /proc/self/status (zero where unavailable).</summary>
public static class MemoryProbe
{
    /// <summary>A sample tagged with <paramref name="epoch"/>.</summary>
    public static MemorySample Sample(int epoch)
    {
        var (rss, hwm) = ReadProcStatus();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        return new MemorySample(epoch, GC.GetTotalMemory(false), GC.GetTotalAllocatedBytes(), rss, hwm, live);
    }

    static (long Rss, long Hwm) ReadProcStatus()
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return (rss, hwm);

        static long Kb(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}

/// <summary>Receives epoch reports synchronously (unlike <see cref="Progress{T}"/>) and samples memory after each epoch.</summary>
public sealed class EpochMemoryRecorder : IProgress<EpochReport>
{
    /// <summary>One sample per finished epoch, in order.</summary>
    public List<MemorySample> Samples { get; } = new();

    /// <inheritdoc />
    public void Report(EpochReport value) => Samples.Add(MemoryProbe.Sample(value.Epoch));
}

/// <summary>One measured matmul shape.</summary>
public sealed record MatmulResult(string Name, long M, long K, long N, int Repeats, double MedianSeconds, double Gflops);

/// <summary>Times <c>torch.mm</c> on the training device in this process.</summary>
public static class MatmulProbe
{
    /// <summary>Median GFLOP/s of <c>[m, k] × [k, n]</c> float32 over <paramref name="repeats"/> calls after warm-up.</summary>
    public static MatmulResult Measure(string name, long m, long k, long n, Device device, int repeats)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(m, k, device: device);
        var b = torch.randn(k, n, device: device);
        for (int i = 0; i < 3; i++) using (torch.mm(a, b)) { }
        Synchronize(device);
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using (torch.mm(a, b)) { }
            Synchronize(device);
            times[i] = clock.Elapsed.TotalSeconds;
        }
        double median = Stats.Median(times);
        return new MatmulResult(name, m, k, n, repeats, median, 2.0 * m * k * n / median / 1e9);
    }

    /// <summary>Waits for queued device work (CUDA); nothing on the CPU.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}

/// <summary>Small statistics helpers.</summary>
public static class Stats
{
    /// <summary>The median of <paramref name="values"/> (mean of the middle two for an even count); NaN when empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Epoch times without the first (warm-up) epoch; all of them when there is only one.</summary>
    public static IReadOnlyList<double> WithoutWarmup(IReadOnlyList<double> seconds) =>
        seconds.Count > 1 ? seconds.Skip(1).ToArray() : seconds;
}
