using System.Diagnostics;
using System.Reflection;

namespace GraphSSL.Cli.Tests;

/// <summary>Runs the built graphssl program as a child process.</summary>
public static class GraphSsl
{
    public sealed record Output(int ExitCode, string StdOut, string StdErr);

    /// <summary>The repository root (the folder holding GraphSSL.Dsl.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GraphSSL.Dsl.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>../shared/datasets/TU beside the repository, when present.</summary>
    public static string? SharedTu()
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", "TU"));
        return Directory.Exists(path) ? path : null;
    }

    static string ProgramPath()
    {
        var configuration = typeof(GraphSsl).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value!;
        var path = Path.Combine(RepoRoot, "Examples", "GraphSSL.Cli", "bin", configuration, "net10.0", "graphssl.dll");
        if (!File.Exists(path)) throw new FileNotFoundException("Build the CLI first: " + path);
        return path;
    }

    public static Output Run(params string[] args) => RunIn(null, args);

    public static Output RunIn(string? workingDirectory, params string[] args) => RunWith(workingDirectory, null, args);

    /// <summary>Runs graphssl with extra environment variables (e.g. a memory limit).</summary>
    public static Output RunWith(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(ProgramPath());
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GRAPHSSL_DATA_DIR"] = "";
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "graphssl-cli-tests-cache");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("graphssl " + string.Join(' ', args) + " did not finish in 5 minutes");
        }
        return new Output(process.ExitCode, stdout.Result, stderr.Result);
    }
}
