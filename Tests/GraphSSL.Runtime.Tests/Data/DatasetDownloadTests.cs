using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>
/// Issue 13 (real downloads) and issue 15 (hostile archives): <see cref="DatasetResolver"/> with the real
/// <see cref="ResumableDownload"/> against <see cref="LoopbackHttpServer"/> on 127.0.0.1, serving TU-style zips
/// built here from the fixtures. No other address is contacted; every timeout is at most a few seconds.
/// </summary>
public class DatasetDownloadTests
{
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    static HttpClient LoopbackClient() => new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Resolution against <paramref name="server"/> with a real HTTP download into <paramref name="cache"/>.</summary>
    static DatasetResolver.Sources Over(LoopbackHttpServer server, string cache, HttpClient client, int attempts = 3, IProgress<DownloadProgress>? progress = null, long? maxBytes = null)
    {
        var download = new ResumableDownload(client, progress) { IdleTimeout = Idle, Attempts = attempts, RetryDelay = TimeSpan.Zero };
        return new DatasetResolver.Sources(null, cache, (url, file) => download.DownloadAsync(url, file))
        {
            UrlFormat = server.UrlFormat,
            MaxExtractedBytes = maxBytes ?? SafeZip.DefaultMaxExtractedBytes,
        };
    }

    /// <summary>Bytes of a zip laid out like the TU collection's: <c>NAME/NAME_*.txt</c>.</summary>
    internal static byte[] ZipOfFixture(string fixture, Action<Dictionary<string, byte[]>>? edit = null)
    {
        var files = Directory.GetFiles(DataPaths.Fixture(fixture)).ToDictionary(p => $"{fixture}/{Path.GetFileName(p)}", File.ReadAllBytes);
        edit?.Invoke(files);
        return ZipOf(files.Select(kv => (kv.Key, kv.Value)));
    }

    internal static byte[] ZipOf(IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = archive.CreateEntry(name, level);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }
        return memory.ToArray();
    }

    /// <summary>What the cache holds, relative, sorted: the dataset folders and any leftovers.</summary>
    static string[] CacheEntries(string cache) => Directory.Exists(cache)
        ? Directory.EnumerateFileSystemEntries(cache, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(cache, p)).Order(StringComparer.Ordinal).ToArray()
        : [];

    [Fact]
    public void A_real_http_download_is_cached_reported_and_reused()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY");
        using var server = new LoopbackHttpServer((_, _) => new LoopbackHttpServer.Reply(200, zip));
        using var client = LoopbackClient();
        var reports = new List<DownloadProgress>();
        var progress = new SyncProgress<DownloadProgress>(reports.Add);

        var data = DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client, progress: progress));

        Assert.Equal(5, data.NodeCount);
        Assert.Equal(["GET /TINY.zip"], server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(
            ["TINY", "TINY/README.txt", "TINY/TINY_A.txt", "TINY/TINY_edge_labels.txt", "TINY/TINY_graph_indicator.txt",
             "TINY/TINY_graph_labels.txt", "TINY/TINY_node_attributes.txt", "TINY/TINY_node_labels.txt"],
            CacheEntries(cache)); // no zip, no .part, no extraction folder left
        // Progress: from 0 to the whole file, never backwards, the last one marked done.
        Assert.Equal(0, reports[0].Received);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Received >= p.First.Received));
        Assert.Equal(new DownloadProgress(server.UrlFormat.Replace("{0}", "TINY", StringComparison.Ordinal), zip.Length, zip.Length, Done: true), reports[^1]);

        Assert.Equal(5, DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)).NodeCount);
        Assert.Single(server.Requests); // the second time from the cache
    }

    [Fact]
    public void The_progress_bar_draws_on_a_terminal_and_nothing_otherwise()
    {
        Assert.Null(DownloadProgressBar.ForTerminal(new StringWriter(), isTerminal: false));

        var time = new ManualTime();
        var writer = new StringWriter();
        var bar = DownloadProgressBar.ForTerminal(writer, isTerminal: true, time)!;
        const string url = "http://127.0.0.1:1/MUTAG.zip";
        bar.Report(new DownloadProgress(url, 0, 2_000_000));
        bar.Report(new DownloadProgress(url, 500_000, 2_000_000)); // within 100 ms: skipped
        time.Advance(TimeSpan.FromMilliseconds(150));
        bar.Report(new DownloadProgress(url, 1_000_000, 2_000_000));
        bar.Report(new DownloadProgress(url, 2_000_000, 2_000_000, Done: true)); // final: always drawn
        var frames = writer.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, frames.Length);
        Assert.Equal("MUTAG.zip [..............................]   0% 0 B / 2.0 MB", frames[0]);
        Assert.Equal("MUTAG.zip [###############...............]  50% 1.0 MB / 2.0 MB", frames[1]);
        Assert.Equal("MUTAG.zip [##############################] 100% 2.0 MB / 2.0 MB" + Environment.NewLine, frames[2]);

        // Through a real download: drawn to the writer, ending on its own line.
        using var temp = new TempDirectory();
        var zip = ZipOfFixture("TINY");
        using var server = new LoopbackHttpServer((_, _) => new LoopbackHttpServer.Reply(200, zip));
        using var client = LoopbackClient();
        var terminal = new StringWriter();
        DatasetResolver.Resolve("TINY", null, null, Over(server, Path.Combine(temp.Path, "cache"), client, progress: DownloadProgressBar.ForTerminal(terminal, true)));
        Assert.EndsWith($"TINY.zip [##############################] 100% {ResumableDownload.FormatBytes(zip.Length)} / {ResumableDownload.FormatBytes(zip.Length)}" + Environment.NewLine, terminal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_cut_mid_body_is_resumed_with_a_range_request()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY");
        int half = zip.Length / 2;
        using var server = new LoopbackHttpServer((_, n) => new LoopbackHttpServer.Reply(200, zip) { CutAfter = n == 0 ? half : null });
        using var client = LoopbackClient();

        var data = DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client));

        Assert.Equal(5, data.NodeCount);
        Assert.Equal([null, $"bytes={half}-"], server.Requests.Select(r => r.Range));
        Assert.Equal("\"v1\"", server.Requests.ElementAt(1).Headers["if-range"]); // resumed only if it is the same file
        Assert.Equal(zip.Length, server.BodyBytesSent); // nothing fetched twice
        Assert.Equal("TINY", Assert.Single(Directory.GetDirectories(cache).Select(Path.GetFileName)));
    }

    [Fact]
    public void An_interrupted_download_keeps_its_part_file_and_the_next_run_resumes_it()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY");
        int third = zip.Length / 3;
        using var server = new LoopbackHttpServer((_, n) => new LoopbackHttpServer.Reply(200, zip) { CutAfter = n == 0 ? third : null });
        using var client = LoopbackClient();

        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client, attempts: 1)));
        Assert.Contains("resumed next time", e.Message, StringComparison.Ordinal);
        Assert.Equal([".downloads", ".downloads/TINY.zip.part", ".downloads/TINY.zip.part.validator"], CacheEntries(cache).Select(p => p.Replace('\\', '/')));
        Assert.Equal(third, new FileInfo(Path.Combine(cache, ".downloads", "TINY.zip.part")).Length);

        Assert.Equal(5, DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)).NodeCount);
        Assert.Equal($"bytes={third}-", server.Requests.ElementAt(1).Range);
        Assert.DoesNotContain(".downloads", CacheEntries(cache));
    }

    [Fact]
    public void A_server_that_ignores_ranges_gets_the_file_again_from_the_start()
    {
        using var temp = new TempDirectory();
        var zip = ZipOfFixture("TINY");
        using var server = new LoopbackHttpServer((_, n) => new LoopbackHttpServer.Reply(200, zip) { CutAfter = n == 0 ? 100 : null, HonourRange = false });
        using var client = LoopbackClient();
        Assert.Equal(5, DatasetResolver.Resolve("TINY", null, null, Over(server, Path.Combine(temp.Path, "cache"), client)).NodeCount);
        Assert.Equal("bytes=100-", server.Requests.ElementAt(1).Range);
        Assert.Equal(100 + zip.Length, server.BodyBytesSent); // 200 instead of 206: whole file again, not appended
    }

    [Fact]
    public void A_changed_file_on_the_server_is_not_spliced_onto_the_old_part()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var old = ZipOfFixture("TINY");
        var current = ZipOfFixture("TINY", files => files["TINY/README.txt"] = Encoding.UTF8.GetBytes("a newer version of the archive\n"));
        using var server = new LoopbackHttpServer((_, n) => n == 0
            ? new LoopbackHttpServer.Reply(200, old) { CutAfter = old.Length / 2, ETag = "\"old\"" }
            : new LoopbackHttpServer.Reply(200, current) { ETag = "\"new\"" });
        using var client = LoopbackClient();
        Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client, attempts: 1)));
        Assert.Equal(5, DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)).NodeCount);
        Assert.Equal("\"old\"", server.Requests.ElementAt(1).Headers["if-range"]);
        Assert.Equal("a newer version of the archive\n", File.ReadAllText(Path.Combine(cache, "TINY", "README.txt")));
    }

    [Fact]
    public void Http_404_names_the_dataset_and_the_url()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        using var server = new LoopbackHttpServer((_, _) => LoopbackHttpServer.Reply.NotFound());
        using var client = LoopbackClient();
        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("NOSUCH", null, null, Over(server, cache, client)));
        Assert.Equal("NOSUCH", e.Dataset);
        Assert.Contains("Dataset 'NOSUCH' was not found", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Download of http://127.0.0.1:{server.Port}/NOSUCH.zip failed: HTTP 404", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests); // upper-case name: no second try
        Assert.Empty(CacheEntries(cache));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_server_that_stops_sending_times_out_and_says_so(bool beforeHeaders)
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY");
        using var server = new LoopbackHttpServer((_, _) => beforeHeaders
            ? new LoopbackHttpServer.Reply(200, zip) { StallBeforeHeaders = true }
            : new LoopbackHttpServer.Reply(200, zip) { StallAfter = 200 });
        using var client = LoopbackClient();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)));
        watch.Stop();
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Contains($"Download of http://127.0.0.1:{server.Port}/TINY.zip failed: timed out", e.Message, StringComparison.Ordinal);
        Assert.Contains(beforeHeaders ? "no response from" : "sent no data for 1 s after 200 B", e.Message, StringComparison.Ordinal);
        // The client's idle timer and this stopwatch use different clocks: allow 50 ms below the timeout (seen: 0.99987 s).
        Assert.InRange(watch.Elapsed, Idle - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("TINY", CacheEntries(cache)); // no dataset; at most the resumable part
    }

    [Fact]
    public void A_truncated_zip_is_refused_clearly_and_nothing_is_cached()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY");
        // No Content-Length: the client cannot tell the body is short; the archive itself must be checked.
        using var server = new LoopbackHttpServer((_, _) => new LoopbackHttpServer.Reply(200, zip[..(zip.Length * 2 / 3)]) { OmitContentLength = true });
        using var client = LoopbackClient();
        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)));
        Assert.Equal("TINY.zip", e.File);
        Assert.Contains("not a valid zip archive, perhaps truncated or damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{server.Port}/TINY.zip", e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheEntries(cache));
    }

    [Fact]
    public void A_zip_with_damaged_data_is_refused_by_its_checksum_and_nothing_is_cached()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        // Stored (uncompressed) entries: a flipped byte is still readable, only the CRC-32 betrays it.
        var zip = ZipOf([("TINY/TINY_A.txt", File.ReadAllBytes(Path.Combine(DataPaths.Fixture("TINY"), "TINY_A.txt")))], CompressionLevel.NoCompression);
        int at = IndexOf(zip, "4, 5"u8);
        zip[at] = (byte)'5';
        using var server = new LoopbackHttpServer((_, _) => new LoopbackHttpServer.Reply(200, zip));
        using var client = LoopbackClient();
        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("TINY/TINY_A.txt", e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheEntries(cache));
    }

    [Fact]
    public void A_downloaded_dataset_whose_counts_disagree_is_refused_naming_both_files_and_the_url()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zip = ZipOfFixture("TINY", files => files["TINY/TINY_A.txt"] = []);
        using var server = new LoopbackHttpServer((_, _) => new LoopbackHttpServer.Reply(200, zip));
        using var client = LoopbackClient();
        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Over(server, cache, client)));
        Assert.Equal("TINY_edge_labels.txt", e.File);
        Assert.Equal(1, e.Line);
        Assert.Contains("TINY_A.txt is empty (0 edges)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"in TINY.zip downloaded from http://127.0.0.1:{server.Port}/TINY.zip; nothing was cached", e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheEntries(cache));
    }

    // ---------------------------------------------------------------- hostile archives

    public static TheoryData<string, string> HostileArchives() => new()
    {
        { "dot-dot", "climbs out of the target folder with '..'" },
        { "dot-dot-nested", "climbs out of the target folder with '..'" },
        { "absolute", "has an absolute path" },
        { "backslash-dot-dot", "climbs out of the target folder with '..'" },
        { "duplicate", "appears twice" },
        { "duplicate-case", "appears twice" },
        { "symlink", "is a symbolic link" },
        { "no-adjacency", "holds no *_A.txt file" },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public void A_hostile_archive_is_refused_writing_nothing_outside_and_caching_nothing(string kind, string problem)
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var outside = Path.Combine(temp.Path, "escaped.txt");
        var tiny = Directory.GetFiles(DataPaths.Fixture("TINY")).Select(p => ($"TINY/{Path.GetFileName(p)}", File.ReadAllBytes(p))).ToList();
        var evil = "pwned\n"u8.ToArray();
        var absolute = Path.Combine(temp.Path, "absolute-escape.txt");
        byte[] zip = kind switch
        {
            "dot-dot" => ZipOf([.. tiny, ("../../escaped.txt", evil)]),
            "dot-dot-nested" => ZipOf([.. tiny, ("TINY/../../../escaped.txt", evil)]),
            "absolute" => ZipOf([.. tiny, (absolute, evil)]),
            "backslash-dot-dot" => ZipOf([.. tiny, ("..\\..\\escaped.txt", evil)]),
            "duplicate" => ZipOf([.. tiny, ("TINY/TINY_A.txt", "1, 2\n"u8.ToArray())]),
            "duplicate-case" => ZipOf([.. tiny, ("tiny/tiny_a.txt", "1, 2\n"u8.ToArray())]),
            "symlink" => WithSymlink(tiny, "TINY/link", "/etc/passwd"),
            "no-adjacency" => ZipOf(tiny.Where(t => !t.Item1.EndsWith("_A.txt", StringComparison.Ordinal))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Serving(cache, zip)));

        Assert.Equal("TINY.zip", e.File);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(absolute));
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName)); // nothing beside the cache
        Assert.Empty(CacheEntries(cache)); // no dataset, no zip, no extraction folder
    }

    [Fact]
    public void A_zip_bomb_is_stopped_by_the_cap_on_declared_bytes()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zeros = new byte[64 << 20]; // 64 MB of zeros deflate to about 64 KB
        var zip = ZipOf([.. TinyEntries(), ("TINY/padding.bin", zeros)], CompressionLevel.SmallestSize);
        Assert.True(zip.Length < 1 << 20);

        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Serving(cache, zip) with { MaxExtractedBytes = 16 << 20 }));
        Assert.Contains("entries declare 67.1 MB of data, more than the 16.8 MB allowed", e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheEntries(cache));
    }

    [Fact]
    public void A_zip_bomb_that_lies_about_its_size_is_refused_without_inflating_past_the_declared_size()
    {
        using var temp = new TempDirectory();
        var cache = Path.Combine(temp.Path, "cache");
        var zeros = new byte[32 << 20];
        var zip = ZipOf([.. TinyEntries(), ("TINY/padding.bin", zeros)], CompressionLevel.SmallestSize);
        PatchDeclaredSize(zip, "TINY/padding.bin", 1000); // claims 1,000 bytes, inflates to 32 MB

        var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.Resolve("TINY", null, null, Serving(cache, zip) with { MaxExtractedBytes = 8 << 20 }));
        // SafeZip counts the real bytes against the declared size; the .NET inflater itself also stops at the declared
        // size, in which case the 1,000 bytes it yields fail the CRC-32. Either way no more than 1,000 bytes are written.
        Assert.True(e.Message.Contains("entry 'TINY/padding.bin' inflates to more than the 1000 bytes it declares", StringComparison.Ordinal)
            || e.Message.Contains("entry 'TINY/padding.bin' is damaged (CRC-32", StringComparison.Ordinal), e.Message);
        Assert.Empty(CacheEntries(cache));
    }

    [Fact]
    public void Dataset_names_starting_with_a_dot_are_refused_so_cache_internals_never_match()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "cache", ".downloads"));
        var e = Assert.Throws<ArgumentException>(() => DatasetResolver.Resolve(".downloads", null, null, new DatasetResolver.Sources(null, Path.Combine(temp.Path, "cache"), (_, _) => Task.CompletedTask)));
        Assert.Contains("may not start with '.'", e.Message, StringComparison.Ordinal);
    }

    static List<(string, byte[])> TinyEntries()
        => Directory.GetFiles(DataPaths.Fixture("TINY")).Select(p => ($"TINY/{Path.GetFileName(p)}", File.ReadAllBytes(p))).ToList();

    /// <summary>Sources whose downloader copies <paramref name="zip"/> (no network: the archive is what is under test).</summary>
    static DatasetResolver.Sources Serving(string cache, byte[] zip)
        => new(null, cache, (_, file) => File.WriteAllBytesAsync(file, zip));

    static byte[] WithSymlink(List<(string, byte[])> entries, string name, string target)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (n, bytes) in entries)
            {
                using var s = archive.CreateEntry(n).Open();
                s.Write(bytes);
            }
            var link = archive.CreateEntry(name);
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16)); // S_IFLNK | 0777
            using var stream = link.Open();
            stream.Write(Encoding.UTF8.GetBytes(target));
        }
        return memory.ToArray();
    }

    /// <summary>Overwrites the uncompressed size of <paramref name="entryName"/> in its local and central headers.</summary>
    static void PatchDeclaredSize(byte[] zip, string entryName, uint size)
    {
        var name = Encoding.UTF8.GetBytes(entryName);
        int patched = 0;
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x02014b50 && zip.AsSpan(i + 46).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size); // central directory
                int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i + 42));
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(local + 22), size); // local header
                patched++;
            }
        }
        Assert.Equal(1, patched);
    }

    static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return at;
    }

    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    sealed class ManualTime : TimeProvider
    {
        long _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
