using GraphSSL.Data.Planetoid;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>Where the data tests find their fixtures (the shared datasets: <see cref="SharedData"/>).</summary>
internal static class DataPaths
{
    /// <summary>
    /// The hand-written fixtures: copied next to the test binaries when the project copies them,
    /// otherwise read from the source tree.
    /// </summary>
    public static string Fixtures { get; } = FindFixtures();

    /// <summary>A fixture folder by name.</summary>
    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>Copies the fixture <paramref name="fixture"/> to <c>temp/relative</c> and returns that path.</summary>
    public static string CopyFixture(this TempDirectory temp, string fixture, string relative)
    {
        var target = temp.Combine(relative);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Fixture(fixture)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    static string FindFixtures()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures");
        if (Directory.Exists(copied)) return copied;
        return Repository.Path("Tests", "GraphSSL.Runtime.Tests", "Data", "Fixtures");
    }
}
