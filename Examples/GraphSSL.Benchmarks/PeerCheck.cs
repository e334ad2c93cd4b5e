using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>One run of either side in the peer comparison.</summary>
public sealed record PeerRound(int Round, string Side, IReadOnlyList<double> EpochSeconds, double MedianSeconds, double FinalLoss, double LoadAverage);

/// <summary>
/// The speed-peer comparison: our generated SimCLR trainer (node dropping 0.2 on both views, GIN 3 × 64, sum pooling of
/// every layer, 3-layer projector, NT-Xent, Adam 1e-3, batch 128) against PyTorch Geometric running the same model
/// (<c>../shared/bench/peer_pyg.py --aug device</c>), alternated round by round in one run with the same thread count.
/// <see cref="Ratio"/> = peer median ÷ ours (above 1: ours is faster).
/// </summary>
public sealed record PeerResult(
    string Dataset, int Hidden, int Threads, int Epochs, string PeerCommand, string? OmpWaitPolicy,
    IReadOnlyList<PeerRound> Rounds, double OursMedianSeconds, double PeerMedianSeconds, double Ratio, JsonElement? PeerLastJson);

/// <summary>Runs <see cref="PeerResult"/>.</summary>
public static class PeerCheck
{
    /// <summary>Alternates ours and the peer <paramref name="rounds"/> times; progress to <paramref name="log"/>.</summary>
    public static PeerResult Run(string python, string script, string dataDir, string dataset, int threads, int epochs, int rounds, TextWriter log, int hidden = 64)
    {
        if (!File.Exists(script)) throw new FileNotFoundException($"peer script not found: {script} (pass --peer-script)");
        var data = TuDataset.Load(Path.Combine(dataDir, dataset));
        var list = new List<PeerRound>();
        var ours = new List<double>();
        var peer = new List<double>();
        JsonElement? last = null;
        string command = "";
        for (int round = 1; round <= rounds; round++)
        {
            log.WriteLine($"  peer comparison round {round}/{rounds}: ours …");
            var model = new BenchSimClr(new BenchGin { Hidden = hidden }, new BenchDropNodes(), new NtXent());
            using (var r = model.Train(data, new TrainOptions { Epochs = epochs, BatchSize = 128, Seed = 1, Threads = threads }))
            {
                var m = Stats.WithoutWarmup(r.EpochSeconds);
                ours.AddRange(m);
                list.Add(new PeerRound(round, "ours", r.EpochSeconds.ToArray(), Stats.Median(m), r.Losses[^1], ThreadCheck.LoadAverage()));
            }
            log.WriteLine($"    ours {list[^1].MedianSeconds:F3} s/epoch; peer …");
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { script, dataset, "--aug", "device", "--threads", threads.ToString(CultureInfo.InvariantCulture),
                         "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDir, "--hidden", hidden.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            command = python + " " + string.Join(' ', start.ArgumentList);
            using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + python);
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"peer exited with {p.ExitCode}: {command}\n{stderr.Result}");
            var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var seconds = root.GetProperty("epoch_seconds_all").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var pm = Stats.WithoutWarmup(seconds);
            peer.AddRange(pm);
            list.Add(new PeerRound(round, "peer", seconds, Stats.Median(pm), root.GetProperty("loss_last").GetDouble(), ThreadCheck.LoadAverage()));
            last = root.Clone();
            log.WriteLine($"    peer {list[^1].MedianSeconds:F3} s/epoch");
        }
        double o = Stats.Median(ours), q = Stats.Median(peer);
        return new PeerResult(dataset, hidden, threads, epochs, command, ThreadPolicy.NativeWaitPolicy(), list, o, q, q / o, last);
    }

    /// <summary>../shared/bench/peer_pyg.py beside the repository, or null.</summary>
    public static string? DefaultScript()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) dir = dir.Parent;
        return dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench", "peer_pyg.py"));
    }
}
