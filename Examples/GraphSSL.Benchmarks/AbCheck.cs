using System.Diagnostics;
using static TorchSharp.torch;
using GraphSSL.Data;

namespace GraphSSL.Benchmarks;

/// <summary>
/// Scratch check: the generated trainer and the host baseline alternated in one process, with wall and
/// process CPU seconds per epoch, to compare them on a machine whose load changes from second to second.
/// </summary>
public static class AbCheck
{
    /// <summary>Prints alternating measurements for one case.</summary>
    public static void Run(GraphData data, MethodKind method, AugmentationKind augmentation, int hidden, Device device, TextWriter output)
    {
        var process = Process.GetCurrentProcess();
        var c = new BenchCase(method, augmentation, data.Name, hidden);
        for (int round = 0; round < 3; round++)
        {
            process.Refresh(); var cpu0 = process.TotalProcessorTime; var wall = Stopwatch.StartNew();
            var r = CaseRunner.Run(c, data, 4, 0, 128, device, device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu", null, 1, 1, TextWriter.Null);
            process.Refresh();
            output.WriteLine($"generated: epochs {string.Join(", ", r.EpochSeconds.Select(s => s.ToString("F3")))} s; whole call wall {wall.Elapsed.TotalSeconds:F2} s, CPU {(process.TotalProcessorTime - cpu0).TotalSeconds:F2} s");
            process.Refresh(); cpu0 = process.TotalProcessorTime; wall.Restart();
            var seconds = new HostBaseline(data, augmentation, 1).Train(method, hidden, 4, 128, device);
            process.Refresh();
            output.WriteLine($"baseline:  epochs {string.Join(", ", seconds.Select(s => s.ToString("F3")))} s; whole call wall {wall.Elapsed.TotalSeconds:F2} s, CPU {(process.TotalProcessorTime - cpu0).TotalSeconds:F2} s");
        }
    }
}
