using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

public class TuDatasetTests
{
    [Fact]
    public void Tiny_fixture_loads_features_labels_and_edges()
    {
        // Fixtures/TINY: graph 1 = triangle on nodes 1,2,3 (both directions listed), graph 2 = edge 4–5.
        // Graph labels 1, -1 → sorted classes [-1, 1] → labels [1, 0].
        // Node labels 3,0,3,7,0 → sorted distinct [0, 3, 7] → one-hot columns 1,0,1,2,0.
        // Attributes (2 columns) come first: feature row = [a0, a1, onehot0, onehot1, onehot2].
        var data = TuDataset.Load(DataPaths.Fixture("TINY"));

        Assert.Equal("TINY", data.Name);
        Assert.Equal(2, data.GraphCount);
        Assert.Equal([0, 3, 5], data.NodeOffsets);
        Assert.Equal(["-1", "1"], data.ClassNames);
        Assert.Equal([1, 0], data.Labels);
        Assert.Equal(5, data.FeatureDim);
        float[] expected =
        [
            0.5f, 1f, 0, 1, 0,
            -2f, 0.3f, 1, 0, 0,
            0f, 0f, 0, 1, 0,
            1.25f, -1f, 0, 0, 1,
            4f, 2f, 1, 0, 0,
        ];
        Assert.Equal(expected, data.NodeFeatures);
        // File order kept, ids 0-based: (1,2)(2,1)(2,3)(3,2)(1,3)(3,1) | (4,5)(5,4).
        Assert.Equal([0, 1, 1, 2, 0, 2, 3, 4], data.EdgeSource);
        Assert.Equal([1, 0, 2, 1, 2, 0, 4, 3], data.EdgeTarget);
        Assert.Equal([0, 6, 8], data.EdgeOffsets);
        Assert.Contains(data.Notes, n => n.Contains("ignored TINY_edge_labels.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(data.Notes, n => n.Contains("README", StringComparison.Ordinal));
        Assert.DoesNotContain(data.Notes, n => n.Contains("symmetrised", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("non_numeric", "TINY_A.txt", 3, "node id 'x' is not an integer")]
    [InlineData("wrong_column_count", "TINY_A.txt", 4, "expected 2 comma-separated node ids (row, column), found 3 values")]
    [InlineData("node_id_out_of_range", "TINY_A.txt", 5, "node id 9 is out of range 1..5")]
    [InlineData("node_id_zero", "TINY_A.txt", 2, "node id 0 is out of range 1..5")]
    [InlineData("edge_across_graphs", "TINY_A.txt", 7, "edge (3, 4) crosses graphs: node 3 is in graph 1, node 4 in graph 2")]
    [InlineData("indicator_decreasing", "TINY_graph_indicator.txt", 4, "graph id 1 after graph id 2")]
    [InlineData("graph_id_skipped", "TINY_graph_indicator.txt", 4, "graph id jumps from 1 to 3: graph 2 has no nodes")]
    [InlineData("first_graph_empty", "TINY_graph_indicator.txt", 1, "graph 1 has no nodes")]
    [InlineData("indicator_non_numeric", "TINY_graph_indicator.txt", 3, "graph id '1.5' is not an integer")]
    [InlineData("graph_labels_too_many", "TINY_graph_labels.txt", 3, "label for graph 3, but TINY_graph_indicator.txt defines only 2 graphs")]
    [InlineData("graph_labels_too_few", "TINY_graph_labels.txt", 1, "file ends after 1 label, but TINY_graph_indicator.txt defines 2 graphs")]
    [InlineData("node_labels_too_few", "TINY_node_labels.txt", 4, "file ends after 4 labels, but TINY_graph_indicator.txt defines 5 nodes")]
    [InlineData("node_labels_too_many", "TINY_node_labels.txt", 6, "label for node 6, but TINY_graph_indicator.txt defines only 5 nodes")]
    [InlineData("node_attributes_too_few", "TINY_node_attributes.txt", 4, "file ends after 4 attribute rows, but TINY_graph_indicator.txt defines 5 nodes")]
    [InlineData("node_attributes_unequal_width", "TINY_node_attributes.txt", 3, "1 value, but line 1 has 2")]
    [InlineData("node_attributes_nan", "TINY_node_attributes.txt", 2, "attribute 1 'NaN' is NaN")]
    [InlineData("node_attributes_infinite", "TINY_node_attributes.txt", 5, "attribute 2 'inf' is NaN or infinite")]
    [InlineData("blank_line_inside", "TINY_graph_labels.txt", 2, "blank line")]
    public void Malformed_fixture_names_file_and_line(string fixture, string file, int line, string problem)
    {
        // Each fixture is TINY with exactly one defect, at the line given (see Fixtures/<fixture>).
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(DataPaths.Fixture(fixture), "TINY"));
        Assert.Equal(file, e.File);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{file} line {line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_file_lists_what_was_found()
    {
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(DataPaths.Fixture("missing_graph_labels"), "TINY"));
        Assert.Equal("TINY_graph_labels.txt", e.File);
        Assert.Null(e.Line);
        Assert.Contains("required file is missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("found: TINY_A.txt, TINY_graph_indicator.txt, TINY_node_attributes.txt, TINY_node_labels.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_any_adjacency_file_is_reported()
    {
        using var temp = new TempDirectory();
        var dir = Directory.CreateDirectory(Path.Combine(temp.Path, "EMPTYSET")).FullName;
        File.WriteAllText(Path.Combine(dir, "README.txt"), "nothing here");
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("EMPTYSET_A.txt", e.File);
        Assert.Contains("found: README.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerated_quirks_give_the_right_graphs_and_notes()
    {
        // Fixtures/TOLERANT holds TOL_* files (name detected from TOL_A.txt):
        //   TOL_A.txt: UTF-8 BOM, edges (1,2) (2,3) (4,5) listed once;
        //   TOL_graph_indicator.txt: CRLF, nodes 1-3 in graph 1, nodes 4-6 in graph 2 (node 6 isolated);
        //   TOL_graph_labels.txt: "  5 ", "\t0", then two blank lines → classes [0, 5], labels [1, 0].
        // No node labels or attributes → one constant feature.
        var data = TuDataset.Load(DataPaths.Fixture("TOLERANT"));

        Assert.Equal("TOL", data.Name);
        Assert.Equal([0, 3, 6], data.NodeOffsets);
        Assert.Equal(["0", "5"], data.ClassNames);
        Assert.Equal([1, 0], data.Labels);
        Assert.Equal(1, data.FeatureDim);
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f], data.NodeFeatures);
        // Each reverse is inserted right after its edge: (0,1)(1,0)(1,2)(2,1) | (3,4)(4,3).
        Assert.Equal([0, 1, 1, 2, 3, 4], data.EdgeSource);
        Assert.Equal([1, 0, 2, 1, 4, 3], data.EdgeTarget);
        Assert.Equal([0, 4, 6], data.EdgeOffsets);

        string[] expectedNotes =
        [
            "dataset name 'TOL' taken from TOL_A.txt",
            "constant feature 1.0",
            "TOL_A.txt: edges listed once (no edge has its reverse listed): symmetrised, 3 reverse entries added",
            "1 isolated node (no edges) kept",
            "TOL_A.txt: UTF-8 byte-order mark skipped",
            "TOL_graph_indicator.txt: Windows line endings (CRLF) accepted",
            "TOL_graph_labels.txt: leading/trailing whitespace on lines ignored",
            "TOL_graph_labels.txt: blank lines at the end ignored",
        ];
        foreach (var note in expectedNotes)
            Assert.Contains(data.Notes, n => n.Contains(note, StringComparison.Ordinal));
        // Nothing tolerated in the A file except the BOM.
        Assert.DoesNotContain(data.Notes, n => n.StartsWith("TOL_A.txt: Windows", StringComparison.Ordinal));
    }

    [Fact]
    public void Edges_partly_listed_once_get_their_missing_reverses()
    {
        // Fixtures/PARTIAL: one graph of 3 nodes; (1,2)(2,1)(2,3)(3,2) are symmetric, (1,3) has no reverse.
        var data = TuDataset.Load(DataPaths.Fixture("PARTIAL"));
        Assert.Equal([0, 1, 1, 2, 0, 2], data.EdgeSource);
        Assert.Equal([1, 0, 2, 1, 2, 0], data.EdgeTarget);
        Assert.Contains(data.Notes, n => n.Contains("1 of 5 edges had no reverse entry", StringComparison.Ordinal));
    }

    [Fact]
    public void Edges_are_grouped_by_graph_stably_with_duplicates_and_self_loops_kept()
    {
        // Fixtures/DUPS lists graph 2's edge first: (4,5)(5,4), then graph 1: (1,2)(2,1)(1,2)(2,1)(3,3)(2,3)(3,2).
        // Grouped by graph, file order within a graph, 0-based.
        var data = TuDataset.Load(DataPaths.Fixture("DUPS"));
        Assert.Equal([0, 1, 0, 1, 2, 1, 2, 3, 4], data.EdgeSource);
        Assert.Equal([1, 0, 1, 0, 2, 2, 1, 4, 3], data.EdgeTarget);
        Assert.Equal([0, 7, 9], data.EdgeOffsets);
        Assert.Equal(["0", "2"], data.ClassNames);
        Assert.Contains(data.Notes, n => n.Contains("1 self-loop kept", StringComparison.Ordinal));
        Assert.DoesNotContain(data.Notes, n => n.Contains("reverse", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_datasets_in_one_folder_need_an_explicit_name()
    {
        using var temp = new TempDirectory();
        var dir = temp.CopyFixture("TINY", "mixed");
        foreach (var file in Directory.GetFiles(DataPaths.Fixture("DUPS")))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));

        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Contains("several datasets (DUPS, TINY)", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, TuDataset.Load(dir, "DUPS").NodeCount);
        Assert.Equal("TINY", TuDataset.Load(dir, "TINY").Name);
    }

    [Fact]
    public void Folder_name_matching_is_case_insensitive()
    {
        using var temp = new TempDirectory();
        var dir = temp.CopyFixture("TINY", "tiny");
        var data = TuDataset.Load(dir);
        Assert.Equal("TINY", data.Name);
        Assert.DoesNotContain(data.Notes, n => n.Contains("taken from", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_folder_throws_directory_not_found()
    {
        Assert.Throws<DirectoryNotFoundException>(() => TuDataset.Load(TempDirectory.NonExistent()));
    }

    [Fact]
    public void Malformed_text_in_memory_reports_empty_values_and_overflow()
    {
        // TuTextFile is the line reader every part uses.
        var file = TuTextFile.FromText("X_A.txt", "1, \n");
        Assert.True(file.TryReadLine(out var line));
        var second = line[(line.IndexOf(',') + 1)..].ToString();
        var e = Assert.Throws<DatasetFormatException>(() => file.ParseInt(second, "node id"));
        Assert.Equal("X_A.txt line 1: empty value where node id was expected", e.Message);
        var big = Assert.Throws<DatasetFormatException>(() => file.ParseInt("99999999999", "node id"));
        Assert.Contains("does not fit in a 32-bit integer", big.Message, StringComparison.Ordinal);
        var huge = Assert.Throws<DatasetFormatException>(() => file.ParseFloat("1e39", "attribute 1"));
        Assert.Contains("infinite or beyond the float range", huge.Message, StringComparison.Ordinal);
        Assert.Equal(-0.25f, file.ParseFloat(" -2.5E-1 ", "attribute 1"));
    }

    [Fact]
    public void Values_in_messages_are_escaped_and_shortened()
    {
        var file = TuTextFile.FromText("X_A.txt", "1\n");
        Assert.True(file.TryReadLine(out _));
        var control = Assert.Throws<DatasetFormatException>(() => file.ParseInt("\uFEFF1\u00002\r", "node id"));
        Assert.Equal("X_A.txt line 1: node id '\\uFEFF1\\u00002' is not an integer", control.Message); // trimmed, then escaped
        var flood = Assert.Throws<DatasetFormatException>(() => file.ParseFloat(new string('7', 5000) + "x", "attribute 1"));
        Assert.Contains($"'{new string('7', 40)}… (5001 characters)' is not a number", flood.Message, StringComparison.Ordinal);
        Assert.True(flood.Message.Length < 200);
    }

    [Fact]
    public void Utf16_text_is_decoded_and_archives_are_named()
    {
        using var temp = new TempDirectory();
        var dir = temp.CopyFixture("TINY", "TINY");
        var labels = Path.Combine(dir, "TINY_graph_labels.txt");
        File.WriteAllText(labels, File.ReadAllText(labels), System.Text.Encoding.Unicode); // with its FF FE mark
        var data = TuDataset.Load(dir);
        Assert.Equal([1, 0], data.Labels);
        Assert.Contains(data.Notes, n => n == "TINY_graph_labels.txt: UTF-16 text (byte-order mark) decoded");

        File.WriteAllBytes(labels, [0x50, 0x4B, 3, 4, 0, 0]);
        var e = Assert.Throws<DatasetFormatException>(() => TuDataset.Load(dir));
        Assert.Equal("TINY_graph_labels.txt line 1: the file is a zip archive, not text; extract the dataset's zip and point the loader at the extracted folder", e.Message);
    }

    // Expected figures from /work/shared/datasets/README.md (and, for feature dimensions, the README.txt
    // of each dataset: MUTAG 7 node labels; PROTEINS 1 attribute + 3 node labels; NCI1 37 node labels).
    [SkippableTheory]
    [InlineData("MUTAG", 188, 3371, 7442, 7, "-1", "1")]
    [InlineData("PROTEINS", 1113, 43471, 162088, 4, "1", "2")]
    [InlineData("NCI1", 4110, 122747, 265506, 37, "0", "1")]
    public void Shared_datasets_match_the_published_counts(string name, int graphs, int nodes, int edges, int featureDim, string class0, string class1)
    {
        var dir = SharedData.RequireTu(name);
        var data = TuDataset.Load(dir);
        Assert.Equal(name, data.Name);
        Assert.Equal(graphs, data.GraphCount);
        Assert.Equal(nodes, data.NodeCount);
        Assert.Equal(edges, data.EdgeCount); // every TU edge is listed in both directions: nothing added
        Assert.Equal(featureDim, data.FeatureDim);
        Assert.Equal([class0, class1], data.ClassNames);
        Assert.DoesNotContain(data.Notes, n => n.Contains("reverse", StringComparison.Ordinal));
        // One-hot block sums to exactly 1 on every node.
        int labelStart = name == "PROTEINS" ? 1 : 0;
        for (int i = 0; i < data.NodeCount; i++)
        {
            float sum = 0;
            for (int f = labelStart; f < data.FeatureDim; f++) sum += data.NodeFeatures[i * data.FeatureDim + f];
            Assert.Equal(1f, sum);
        }
        data.Validate();
    }

    [SkippableFact]
    public void Proteins_attribute_column_comes_first()
    {
        var dir = SharedData.RequireTu("PROTEINS");
        // PROTEINS_node_attributes.txt starts " 23.000000", " 10.000000"; the first node labels decide the one-hot part.
        var data = TuDataset.Load(dir);
        var firstLabels = File.ReadLines(Path.Combine(dir, "PROTEINS_node_labels.txt")).Take(2).Select(int.Parse).ToArray();
        Assert.Equal(23f, data.NodeFeatures[0]);
        Assert.Equal(10f, data.NodeFeatures[4]);
        Assert.Equal(1f, data.NodeFeatures[1 + firstLabels[0]]); // PROTEINS node labels are 0..2
        Assert.Equal(1f, data.NodeFeatures[4 + 1 + firstLabels[1]]);
        Assert.Contains(data.Notes, n => n.Contains("PROTEINS_node_attributes.txt: leading/trailing whitespace", StringComparison.Ordinal));
        // 43,471 nodes, 43,466 distinct ids in PROTEINS_A.txt (counted with sort -u) → 5 isolated nodes.
        Assert.Contains(data.Notes, n => n.Contains("5 isolated nodes", StringComparison.Ordinal));
    }
}
