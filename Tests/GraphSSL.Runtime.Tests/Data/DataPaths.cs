using GraphSSL.Data.Planetoid;

namespace GraphSSL.Tests.Data;

/// <summary>Where the data tests find their fixtures and the shared TU datasets.</summary>
internal static class DataPaths
{
    /// <summary>The folder holding <c>GraphSSL.Dsl.sln</c>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The hand-written fixtures: copied next to the test binaries when the project copies them,
    /// otherwise read from the source tree.
    /// </summary>
    public static string Fixtures { get; } = FindFixtures();

    /// <summary>A fixture folder by name.</summary>
    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>A shared TU dataset folder (<c>../shared/datasets/TU/NAME</c>), or <see langword="null"/> when absent.</summary>
    public static string? SharedTu(string name)
    {
        var dir = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "TU", name));
        return Directory.Exists(dir) ? dir : null;
    }

    /// <summary>
    /// The shared Planetoid root (<c>../shared/datasets/Planetoid</c>, holding <c>cora/</c>, <c>citeseer/</c>) when it
    /// holds <paramref name="name"/>'s files, otherwise <see langword="null"/>.
    /// </summary>
    public static string? SharedPlanetoid(string name)
    {
        var root = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "Planetoid"));
        return PlanetoidDataset.HasFiles(Path.Combine(root, name.ToLowerInvariant()), name) ? root : null;
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"GraphSSL.Dsl.sln not found above {AppContext.BaseDirectory}.");
    }

    static string FindFixtures()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures");
        if (Directory.Exists(copied)) return copied;
        return Path.Combine(FindRepositoryRoot(), "Tests", "GraphSSL.Runtime.Tests", "Data", "Fixtures");
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graphssl-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies the fixture <paramref name="fixture"/> to <c>this/relative</c> and returns that path.</summary>
    public string CopyFixture(string fixture, string relative)
    {
        var target = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(DataPaths.Fixture(fixture)))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
