using GraphSSL.Data;
using GraphSSL.Data.Planetoid;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>The loader on a small dataset written by the tests (no shared data needed).</summary>
public class PlanetoidLoaderTests
{
    [Fact]
    public void Test_rows_go_to_their_ids_and_a_missing_test_id_becomes_a_zero_node_in_no_split()
    {
        using var temp = new TempDirectory();
        var data = PlanetoidDataset.Load(TinyPlanetoid.Write(temp.Path), "tiny");
        Assert.Equal(TinyPlanetoid.Nodes, data.NodeCount);
        Assert.Equal(TinyPlanetoid.Features, data.FeatureDim);
        Assert.Equal(TinyPlanetoid.Classes, data.ClassCount);
        for (int v = 0; v < data.NodeCount; v++)
        {
            var row = data.Features.AsSpan(v * 3, 3).ToArray();
            if (v == TinyPlanetoid.Missing)
            {
                Assert.Equal([0f, 0f, 0f], row);
                Assert.Equal(0, data.Labels[v]);
            }
            else
            {
                Assert.Equal(TinyPlanetoid.Row(v, test: v >= TinyPlanetoid.AllxRows), row);
                Assert.Equal(v % 2, data.Labels[v]);
            }
        }
        Assert.Equal([0, 1], data.Split.Train);
        Assert.Equal(Enumerable.Range(2, 500), data.Split.Validation);
        Assert.Equal([503, 504, 506, 507], data.Split.Test);
        Assert.Contains(data.Notes, n => n.StartsWith("1 node ids in 503..507 have no test row", StringComparison.Ordinal));
    }

    [Fact]
    public void Edges_drop_self_loops_merge_repeats_and_symmetrise()
    {
        using var temp = new TempDirectory();
        var data = PlanetoidDataset.Load(TinyPlanetoid.Write(temp.Path), "TINY");
        Assert.Equal(TinyPlanetoid.Edges, data.EdgeSource.Zip(data.EdgeTarget));
        Assert.Contains("1 self-loops dropped", data.Notes);
        Assert.Contains("1 repeated adjacency entries merged", data.Notes);
        Assert.Contains("2 edges listed in one direction only: symmetrised", data.Notes);
        var stats = data.Describe();
        Assert.Equal(5, stats.UndirectedEdges);
        Assert.Equal(10, stats.DirectedEdges);
        Assert.Equal(TinyPlanetoid.Nodes - 8, stats.IsolatedNodes);
        var (src, dst) = data.DirectedEdges();
        Assert.Equal(10, src.Length);
        Assert.Equal(src.Zip(dst).Select(p => (p.Second, p.First)).Order(), src.Zip(dst).Order());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var temp = new TempDirectory();
        TinyPlanetoid.Write(temp.Path);
        File.Delete(Path.Combine(temp.Path, "ind.tiny.ty"));
        var e = Assert.Throws<DatasetFormatException>(() => PlanetoidDataset.Load(temp.Path, "tiny"));
        Assert.Equal("ind.tiny.ty", e.File);
    }

    [Fact]
    public void Files_that_disagree_are_refused_with_the_file_named()
    {
        using var temp = new TempDirectory();
        TinyPlanetoid.Write(temp.Path);
        File.WriteAllBytes(Path.Combine(temp.Path, "ind.tiny.ty"), PickleWriter.OneHot([0, 1, 0], TinyPlanetoid.Classes));
        var e = Assert.Throws<DatasetFormatException>(() => PlanetoidDataset.Load(temp.Path, "tiny"));
        Assert.Contains("tx 4 / ty 3", e.Message);

        TinyPlanetoid.Write(temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "ind.tiny.test.index"), "507\n503\nx\n504\n");
        e = Assert.Throws<DatasetFormatException>(() => PlanetoidDataset.Load(temp.Path, "tiny"));
        Assert.Equal(("ind.tiny.test.index", 3), (e.File, e.Line));

        TinyPlanetoid.Write(temp.Path);
        File.WriteAllBytes(Path.Combine(temp.Path, "ind.tiny.graph"), PickleWriter.Graph([(0, [1]), (1, [9999])]));
        e = Assert.Throws<DatasetFormatException>(() => PlanetoidDataset.Load(temp.Path, "tiny"));
        Assert.Equal("ind.tiny.graph", e.File);
        Assert.Contains("9999", e.Message);
    }

    [Fact]
    public void A_malformed_pickle_inside_a_dataset_names_the_file_and_the_byte()
    {
        using var temp = new TempDirectory();
        TinyPlanetoid.Write(temp.Path);
        var path = Path.Combine(temp.Path, "ind.tiny.allx");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DatasetFormatException>(() => PlanetoidDataset.Load(temp.Path, "tiny"));
        Assert.Equal("ind.tiny.allx", e.File);
        Assert.NotNull(e.ByteOffset);
        Assert.Contains("truncated", e.Message);
    }
}

public class PlanetoidLoaderCorruptionTests
{
    [Theory]
    [InlineData("tx")]
    [InlineData("ty")]
    [InlineData("graph")]
    public void Any_single_corrupted_byte_in_a_file_loads_or_is_refused_with_that_file_named(string ext)
    {
        using var temp = new TempDirectory();
        TinyPlanetoid.Write(temp.Path);
        var path = Path.Combine(temp.Path, $"ind.tiny.{ext}");
        var whole = File.ReadAllBytes(path);
        for (int i = 0; i < whole.Length; i++)
        {
            var bytes = (byte[])whole.Clone();
            bytes[i] ^= 0xff;
            File.WriteAllBytes(path, bytes);
            try
            {
                PlanetoidDataset.Load(temp.Path, "tiny");
            }
            catch (DatasetFormatException e)
            {
                Assert.Equal($"ind.tiny.{ext}", e.File);
            }
        }
    }
}
