using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>
/// Issue 15: every optional per-edge, per-node and per-graph file must have exactly one row per item of the
/// file that defines the items; a disagreement is refused naming both files and the lines, never loaded.
/// </summary>
public class TuCountValidationTests
{
    /// <summary>
    /// The case from the issue: MUTAG_A.txt emptied, MUTAG_edge_labels.txt still 7,442 lines. Before the fix
    /// this loaded silently as 188 graphs without edges.
    /// </summary>
    [SkippableFact]
    public void Mutag_with_an_empty_A_file_and_full_edge_labels_is_refused_naming_both_files()
    {
        var mutag = SharedData.RequireTu("MUTAG");
        using var temp = new TempDirectory();
        var dir = CopyFolder(mutag, Path.Combine(temp.Path, "MUTAG"));
        Assert.Equal(7442, TuDataset.Load(dir).EdgeCount); // the untouched copy loads

        File.WriteAllText(Path.Combine(dir, "MUTAG_A.txt"), "");
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));

        Assert.Equal("MUTAG_edge_labels.txt", e.File);
        Assert.Equal(1, e.Line);
        Assert.StartsWith("MUTAG_edge_labels.txt line 1: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("MUTAG_A.txt is empty (0 edges)", e.Message, StringComparison.Ordinal);
        Assert.Contains("MUTAG_edge_labels.txt has 7442 labels", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Mutag_with_its_last_A_line_missing_is_refused_at_that_line()
    {
        var mutag = SharedData.RequireTu("MUTAG");
        using var temp = new TempDirectory();
        var dir = CopyFolder(mutag, Path.Combine(temp.Path, "MUTAG"));
        var lines = File.ReadAllLines(Path.Combine(dir, "MUTAG_A.txt"));
        File.WriteAllLines(Path.Combine(dir, "MUTAG_A.txt"), lines[..^1]);

        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("MUTAG_edge_labels.txt", e.File);
        Assert.Equal(7442, e.Line);
        Assert.Contains("label for edge 7442, but MUTAG_A.txt lists only 7441 edges (lines 1–7441)", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// One case per optional file kind and direction, on TINY (8 edges, 5 nodes, 2 graphs) with an edge
    /// attribute and a graph attribute file added: <paramref name="part"/> gets one row removed (<c>-1</c>) or one
    /// row added (<c>+1</c>); every other file is intact.
    /// </summary>
    [Theory]
    [InlineData("edge_labels", -1, 7, "file ends after 7 labels, but TINY_A.txt lists 8 edges (lines 1–8); edge 8 (TINY_A.txt line 8) has no label")]
    [InlineData("edge_labels", +1, 9, "label for edge 9, but TINY_A.txt lists only 8 edges (lines 1–8); TINY_edge_labels.txt has 9 labels")]
    [InlineData("edge_attributes", -1, 7, "file ends after 7 attribute rows, but TINY_A.txt lists 8 edges (lines 1–8); edge 8 (TINY_A.txt line 8) has no attribute row")]
    [InlineData("edge_attributes", +1, 9, "attribute row for edge 9, but TINY_A.txt lists only 8 edges (lines 1–8); TINY_edge_attributes.txt has 9 attribute rows")]
    [InlineData("node_labels", -1, 4, "file ends after 4 labels, but TINY_graph_indicator.txt defines 5 nodes (lines 1–5); node 5 (TINY_graph_indicator.txt line 5) has no label")]
    [InlineData("node_labels", +1, 6, "label for node 6, but TINY_graph_indicator.txt defines only 5 nodes (lines 1–5); TINY_node_labels.txt has 6 labels")]
    [InlineData("node_attributes", -1, 4, "file ends after 4 attribute rows, but TINY_graph_indicator.txt defines 5 nodes (lines 1–5); node 5 (TINY_graph_indicator.txt line 5) has no attribute row")]
    [InlineData("node_attributes", +1, 6, "attribute row for node 6, but TINY_graph_indicator.txt defines only 5 nodes (lines 1–5); TINY_node_attributes.txt has 6 attribute rows")]
    [InlineData("graph_attributes", -1, 1, "file ends after 1 attribute row, but TINY_graph_indicator.txt defines 2 graphs; graph 2 has no attribute row")]
    [InlineData("graph_attributes", +1, 3, "attribute row for graph 3, but TINY_graph_indicator.txt defines only 2 graphs; TINY_graph_attributes.txt has 3 attribute rows")]
    [InlineData("graph_labels", +1, 3, "label for graph 3, but TINY_graph_indicator.txt defines only 2 graphs; TINY_graph_labels.txt has 3 labels")]
    public void A_per_item_file_whose_row_count_disagrees_is_refused_naming_both_files(string part, int change, int line, string problem)
    {
        using var temp = new TempDirectory();
        var dir = FullTiny(temp);
        var path = Path.Combine(dir, $"TINY_{part}.txt");
        var rows = File.ReadAllLines(path).ToList();
        if (change < 0) rows.RemoveAt(rows.Count - 1);
        else rows.Add(rows[^1]);
        File.WriteAllLines(path, rows);

        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal($"TINY_{part}.txt", e.File);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"TINY_{part}.txt line {line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edge_labels", "TINY_A.txt lists 8 edges (lines 1–8)")]
    [InlineData("edge_attributes", "TINY_A.txt lists 8 edges (lines 1–8)")]
    [InlineData("graph_attributes", "TINY_graph_indicator.txt defines 2 graphs")]
    [InlineData("node_labels", "TINY_graph_indicator.txt defines 5 nodes (lines 1–5)")]
    public void An_empty_per_item_file_is_refused_naming_both_files(string part, string other)
    {
        using var temp = new TempDirectory();
        var dir = FullTiny(temp);
        File.WriteAllText(Path.Combine(dir, $"TINY_{part}.txt"), "\n");
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal($"TINY_{part}.txt", e.File);
        Assert.Null(e.Line); // nothing in the file to point at; the defining file's lines are named instead
        Assert.Contains($"file is empty, but {other}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_A_file_shorter_than_its_edge_labels_is_refused_at_the_first_label_without_an_edge()
    {
        using var temp = new TempDirectory();
        var dir = FullTiny(temp);
        var a = Path.Combine(dir, "TINY_A.txt");
        // Drop graph 2's edges (lines 7-8): the graphs stay valid on their own, only the count betrays it.
        File.WriteAllLines(a, File.ReadAllLines(a)[..6]);
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("TINY_edge_labels.txt", e.File);
        Assert.Equal(7, e.Line);
        Assert.Contains("TINY_A.txt lists only 6 edges (lines 1–6)", e.Message, StringComparison.Ordinal);
        Assert.Contains("TINY_edge_labels.txt has 8 labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unused_files_are_validated_like_used_ones()
    {
        using var temp = new TempDirectory();
        var dir = FullTiny(temp);
        File.WriteAllText(Path.Combine(dir, "TINY_edge_attributes.txt"), "1, 2\n1, 2\n1, 2\nNaN, 2\n1, 2\n1, 2\n1, 2\n1, 2\n");
        var nan = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("TINY_edge_attributes.txt", nan.File);
        Assert.Equal(4, nan.Line);

        dir = FullTiny(temp, "second");
        File.WriteAllText(Path.Combine(dir, "TINY_edge_labels.txt"), "0\n0\n0\nx\n0\n0\n1\n1\n");
        var text = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("TINY_edge_labels.txt", text.File);
        Assert.Equal(4, text.Line);
        Assert.Contains("edge label 'x' is not an integer", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_optional_files_load_and_are_noted_as_checked()
    {
        using var temp = new TempDirectory();
        var data = TuDataset.Load(FullTiny(temp));
        Assert.Equal(8, data.EdgeCount);
        Assert.Contains(data.Notes, n => n.Contains("ignored TINY_edge_labels.txt (edge labels are not used; checked: 8 rows, one per edge of TINY_A.txt)", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.Contains("ignored TINY_edge_attributes.txt (edge attributes are not used; checked: 8 rows of 2 values, one per edge of TINY_A.txt)", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.Contains("ignored TINY_graph_attributes.txt (graph attributes are not used; checked: 2 rows of 1 value, one per graph of TINY_graph_indicator.txt)", StringComparison.Ordinal));
    }

    /// <summary>TINY with every optional file kind: its edge labels, node labels and attributes, plus edge and graph attributes.</summary>
    static string FullTiny(TempDirectory temp, string folder = "TINY")
    {
        var dir = temp.CopyFixture("TINY", folder);
        File.WriteAllLines(Path.Combine(dir, "TINY_edge_attributes.txt"), Enumerable.Range(1, 8).Select(i => $"{i}.5, -{i}"));
        File.WriteAllLines(Path.Combine(dir, "TINY_graph_attributes.txt"), ["0.25", "4"]);
        return dir;
    }

    internal static string CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }
}
