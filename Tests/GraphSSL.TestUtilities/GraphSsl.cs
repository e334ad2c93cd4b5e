using System.Diagnostics;

namespace GraphSSL.TestUtilities;

/// <summary>The built <c>graphssl</c> program (Examples/GraphSSL.Cli) and the benchmark program, run as child processes.</summary>
public static class GraphSsl
{
    /// <summary><c>Examples/GraphSSL.Cli/bin/CONFIGURATION/net10.0/graphssl.dll</c>; throws when it was not built.</summary>
    public static string DllPath => Built(Repository.Path("Examples", "GraphSSL.Cli", "bin", Repository.Configuration, "net10.0", "graphssl.dll"), "the CLI");

    /// <summary><c>Examples/GraphSSL.Benchmarks/bin/CONFIGURATION/net10.0/graphssl-bench.dll</c>; throws when it was not built.</summary>
    public static string BenchmarkDllPath => Built(Repository.Path("Examples", "GraphSSL.Benchmarks", "bin", Repository.Configuration, "net10.0", "graphssl-bench.dll"), "the benchmark");

    /// <summary>
    /// The variables every graphssl child gets: no GRAPHSSL_DATA_DIR of the machine, a cache folder of the tests' own, and no
    /// downloads (a test's outcome must not depend on the network; downloads are tested against a loopback server).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["GRAPHSSL_DATA_DIR"] = "",
        ["GRAPHSSL_OFFLINE"] = "1",
        ["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "graphssl-cli-tests-cache"),
    };

    /// <summary>How <c>dotnet graphssl.dll ARGS…</c> starts; <paramref name="environment"/> comes on top of <see cref="Environment"/>.</summary>
    public static ProcessStartInfo StartInfo(string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, bool redirect, params string[] args)
    {
        var merged = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) merged[name] = value;
        return ChildProcess.DotnetStartInfo([DllPath, .. args], workingDirectory, merged, redirect);
    }

    /// <summary>Runs graphssl in the temporary folder.</summary>
    public static ProcessResult Run(params string[] args) => RunIn(null, args);

    /// <summary>Runs graphssl in <paramref name="workingDirectory"/> (the temporary folder when null).</summary>
    public static ProcessResult RunIn(string? workingDirectory, params string[] args) => RunWith(workingDirectory, null, args);

    /// <summary>Runs graphssl with extra environment variables (e.g. a memory limit).</summary>
    public static ProcessResult RunWith(string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
        => ChildProcess.Run(StartInfo(workingDirectory, environment, redirect: true, args));

    /// <summary>Starts graphssl without waiting (to kill it mid-run); <paramref name="redirect"/> false leaves its streams alone.</summary>
    public static Process Start(string[] args, bool redirect = true) => ChildProcess.Start(StartInfo(null, null, redirect, args));

    static string Built(string path, string what)
        => File.Exists(path) ? path : throw new FileNotFoundException($"Build {what} first: {path}", path);
}
