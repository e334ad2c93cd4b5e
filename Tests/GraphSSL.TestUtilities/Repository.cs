namespace GraphSSL.TestUtilities;

/// <summary>The repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding <c>GraphSSL.Dsl.sln</c>, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    /// <summary>A path below the root, e.g. <c>Repository.Path("docs", "DSL.md")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The first folder at or above <paramref name="start"/> that holds <c>GraphSSL.Dsl.sln</c>.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"GraphSSL.Dsl.sln not found above {start}.");
    }

    /// <summary>Debug or Release: the configuration the test projects (and the programs they run) were built in.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;
}
