using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

public class PlanetoidResolverTests
{
    sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }

    static Task NoDownload(string url, string file) => throw new InvalidOperationException($"unexpected download of {url}");

    static Task Offline(string url, string file) => throw new HttpRequestException("no network here");

    [Theory]
    [InlineData("cora")] // <root>/<name>/
    [InlineData("CORA/raw")] // PyG's <root>/<Name>/raw/
    [InlineData("Planetoid/Cora")] // <root>/Planetoid/<name>/
    [InlineData("")] // the files in the root itself
    public void Names_are_found_in_the_layouts_people_keep_them_in(string layout)
    {
        using var temp = new TempDirectory();
        var root = Path.Combine(temp.Path, "data");
        TinyPlanetoid.Write(Path.Combine(root, layout), "cora"); // written under the name Cora so the name resolves
        var data = DatasetResolver.ResolveNodes("CORA", root, null, new DatasetResolver.Sources(null, Path.Combine(temp.Path, "cache", "TU"), NoDownload));
        Assert.Equal("Cora", data.Name);
        Assert.Equal(TinyPlanetoid.Nodes, data.NodeCount);
    }

    [Fact]
    public void Data_dir_then_environment_then_the_planetoid_cache()
    {
        using var temp = new TempDirectory();
        var env = Path.Combine(temp.Path, "env");
        var tuCache = Path.Combine(temp.Path, "cache", "graphssl", "TU");
        TinyPlanetoid.Write(Path.Combine(env, "citeseer"), "citeseer");
        TinyPlanetoid.Write(Path.Combine(temp.Path, "cache", "graphssl", "Planetoid", "citeseer"), "citeseer");
        var log = new List<string>();
        var progress = new SyncProgress(log);
        DatasetResolver.ResolveNodes("citeseer", Path.Combine(temp.Path, "empty"), progress, new DatasetResolver.Sources(env, tuCache, NoDownload));
        Assert.Contains(log, l => l.Contains(Path.Combine(env, "citeseer"), StringComparison.Ordinal));
        var data = DatasetResolver.ResolveNodes("CiteSeer", null, progress, new DatasetResolver.Sources(null, tuCache, NoDownload));
        Assert.Equal("CiteSeer", data.Name);
        Assert.Contains(log, l => l.Contains(Path.Combine("graphssl", "Planetoid", "citeseer"), StringComparison.Ordinal));
        Assert.Equal(Path.Combine(temp.Path, "cache", "graphssl", "Planetoid"), DatasetResolver.PlanetoidCacheFor(tuCache));
    }

    [Fact]
    public void A_current_directory_folder_without_files_does_not_shadow_the_name()
    {
        // An output folder named like the dataset (odd casing so no other test meets it) is not the dataset.
        using var temp = new TempDirectory();
        var root = Path.Combine(temp.Path, "data");
        TinyPlanetoid.Write(Path.Combine(root, "pubmed"), "pubmed");
        var local = Path.Combine(Directory.GetCurrentDirectory(), "pUbMeD");
        Directory.CreateDirectory(Path.Combine(local, "seeds"));
        try
        {
            var data = DatasetResolver.ResolveNodes("pUbMeD", root, null, new DatasetResolver.Sources(null, Path.Combine(temp.Path, "cache", "TU"), NoDownload));
            Assert.Equal("PubMed", data.Name);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public void A_folder_of_files_is_loaded_directly_and_counts_as_a_node_dataset()
    {
        using var temp = new TempDirectory();
        var dir = TinyPlanetoid.Write(Path.Combine(temp.Path, "mine"), "pubmed");
        Assert.True(DatasetResolver.IsNodeDataset(dir));
        Assert.True(DatasetResolver.IsNodeDataset("cora"));
        Assert.False(DatasetResolver.IsNodeDataset("MUTAG"));
        Assert.False(DatasetResolver.IsNodeDataset(temp.Path));
        Assert.Equal("PubMed", DatasetResolver.ResolveNodes(dir, null, null, new DatasetResolver.Sources(null, "/nonexistent", NoDownload)).Name);
    }

    [Fact]
    public void A_missing_dataset_that_cannot_be_downloaded_says_where_it_looked_and_where_the_files_are_published()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<DatasetNotFoundException>(() =>
            DatasetResolver.ResolveNodes("Cora", temp.Path, null, new DatasetResolver.Sources(null, Path.Combine(temp.Path, "cache", "TU"), Offline)));
        Assert.Contains(temp.Path, e.Message);
        Assert.Contains("Download of https://github.com/kimiyoung/planetoid/raw/master/data/ind.cora.x failed: no network here", e.Message);
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "cache", "Planetoid", ".downloads"))); // nothing fetched, nothing left behind
        Assert.Contains(Path.Combine(temp.Path, "cache", "Planetoid", "cora"), e.Message);
        Assert.Contains("ind.cora.{x,y,tx,ty,allx,ally,graph,test.index}", e.Message);
        Assert.Contains("kimiyoung/planetoid", e.Message);
        Assert.Throws<ArgumentException>(() => DatasetResolver.ResolveNodes("MUTAG", temp.Path, null, new DatasetResolver.Sources(null, temp.Path, NoDownload)));
    }

    [Fact]
    public void The_graph_level_resolver_points_a_planetoid_name_to_the_node_level_one()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => DatasetResolver.Resolve("cora", temp.Path, null, new DatasetResolver.Sources(null, Path.Combine(temp.Path, "cache"), NoDownload)));
        Assert.Contains("node-classification", e.Message);
    }
}
