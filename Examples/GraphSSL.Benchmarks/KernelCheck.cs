using GraphSSL.Data;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>
/// libtorch ops against the C# kernels, alternated in one process on the generated SimCLR trainer (node dropping,
/// GIN 3 × hidden, batch 128), so every variant sees the same machine load. Four variants: libtorch ops only (and TorchSharp's Adam step); the
/// aggregation and pooling kernels (<see cref="MessagePassing"/>) with libtorch's batch norm; those and
/// <see cref="BatchNormKernel"/>; and all of them with <see cref="FusedOptimizer.Adam"/>'s C# step (the default).
/// </summary>
public static class KernelCheck
{
    /// <summary>Prints every round's epochs and the medians (epochs 2..n) per path and their ratio.</summary>
    public static int Run(GraphData data, int hidden, int epochs, int rounds, int? threads, TextWriter output)
    {
        var saved = (MessagePassing.CpuKernelEnabled, BatchNormKernel.Enabled, FusedOptimizer.Enabled);
        // Each variant adds one kernel to the previous one; the switches are set from the record, not from its name.
        Variant[] kernels =
        [
            new("libtorch ops", Csr: false, BatchNorm: false, Adam: false),
            new("CSR kernels", Csr: true, BatchNorm: false, Adam: false),
            new("CSR + BN kernels", Csr: true, BatchNorm: true, Adam: false),
            new("all + fused Adam", Csr: true, BatchNorm: true, Adam: true),
        ];
        var variants = kernels.Select(k => k.Name).ToArray();
        var all = variants.ToDictionary(v => v, _ => new List<double>());
        var losses = new Dictionary<string, double>();
        // Process CPU seconds per epoch (all epochs, warm-up included): on a machine shared with other work the wall
        // clock also measures waiting for a core; CPU time is this process's own work (all of its threads).
        var cpu = variants.ToDictionary(v => v, _ => new List<double>());
        var process = System.Diagnostics.Process.GetCurrentProcess();
        output.WriteLine($"kernel check: {data.Name}, GIN 3x{hidden}, {epochs} epochs per run (first dropped), {rounds} rounds, {TorchSharp.torch.get_num_threads()} threads; load average {ThreadCheck.LoadAverage():F1}");
        try
        {
            for (int round = 0; round < rounds; round++)
                foreach (var (variant, csr, batchNorm, adam) in kernels)
                {
                    (MessagePassing.CpuKernelEnabled, BatchNormKernel.Enabled, FusedOptimizer.Enabled) = (csr, batchNorm, adam);
                    var model = new BenchSimClr(new BenchGin { Hidden = hidden }, new BenchDropNodes(), new NtXent());
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    using var r = model.Train(data, new TrainOptions { Epochs = epochs, Seed = 1, Threads = threads });
                    process.Refresh();
                    cpu[variant].Add((process.TotalProcessorTime - cpuBefore).TotalSeconds / epochs);
                    all[variant].AddRange(Stats.WithoutWarmup(r.EpochSeconds));
                    losses[variant] = r.Losses[^1];
                    output.WriteLine($"  round {round + 1}, {variant,-17}: epochs {string.Join(", ", r.EpochSeconds.Select(s => s.ToString("F3")))} s, CPU {cpu[variant][^1]:F3} s/epoch, last loss {r.Losses[^1]:R}  (load {ThreadCheck.LoadAverage():F1})");
                }
        }
        finally { (MessagePassing.CpuKernelEnabled, BatchNormKernel.Enabled, FusedOptimizer.Enabled) = saved; }
        double before = Stats.Median(all[variants[0]]);
        foreach (var variant in variants)
        {
            double median = Stats.Median(all[variant]), cpuMedian = Stats.Median(cpu[variant]);
            output.WriteLine($"median s/epoch {variant,-17} wall {median:F3} (speed-up {before / median:F2}x), CPU {cpuMedian:F3} " +
                $"(speed-up {Stats.Median(cpu[variants[0]]) / cpuMedian:F2}x); last-epoch loss {losses[variant]:R}");
        }
        return 0;
    }

    sealed record Variant(string Name, bool Csr, bool BatchNorm, bool Adam);
}
