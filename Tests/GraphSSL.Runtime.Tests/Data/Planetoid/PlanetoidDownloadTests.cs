using GraphSSL.Data;
using GraphSSL.Data.Planetoid;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>
/// A Planetoid name found nowhere on disk is downloaded file by file (the real <see cref="ResumableDownload"/> against
/// <see cref="LoopbackHttpServer"/> on 127.0.0.1, serving <see cref="TinyPlanetoid"/>'s files), validated, then cached.
/// </summary>
public class PlanetoidDownloadTests
{
    sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }

    /// <summary>The eight files of a tiny dataset written as <paramref name="name"/>, by file name.</summary>
    static Dictionary<string, byte[]> Files(string name)
    {
        using var temp = new TempDirectory();
        var dir = TinyPlanetoid.Write(Path.Combine(temp.Path, "files"), name);
        return Directory.GetFiles(dir).ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);
    }

    /// <summary>A server answering <c>/ind.NAME.EXT</c> from <paramref name="files"/> (404 for anything else), and resolution against it.</summary>
    static (LoopbackHttpServer Server, DatasetResolver.Sources Sources, HttpClient Client) Serve(Dictionary<string, byte[]> files, string tuCache)
    {
        var server = new LoopbackHttpServer((request, _) =>
            files.TryGetValue(request.Path.TrimStart('/'), out var body) ? new LoopbackHttpServer.Reply(200, body) : LoopbackHttpServer.Reply.NotFound());
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var download = new ResumableDownload(client) { IdleTimeout = TimeSpan.FromSeconds(1), Attempts = 2, RetryDelay = TimeSpan.Zero };
        var sources = new DatasetResolver.Sources(null, tuCache, (url, file) => download.DownloadAsync(url, file))
        {
            PlanetoidUrlFormat = $"http://127.0.0.1:{server.Port}/ind.{{0}}.{{1}}",
        };
        return (server, sources, client);
    }

    [Fact]
    public void A_name_nowhere_on_disk_is_downloaded_validated_and_cached_once()
    {
        using var temp = new TempDirectory();
        var tuCache = Path.Combine(temp.Path, "cache", "graphssl", "TU");
        var (server, sources, client) = Serve(Files("cora"), tuCache);
        using (server)
        using (client)
        {
            var log = new List<string>();
            var data = DatasetResolver.ResolveNodes("Cora", Path.Combine(temp.Path, "empty"), new SyncProgress(log), sources);
            Assert.Equal("Cora", data.Name);
            Assert.Equal(TinyPlanetoid.Nodes, data.NodeCount);
            Assert.Equal(PlanetoidDataset.FileExtensions.Select(e => $"/ind.cora.{e}").Order(), server.Requests.Select(r => r.Path).Distinct().Order());
            var cached = Path.Combine(temp.Path, "cache", "graphssl", "Planetoid", "cora");
            Assert.Equal(PlanetoidDataset.FileExtensions.Select(e => $"ind.cora.{e}").Order(), Directory.GetFiles(cached).Select(Path.GetFileName).Order());
            Assert.False(Directory.Exists(Path.Combine(temp.Path, "cache", "graphssl", "Planetoid", ".downloads")));
            Assert.Single(log, l => l.StartsWith("Cora is not on disk; downloading its 8 files into", StringComparison.Ordinal));
            Assert.Equal(8, log.Count(l => l.StartsWith($"  http://127.0.0.1:{server.Port}/ind.cora.", StringComparison.Ordinal)));
            Assert.Contains(log, l => l.StartsWith("Cached Cora in", StringComparison.Ordinal));

            // The second time it comes from the cache: no request.
            int requests = server.Requests.Count;
            var again = DatasetResolver.ResolveNodes("cora", null, new SyncProgress(log), sources);
            Assert.Equal(data.NodeCount, again.NodeCount);
            Assert.Equal(requests, server.Requests.Count);
            Assert.Contains(log, l => l.StartsWith("Loading Cora from " + cached, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_failed_file_names_its_url_keeps_the_whole_files_and_the_next_call_fetches_only_the_rest()
    {
        using var temp = new TempDirectory();
        var tuCache = Path.Combine(temp.Path, "cache", "TU");
        var files = Files("citeseer");
        var served = new Dictionary<string, byte[]>(files);
        served.Remove("ind.citeseer.graph");
        var (server, sources, client) = Serve(served, tuCache);
        using (server)
        using (client)
        {
            var e = Assert.Throws<DatasetNotFoundException>(() => DatasetResolver.ResolveNodes("CiteSeer", null, null, sources));
            Assert.Contains("downloading it failed", e.Message);
            Assert.Contains($"http://127.0.0.1:{server.Port}/ind.citeseer.graph failed: HTTP 404", e.Message);
            Assert.Contains("the files downloaded so far are kept", e.Message);
            var planetoid = Path.Combine(temp.Path, "cache", "Planetoid");
            Assert.False(Directory.Exists(Path.Combine(planetoid, "citeseer")));
            var staged = Directory.GetFiles(Path.Combine(planetoid, ".downloads", "citeseer")).Select(Path.GetFileName).ToList();
            Assert.Contains("ind.citeseer.x", staged); // fetched before the graph file failed
            Assert.DoesNotContain("ind.citeseer.graph", staged);

            // The server has the file now: the next call fetches what is missing and nothing it already has.
            server.Handler = (request, _) => files.TryGetValue(request.Path.TrimStart('/'), out var body) ? new LoopbackHttpServer.Reply(200, body) : LoopbackHttpServer.Reply.NotFound();
            int before = server.Requests.Count;
            var data = DatasetResolver.ResolveNodes("citeseer", null, null, sources);
            Assert.Equal("CiteSeer", data.Name);
            var second = server.Requests.Skip(before).Select(r => r.Path).Distinct().ToList();
            Assert.Contains("/ind.citeseer.graph", second);
            Assert.DoesNotContain("/ind.citeseer.x", second);
            Assert.True(Directory.Exists(Path.Combine(planetoid, "citeseer")));
            Assert.False(Directory.Exists(Path.Combine(planetoid, ".downloads")));
        }
    }

    [Fact]
    public void A_malformed_download_is_refused_with_the_file_and_offset_and_nothing_is_cached()
    {
        using var temp = new TempDirectory();
        var tuCache = Path.Combine(temp.Path, "cache", "TU");
        var files = Files("pubmed");
        files["ind.pubmed.y"] = [.. files["ind.pubmed.y"].Take(files["ind.pubmed.y"].Length / 2)]; // truncated
        var (server, sources, client) = Serve(files, tuCache);
        using (server)
        using (client)
        {
            var e = Assert.Throws<DatasetFormatException>(() => DatasetResolver.ResolveNodes("PubMed", null, null, sources));
            Assert.Equal("ind.pubmed.y", e.File);
            Assert.NotNull(e.ByteOffset);
            Assert.Contains("nothing was cached", e.Message);
            Assert.Contains($"http://127.0.0.1:{server.Port}/ind.pubmed.*", e.Message);
            var planetoid = Path.Combine(temp.Path, "cache", "Planetoid");
            Assert.False(Directory.Exists(Path.Combine(planetoid, "pubmed")));
            Assert.False(Directory.Exists(Path.Combine(planetoid, ".downloads"))); // a malformed download is not resumed
        }
    }
}
