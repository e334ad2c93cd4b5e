using System.IO.Compression;
using System.Net;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

public class DatasetResolverTests
{
    /// <summary>A downloader that must not be called.</summary>
    static Task NoDownload(string url, string file) => throw new InvalidOperationException($"unexpected download of {url}");

    /// <summary>A downloader that behaves like a machine without network access.</summary>
    static Task Offline(string url, string file) => throw new HttpRequestException("Name or service not known (www.chrsmrrs.com:443)");

    static DatasetResolver.Sources Sources(string? env, string cache, Func<string, string, Task>? download = null)
        => new(env, cache, download ?? NoDownload);

    [Theory]
    [InlineData("synthetic")]
    [InlineData("Synthetic")]
    [InlineData(" SYNTHETIC ")]
    public void Synthetic_needs_no_files(string name)
    {
        using var temp = new TempDirectory();
        var data = DatasetResolver.Resolve(name, null, null, Sources(null, Path.Combine(temp.Path, "cache")));
        Assert.Equal("synthetic", data.Name);
        Assert.Equal(450, data.GraphCount); // default: 150 per class × 3 classes
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "cache")));
    }

    [Fact]
    public void An_existing_folder_is_loaded_directly()
    {
        var data = DatasetResolver.Resolve(DataPaths.Fixture("TINY"), null, null, Sources(null, "/nonexistent-cache"));
        Assert.Equal("TINY", data.Name);
        Assert.Equal(5, data.NodeCount);
    }

    [Fact]
    public void Names_are_looked_up_in_data_dir_then_environment_then_cache()
    {
        // The same name "TINY" exists in all three places with different contents: data dir holds TINY,
        // the environment folder holds DUPS renamed to TINY, the cache PARTIAL renamed to TINY; each is
        // recognised by its graph count (TINY 2 graphs, DUPS 2 graphs with 9 edges, PARTIAL 1 graph).
        using var temp = new TempDirectory();
        var dataDir = Path.Combine(temp.Path, "data");
        var envDir = Path.Combine(temp.Path, "env");
        var cache = Path.Combine(temp.Path, "cache");
        temp.CopyFixture("TINY", "data/TINY");
        CopyRenamed("DUPS", Path.Combine(envDir, "TINY"), "TINY");
        CopyRenamed("PARTIAL", Path.Combine(cache, "TINY"), "TINY");
        var log = new List<string>();
        var progress = new SyncProgress(log);

        Assert.Equal(8, DatasetResolver.Resolve("TINY", dataDir, progress, Sources(envDir, cache)).EdgeCount);
        Assert.Contains(log, l => l.Contains(Path.Combine(dataDir, "TINY"), StringComparison.Ordinal));
        Assert.Equal(9, DatasetResolver.Resolve("TINY", null, progress, Sources(envDir, cache)).EdgeCount);
        Assert.Equal(1, DatasetResolver.Resolve("TINY", null, progress, Sources(null, cache)).GraphCount);
        // A data dir without the dataset falls through to the next place.
        Assert.Equal(9, DatasetResolver.Resolve("TINY", Path.Combine(temp.Path, "elsewhere"), progress, Sources(envDir, cache)).EdgeCount);
    }

    [Fact]
    public void A_bare_name_means_a_current_directory_folder_only_when_it_holds_TU_files()
    {
        // A run's output folder named like the dataset (cd runs; reproduce --dataset NAME --out NAME/…) must not
        // shadow the dataset in --data-dir. The folder is created in the current directory under a unique name,
        // so no other test sees it and the current directory is never changed.
        using var temp = new TempDirectory();
        var name = "SHADOW" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var dataDir = Path.Combine(temp.Path, "data");
        CopyRenamed("TINY", Path.Combine(dataDir, name), name);
        var local = Path.Combine(Directory.GetCurrentDirectory(), name);
        Directory.CreateDirectory(Path.Combine(local, "seeds"));
        try
        {
            var log = new List<string>();
            var data = DatasetResolver.Resolve(name, dataDir, new SyncProgress(log), Sources(null, Path.Combine(temp.Path, "cache")));
            Assert.Equal(2, data.GraphCount);
            Assert.Contains(log, l => l.Contains(Path.Combine(dataDir, name), StringComparison.Ordinal));

            // The same folder holding TU files is loaded directly, as before (a local dataset folder keeps working).
            CopyRenamed("PARTIAL", local, name);
            Assert.Equal(1, DatasetResolver.Resolve(name, dataDir, null, Sources(null, Path.Combine(temp.Path, "cache"))).GraphCount);
            // Written as a path, an existing folder is always loaded as one (and its errors are reported).
            Assert.Equal(1, DatasetResolver.Resolve("./" + name, dataDir, null, Sources(null, Path.Combine(temp.Path, "cache"))).GraphCount);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public void Names_match_folders_case_insensitively()
    {
        using var temp = new TempDirectory();
        temp.CopyFixture("TINY", "data/TINY");
        var data = DatasetResolver.Resolve("tiny", Path.Combine(temp.Path, "data"), null, Sources(null, Path.Combine(temp.Path, "cache")));
        Assert.Equal("TINY", data.Name);
    }

    [Fact]
    public void The_environment_variable_is_read_by_the_public_overload()
    {
        using var temp = new TempDirectory();
        temp.CopyFixture("TINY", "env/TINY");
        var before = Environment.GetEnvironmentVariable(DatasetResolver.DataDirEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetResolver.DataDirEnvironmentVariable, Path.Combine(temp.Path, "env"));
            Assert.Equal("TINY", DatasetResolver.Resolve("TINY").Name);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetResolver.DataDirEnvironmentVariable, before);
        }
    }

    [Theory]
    [InlineData("../TINY")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("x..y")]
    public void Names_with_path_separators_or_dot_dot_are_refused(string name)
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => DatasetResolver.Resolve(name, temp.Path, null, Sources(null, Path.Combine(temp.Path, "cache"))));
        Assert.Contains("path separators or '..'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_error_says_where_it_looked_and_how_to_fix_it()
    {
        using var temp = new TempDirectory();
        var dataDir = Directory.CreateDirectory(Path.Combine(temp.Path, "data")).FullName;
        var envDir = Path.Combine(temp.Path, "env-missing");
        var cache = Path.Combine(temp.Path, "cache");

        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("MUTAG", dataDir, null, Sources(envDir, cache, Offline)));

        Assert.IsAssignableFrom<DirectoryNotFoundException>(e); // the CLI reports it as a user error
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Equal("MUTAG", e.Dataset);
        Assert.Equal([Path.Combine(dataDir, "MUTAG"), Path.Combine(envDir, "MUTAG"), Path.Combine(cache, "MUTAG")], e.SearchedDirectories);
        foreach (var expected in new[]
        {
            Path.Combine(dataDir, "MUTAG") + " (no such folder)",
            Path.Combine(envDir, "MUTAG") + $" (folder {envDir} does not exist)",
            Path.Combine(cache, "MUTAG"),
            "https://www.chrsmrrs.com/graphkerneldatasets/MUTAG.zip",
            "Name or service not known",
            "--data-dir",
            "GRAPHSSL_DATA_DIR",
        })
        {
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        // No half-downloaded leftovers in the cache.
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData(" 0 ", false)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    public void GRAPHSSL_OFFLINE_turns_downloads_off_unless_empty_0_or_false(string? value, bool offline)
        => Assert.Equal(offline, DatasetResolver.Sources.IsOffline(value));

    [Fact]
    public void Offline_error_without_data_dir_or_environment_says_so()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("NCI1", null, null, Sources(null, Path.Combine(temp.Path, "cache"), Offline)));
        Assert.Contains("--data-dir        (not given)", e.Message, StringComparison.Ordinal);
        Assert.Contains("GRAPHSSL_DATA_DIR (not set)", e.Message, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(temp.Path, "cache", "NCI1")], e.SearchedDirectories);
    }

    [Fact]
    public void A_download_lands_in_the_cache_and_is_reused()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOf(temp, "TINY");
        var urls = new List<string>();
        Task Serve(string url, string file)
        {
            urls.Add(url);
            File.Copy(zip, file);
            return Task.CompletedTask;
        }

        var data = DatasetResolver.Resolve("TINY", null, null, Sources(null, cache, Serve));
        Assert.Equal("TINY", data.Name);
        Assert.Equal(5, data.NodeCount);
        Assert.Equal(["https://www.chrsmrrs.com/graphkerneldatasets/TINY.zip"], urls);
        Assert.True(File.Exists(Path.Combine(cache, "TINY", "TINY_A.txt")));
        Assert.Equal(["TINY"], Directory.GetDirectories(cache).Select(Path.GetFileName)); // temp folder removed

        // Second time: from the cache, no download.
        Assert.Equal(5, DatasetResolver.Resolve("tiny", null, null, Sources(null, cache, NoDownload)).NodeCount);
    }

    [Fact]
    public void A_lower_case_name_that_is_not_found_online_is_retried_in_upper_case()
    {
        using var temp = new TempDirectory();
        var zip = ZipOf(temp, "TINY");
        var urls = new List<string>();
        Task Serve(string url, string file)
        {
            urls.Add(url);
            if (!url.EndsWith("/TINY.zip", StringComparison.Ordinal)) throw new HttpRequestException("Not Found", null, HttpStatusCode.NotFound);
            File.Copy(zip, file);
            return Task.CompletedTask;
        }
        var data = DatasetResolver.Resolve("tiny", null, null, Sources(null, Path.Combine(temp.Path, "cache"), Serve));
        Assert.Equal("TINY", data.Name);
        Assert.Equal(["https://www.chrsmrrs.com/graphkerneldatasets/tiny.zip", "https://www.chrsmrrs.com/graphkerneldatasets/TINY.zip"], urls);
    }

    [Fact]
    public void An_unknown_name_reports_http_404()
    {
        using var temp = new TempDirectory();
        static Task NotFound(string url, string file) => throw new HttpRequestException("Not Found", null, HttpStatusCode.NotFound);
        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("NOSUCH", null, null, Sources(null, Path.Combine(temp.Path, "cache"), NotFound)));
        Assert.Contains("HTTP 404", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_download_is_a_format_error_and_leaves_the_cache_clean()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        static Task Garbage(string url, string file) => File.WriteAllTextAsync(file, "<html>captive portal</html>");
        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Sources(null, cache, Garbage)));
        Assert.Equal("TINY.zip", e.File);
        Assert.Contains("not a valid zip archive", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public void Cache_directory_follows_xdg_then_home()
    {
        string? Env(string key, string? xdg, string? home) => key switch { "XDG_CACHE_HOME" => xdg, "HOME" => home, _ => null };
        Assert.Equal(Path.Combine("/x/cache", "graphssl", "TU"), DatasetResolver.ComputeCacheDirectory(k => Env(k, "/x/cache", "/home/u"), isWindows: false));
        Assert.Equal(Path.Combine("/home/u", ".cache", "graphssl", "TU"), DatasetResolver.ComputeCacheDirectory(k => Env(k, null, "/home/u"), isWindows: false));
        // The XDG spec says relative paths are invalid and must be ignored.
        Assert.Equal(Path.Combine("/home/u", ".cache", "graphssl", "TU"), DatasetResolver.ComputeCacheDirectory(k => Env(k, "relative", "/home/u"), isWindows: false));
        Assert.EndsWith(Path.Combine("graphssl", "TU"), DatasetResolver.CacheDirectory, StringComparison.Ordinal);
    }

    static void CopyRenamed(string fixture, string target, string newPrefix)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(DataPaths.Fixture(fixture)))
        {
            var name = Path.GetFileName(file);
            if (!name.Contains('_', StringComparison.Ordinal)) continue; // README.txt
            File.Copy(file, Path.Combine(target, newPrefix + name[name.IndexOf('_')..]));
        }
    }

    /// <summary>A zip laid out like the TU collection's: one folder NAME/ holding the files.</summary>
    static string ZipOf(TempDirectory temp, string fixture)
    {
        var staged = temp.CopyFixture(fixture, Path.Combine("zipsrc", fixture));
        var zip = Path.Combine(temp.Path, fixture + ".zip");
        ZipFile.CreateFromDirectory(staged, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
        return zip;
    }

    /// <summary>Collects log lines synchronously (<see cref="Progress{T}"/> would post them later).</summary>
    sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
