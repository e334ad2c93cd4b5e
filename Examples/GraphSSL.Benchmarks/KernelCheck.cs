using GraphSSL.Data;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>
/// GIN aggregation by libtorch ops (index_select + index_add) against the C# CSR kernel
/// (<see cref="MessagePassing"/>), alternated in one process on the generated SimCLR trainer (node dropping,
/// GIN 3 × hidden, batch 128), so both see the same machine load.
/// </summary>
public static class KernelCheck
{
    /// <summary>Prints every round's epochs and the medians (epochs 2..n) per path and their ratio.</summary>
    public static int Run(GraphData data, int hidden, int epochs, int rounds, int? threads, TextWriter output)
    {
        var saved = MessagePassing.CpuKernelEnabled;
        var all = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        var losses = new Dictionary<bool, double>();
        output.WriteLine($"kernel check: {data.Name}, GIN 3x{hidden}, {epochs} epochs per run (first dropped), {rounds} rounds, {TorchSharp.torch.get_num_threads()} threads; load average {ThreadCheck.LoadAverage():F1}");
        try
        {
            for (int round = 0; round < rounds; round++)
                foreach (var kernel in new[] { false, true })
                {
                    MessagePassing.CpuKernelEnabled = kernel;
                    var model = new BenchSimClr(new BenchGin { Hidden = hidden }, new BenchDropNodes(), new NtXent());
                    using var r = model.Train(data, new TrainOptions { Epochs = epochs, Seed = 1, Threads = threads });
                    all[kernel].AddRange(Stats.WithoutWarmup(r.EpochSeconds));
                    losses[kernel] = r.Losses[^1];
                    output.WriteLine($"  round {round + 1}, {(kernel ? "CSR kernel " : "libtorch ops")}: epochs {string.Join(", ", r.EpochSeconds.Select(s => s.ToString("F3")))} s, last loss {r.Losses[^1]:R}  (load {ThreadCheck.LoadAverage():F1})");
                }
        }
        finally { MessagePassing.CpuKernelEnabled = saved; }
        double before = Stats.Median(all[false]), after = Stats.Median(all[true]);
        output.WriteLine($"median s/epoch: libtorch ops {before:F3}, CSR kernel {after:F3}: kernel/ops = {after / before:F2} (speed-up {before / after:F2}x); last-epoch loss ops {losses[false]:R} vs kernel {losses[true]:R}");
        return 0;
    }
}
