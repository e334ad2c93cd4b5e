using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;

namespace GraphSSL.Cli.Commands;

/// <summary>
/// <c>graphssl sweep --jobs N</c>: N worker processes of this program, each a <c>sweep --worker</c> over a disjoint
/// shard of the parent's shard (worker k of N under <c>--shard i/n</c> runs <c>--shard (i + k·n)/(n·N)</c>, so every
/// configuration belongs to exactly one worker and no run is claimed twice). Workers save run files themselves
/// (<see cref="RunStore.Save"/>: exclusive temporary file, atomic no-replace rename) and print one JSON line per
/// finished run, from which the parent draws one progress display. A failing worker fails the sweep after the
/// others finish; its runs that completed stay saved, so a rerun resumes.
/// </summary>
public static class SweepWorkers
{
    /// <summary>Runs <paramref name="plan"/> (grid index, label, run id of each planned run) in <c>request.Jobs</c> workers; throws when one fails.</summary>
    public static void Run(SweepCommand.Request request, string evaluatorName, IReadOnlyList<(int Index, string Label, string Id)> plan,
        string outDir, TextWriter log, CancellationToken cancellationToken)
    {
        int jobs = request.Jobs;
        var shards = Enumerable.Range(0, jobs)
            .Select(k => new Shard(request.Shard.Index + k * request.Shard.Count, request.Shard.Count * jobs)).ToArray();
        var counts = shards.Select(s => plan.Count(p => s.Contains(p.Index))).ToArray();
        log.WriteLine($"{jobs} worker processes, {request.Threads ?? 1} CPU thread(s) each: " +
                      string.Join(", ", shards.Select((s, k) => $"worker {k} shard {s} ({counts[k]} runs)")));

        var gate = new object();
        var clock = Stopwatch.StartNew();
        int finished = 0;
        var workers = new List<(int K, Process Process, StringBuilder StdErr, Task Out, Task Err)>();
        try
        {
            for (int k = 0; k < jobs; k++)
            {
                if (counts[k] == 0) continue;
                var start = WorkerStart(request, evaluatorName, shards[k], outDir);
                var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a sweep worker");
                var stderr = new StringBuilder();
                int worker = k;
                var outTask = Task.Run(() =>
                {
                    string? line;
                    while ((line = process.StandardOutput.ReadLine()) is not null)
                    {
                        SweepCommand.WorkerProgress? p;
                        try { p = JsonSerializer.Deserialize<SweepCommand.WorkerProgress>(line, SweepCommand.WorkerJson); }
                        catch (JsonException) { p = null; }
                        lock (gate)
                        {
                            if (p is null) { log.WriteLine($"[worker {worker}] {line}"); continue; }
                            finished++;
                            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / finished * (plan.Count - finished));
                            log.WriteLine(string.Format(CultureInfo.InvariantCulture,
                                "[{0}/{1}] {2} seed {3}: acc {4:F1}% (fold std {5:F1})  train {6:F1} s, embed {7:F2} s, eval {8:F2} s  elapsed {9}  ETA {10}  id {11}  (worker {12})",
                                finished, plan.Count, p.Label, p.Seed, 100 * p.Accuracy, 100 * p.FoldStd, p.TrainSeconds, p.EmbedSeconds, p.EvalSeconds,
                                SweepCommand.Format(clock.Elapsed), SweepCommand.Format(eta), p.Id, worker));
                        }
                    }
                });
                var errTask = Task.Run(() =>
                {
                    string? line;
                    while ((line = process.StandardError.ReadLine()) is not null)
                        lock (stderr) stderr.AppendLine(line);
                });
                workers.Add((k, process, stderr, outTask, errTask));
            }

            using var registration = cancellationToken.Register(() =>
            {
                foreach (var w in workers)
                    try { if (!w.Process.HasExited) w.Process.Kill(entireProcessTree: true); }
                    catch (InvalidOperationException) { }
            });
            foreach (var w in workers)
            {
                w.Process.WaitForExit();
                Task.WaitAll(w.Out, w.Err);
            }
            cancellationToken.ThrowIfCancellationRequested();

            var failed = workers.Where(w => w.Process.ExitCode != 0).ToList();
            foreach (var w in failed)
            {
                log.WriteLine($"worker {w.K} (shard {shards[w.K]}) exited with code {w.Process.ExitCode}; its log:");
                log.Write(w.StdErr.ToString());
            }
            if (failed.Count > 0)
                throw new UserErrorException($"{failed.Count} of {workers.Count} sweep workers failed (see their logs above); {finished} run(s) completed and saved — rerun the same command to resume.");
        }
        finally
        {
            foreach (var w in workers) w.Process.Dispose();
        }
    }

    /// <summary>The worker's command line: this program, <c>sweep</c> with the parent's settings, its shard, <c>--worker --no-report</c>.</summary>
    static ProcessStartInfo WorkerStart(SweepCommand.Request request, string evaluatorName, Shard shard, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot locate the running program to start sweep workers");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // `dotnet graphssl.dll …`: the host is dotnet and the program is the entry assembly.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly"));
        var args = new List<string>
        {
            "sweep", "--dataset", request.Dataset, "--grid", Path.GetFullPath(request.Grid) is var g && File.Exists(g) ? g : request.Grid,
            "--repeats", request.Repeats.ToString(inv), "--epochs", request.Epochs.ToString(inv), "--lr", request.LearningRate.ToString("R", inv),
            "--out", outDir, "--shard", shard.ToString(), "--protocol", request.Protocol.Name, "--seed", request.Seed.ToString(inv),
            "--evaluator", evaluatorName, "--device", request.Device, "--threads", (request.Threads ?? 1).ToString(inv),
            "--jobs", "1", "--worker", "--no-report",
        };
        if (request.DataDir is not null) args.AddRange(["--data-dir", request.DataDir]);
        if (request.TensorBoard is not null) args.AddRange(["--tensorboard", request.TensorBoard]);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
