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
/// <c>graphssl sweep --jobs N</c>: N worker processes of this program (<c>sweep --worker</c>, same settings and
/// shard), fed one run at a time. The parent keeps the queue of planned runs, largest first
/// (<see cref="EstimatedCost"/>), and writes the next run id to a worker's standard input whenever that worker
/// reports a finished run on its standard output (one JSON line, <see cref="SweepCommand.WorkerProgress"/>), so a
/// worker never idles while runs remain and no run is handed out twice. A worker loads the dataset once, runs the
/// ids it is given, saves each run file itself (<see cref="RunStore.Save"/>: exclusive temporary file, atomic
/// no-replace rename) and exits when its standard input closes. A failing worker gets no more runs; the others
/// finish the queue, the sweep then fails, and every completed run stays saved, so a rerun resumes.
/// </summary>
public static class SweepWorkers
{
    /// <summary>One planned run: grid index, label, run id and the configuration's <see cref="EstimatedCost"/>.</summary>
    public readonly record struct PlannedRun(int Index, string Label, string Id, double Cost);

    /// <summary>
    /// Relative cost of training a configuration, for ordering only: encoder layers × hidden × (hidden + 64), i.e.
    /// the linear layers' multiply-adds plus a per-width term for message passing and element-wise work. Measured
    /// on the study grid at 200 epochs: hidden-64 runs take 2–7 s, hidden-512 runs 30–160 s, in that order.
    /// </summary>
    public static double EstimatedCost(GridConfig config) => (double)Math.Max(1, config.Layers) * config.Hidden * (config.Hidden + 64);

    /// <summary>
    /// The order runs are handed out in: largest <see cref="PlannedRun.Cost"/> first (ties by grid index, then id),
    /// so the long runs start early and the short ones fill the gaps at the end (longest-processing-time-first).
    /// </summary>
    public static IReadOnlyList<PlannedRun> DispatchOrder(IEnumerable<PlannedRun> plan)
        => plan.OrderByDescending(p => p.Cost).ThenBy(p => p.Index).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();

    sealed class Worker(int number, Process process)
    {
        public int Number { get; } = number;
        public Process Process { get; } = process;
        public StringBuilder StdErr { get; } = new();
        public string? Current { get; set; }
        public bool Closed { get; set; }
        public Task Out { get; set; } = Task.CompletedTask;
        public Task Err { get; set; } = Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="plan"/> in <c>request.Jobs</c> workers; throws when one fails.</summary>
    public static void Run(SweepCommand.Request request, string evaluatorName, IReadOnlyList<PlannedRun> plan,
        string outDir, TextWriter log, CancellationToken cancellationToken)
    {
        var queue = new Stack<PlannedRun>(DispatchOrder(plan).Reverse()); // top: the largest run
        var byId = plan.ToDictionary(p => p.Id, StringComparer.Ordinal);
        int jobs = Math.Min(request.Jobs, plan.Count);
        log.WriteLine($"{jobs} worker processes, {request.Threads ?? 1} CPU thread(s) each, fed one run at a time, largest first.");

        var gate = new object();
        var clock = Stopwatch.StartNew();
        int finished = 0;
        var workers = new List<Worker>();

        // Under the gate: give worker w the next queued run, or close its input when the queue is empty.
        void Feed(Worker w)
        {
            if (w.Closed) return;
            if (queue.TryPop(out var next))
            {
                w.Current = next.Id;
                try
                {
                    w.Process.StandardInput.WriteLine(next.Id);
                    w.Process.StandardInput.Flush();
                    return;
                }
                catch (IOException) { } // the worker died; its exit code is reported below
                w.Current = null;
                queue.Push(next); // back on top, for another worker
            }
            w.Closed = true;
            try { w.Process.StandardInput.Close(); } catch (IOException) { }
        }

        try
        {
            for (int k = 0; k < jobs; k++)
            {
                var process = Process.Start(WorkerStart(request, evaluatorName, outDir)) ?? throw new InvalidOperationException("could not start a sweep worker");
                var w = new Worker(k, process);
                workers.Add(w);
                w.Out = Task.Run(() =>
                {
                    string? line;
                    while ((line = process.StandardOutput.ReadLine()) is not null)
                    {
                        SweepCommand.WorkerProgress? p;
                        try { p = JsonSerializer.Deserialize<SweepCommand.WorkerProgress>(line, SweepCommand.WorkerJson); }
                        catch (JsonException) { p = null; }
                        lock (gate)
                        {
                            if (p is null || !byId.TryGetValue(p.Id, out var run)) { log.WriteLine($"[worker {w.Number}] {line}"); continue; }
                            finished++;
                            w.Current = null;
                            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / finished * (plan.Count - finished));
                            log.WriteLine(string.Format(CultureInfo.InvariantCulture,
                                "[{0}/{1}] {2} seed {3}: acc {4:F1}% (fold std {5:F1})  train {6:F1} s, embed {7:F2} s, eval {8:F2} s  elapsed {9}  ETA {10}  id {11}  (worker {12})",
                                finished, plan.Count, run.Label, p.Seed, 100 * p.Accuracy, 100 * p.FoldStd, p.TrainSeconds, p.EmbedSeconds, p.EvalSeconds,
                                SweepCommand.Format(clock.Elapsed), SweepCommand.Format(eta), p.Id, w.Number));
                            Feed(w);
                        }
                    }
                    // Output closed: the worker exited. It gets no more runs; a run it still held is reported as not run.
                    lock (gate) w.Closed = true;
                });
                w.Err = Task.Run(() =>
                {
                    string? line;
                    while ((line = process.StandardError.ReadLine()) is not null)
                        lock (w.StdErr) w.StdErr.AppendLine(line);
                });
                lock (gate) Feed(w);
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
                log.WriteLine($"worker {w.Number} exited with code {w.Process.ExitCode}" + (w.Current is null ? "" : $" during run {w.Current}") + "; its log:");
                log.Write(w.StdErr.ToString());
            }
            int left = plan.Count - finished;
            if (failed.Count > 0)
                throw new UserErrorException($"{failed.Count} of {workers.Count} sweep workers failed (see their logs above); {finished} run(s) completed and saved, {left} not run — rerun the same command to resume.");
            if (left > 0)
                throw new InvalidOperationException($"the sweep workers exited with {left} planned run(s) not reported; rerun the same command to resume.");
        }
        finally
        {
            foreach (var w in workers) w.Process.Dispose();
        }
    }

    /// <summary>The worker's command line: this program, <c>sweep</c> with the parent's settings and shard, <c>--worker --no-report</c>.</summary>
    static ProcessStartInfo WorkerStart(SweepCommand.Request request, string evaluatorName, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot locate the running program to start sweep workers");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
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
            "--out", outDir, "--shard", request.Shard.ToString(), "--protocol", request.Protocol.Name, "--seed", request.Seed.ToString(inv),
            "--evaluator", evaluatorName, "--device", request.Device, "--threads", (request.Threads ?? 1).ToString(inv),
            "--jobs", "1", "--worker", "--no-report",
        };
        foreach (var condition in request.Filter.Arguments()) args.AddRange(["--where", condition]);
        if (request.DataDir is not null) args.AddRange(["--data-dir", request.DataDir]);
        if (request.TensorBoard is not null) args.AddRange(["--tensorboard", request.TensorBoard]);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
