namespace GraphSSL.TestUtilities;

/// <summary>A fresh folder under the system temporary folder, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "graphssl-tests-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A new, empty subfolder with a unique name that starts with <paramref name="name"/>.</summary>
    public string NewFolder(string name)
    {
        var path = Combine(name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A path under the temporary folder that does not exist.</summary>
    public static string NonExistent(string prefix = "graphssl-missing-")
        => System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    public override string ToString() => Path;

    /// <summary>The folder's path, so a <see cref="TempDirectory"/> goes wherever a path does.</summary>
    public static implicit operator string(TempDirectory directory) => directory.Path;

    public void Dispose() => Delete(Path);

    /// <summary>Deletes a folder and everything in it, ignoring a folder that is gone or still in use.</summary>
    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
