using System.Diagnostics;
using System.Text;

namespace GraphSSL.TestUtilities;

/// <summary>What a finished child process left: exit code, its two streams apart and interleaved, how long it took.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, string Output, TimeSpan Elapsed)
{
    /// <summary>The interleaved output, cut to its last 6000 characters for assertion messages.</summary>
    public string Tail => Output.Length <= 6000 ? Output : "…" + Output[^6000..];

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>
/// The one way the tests start programs (mostly <c>dotnet</c>): arguments passed one by one (no quoting), the
/// outer <c>dotnet test</c>'s MSBuild/VSTest variables removed, streams captured without deadlocks, and a
/// timeout that kills the whole process tree and says what hung.
/// </summary>
public static class ChildProcess
{
    /// <summary>The default limit for one run: a hang, not a speed check.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A start description. <paramref name="environment"/> adds or replaces variables (a <see langword="null"/> value
    /// removes one); <paramref name="redirect"/> false leaves the child's streams on the test's console.
    /// </summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool redirect = true)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host may carry MSBuild variables of the outer `dotnet test`; a child build must not see them.
        foreach (var key in start.Environment.Keys.ToList())
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>A start description for <c>dotnet ARGS…</c>.</summary>
    public static ProcessStartInfo DotnetStartInfo(IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool redirect = true)
        => StartInfo("dotnet", args, workingDirectory, environment, redirect);

    /// <summary>Runs <c>dotnet ARGS…</c> to the end.</summary>
    public static ProcessResult Dotnet(string? workingDirectory, params string[] args)
        => Run(DotnetStartInfo(args, workingDirectory));

    /// <summary>
    /// Runs <paramref name="start"/> to the end (or kills its tree after <paramref name="timeout"/>, default
    /// <see cref="DefaultTimeout"/>, and throws <see cref="TimeoutException"/> with the output so far). A program
    /// that cannot be started at all (not installed) throws <see cref="System.ComponentModel.Win32Exception"/>.
    /// </summary>
    public static ProcessResult Run(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var limit = timeout ?? DefaultTimeout;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var both = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdout, both);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderr, both);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            lock (both) throw new TimeoutException($"{Describe(start)} did not finish in {limit.TotalMinutes:0.#} minutes (a hang):\n{both}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (both) return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), both.ToString(), watch.Elapsed);
    }

    /// <summary>Starts <paramref name="start"/> without waiting; redirected streams are drained (and dropped) in the background.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        if (start.RedirectStandardOutput) { process.OutputDataReceived += (_, _) => { }; process.BeginOutputReadLine(); }
        if (start.RedirectStandardError) { process.ErrorDataReceived += (_, _) => { }; process.BeginErrorReadLine(); }
        return process;
    }

    /// <summary>The command line, for messages.</summary>
    public static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);

    static void Append(string? line, StringBuilder own, StringBuilder both)
    {
        if (line is null) return;
        lock (both)
        {
            own.AppendLine(line);
            both.AppendLine(line);
        }
    }
}
