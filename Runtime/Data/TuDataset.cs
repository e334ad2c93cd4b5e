using System.Globalization;

namespace GraphSSL.Data;

/// <summary>
/// Loads a dataset of the TU graph-kernel benchmark collection (Morris et al., 2020) from its raw text files
/// <c>NAME_A.txt</c>, <c>NAME_graph_indicator.txt</c>, <c>NAME_graph_labels.txt</c> and, when present,
/// <c>NAME_node_labels.txt</c> and <c>NAME_node_attributes.txt</c>. Edge labels, edge attributes and graph
/// attributes are not used, but their files are validated like the others (one row per edge of <c>NAME_A.txt</c>,
/// per graph of <c>NAME_graph_indicator.txt</c>) and listed in <see cref="GraphData.Notes"/>.
/// </summary>
/// <remarks>
/// <para>Node features are the node attribute columns followed by a one-hot encoding of the node label
/// (label values remapped in sorted order); a dataset with neither gets the constant feature 1.0. Graph
/// labels are remapped to <c>0 … C − 1</c> in sorted numeric order and the original values kept as
/// <see cref="GraphData.ClassNames"/>. Edges are grouped by graph, in file order within a graph, duplicates
/// kept. When some or all edges are listed in one direction only, the missing reverse entries are added
/// right after them (a note says how many).</para>
/// <para>Every file is validated; a problem throws <see cref="DatasetFormatException"/> naming the file and
/// line. A per-item file whose row count disagrees with the file defining the items (edge labels vs. the lines of
/// <c>NAME_A.txt</c>, node labels vs. <c>NAME_graph_indicator.txt</c>, …) is refused with a message naming both
/// files and the lines concerned. Tolerated and noted: a UTF-8 byte-order mark, CRLF line endings, whitespace around lines and
/// values, blank lines at the end of a file, isolated nodes, self-loops, edges listed once.</para>
/// </remarks>
public static class TuDataset
{
    /// <summary>Parts of the TU format this loader reads.</summary>
    static readonly string[] KnownParts = ["A", "graph_indicator", "graph_labels", "node_labels", "node_attributes", "edge_labels", "edge_attributes", "graph_attributes"];

    /// <summary>
    /// Loads the TU dataset in <paramref name="directory"/>.
    /// </summary>
    /// <param name="directory">Folder holding the raw files.</param>
    /// <param name="name">File-name prefix (<c>MUTAG</c> for <c>MUTAG_A.txt</c>). Defaults to the folder name, or,
    /// when no such files exist, to the prefix of the only <c>*_A.txt</c> file in the folder.</param>
    /// <returns>The dataset, validated.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">A required file is missing or a file is malformed.</exception>
    public static GraphData Load(string directory, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"TU dataset folder '{directory}' does not exist.");
        var notes = new List<string>();
        name = ResolveName(directory, name, notes);

        string PathOf(string part) => Path.Combine(directory, $"{name}_{part}.txt");
        TuTextFile? OpenOptional(string part) => File.Exists(PathOf(part)) ? TuTextFile.Open(PathOf(part)) : null;
        foreach (var part in KnownParts.AsSpan(0, 3))
        {
            if (!File.Exists(PathOf(part)))
                throw new DatasetFormatException($"{name}_{part}.txt", null,
                    $"required file is missing in '{directory}' (found: {ListFiles(directory)})");
        }

        // Graph indicator: defines the node count and each graph's contiguous node range.
        var indicatorFile = TuTextFile.Open(PathOf("graph_indicator"));
        var (graphOf, nodeOffsets) = ReadGraphIndicator(indicatorFile);
        int nodeCount = graphOf.Length;
        int graphCount = nodeOffsets.Length - 1;
        var nodes = new Items(indicatorFile.Name, "node", nodeCount, OnePerLine: true);
        var graphs = new Items(indicatorFile.Name, "graph", graphCount, OnePerLine: false);

        var labelsFile = TuTextFile.Open(PathOf("graph_labels"));
        var (labels, classNames) = RemapGraphLabels(ReadLabelRows(labelsFile, graphs));

        var nodeLabelFile = OpenOptional("node_labels");
        var attributeFile = OpenOptional("node_attributes");
        int[]? nodeLabels = nodeLabelFile is null ? null : ReadLabelRows(nodeLabelFile, nodes);
        var (attributes, attributeWidth) = attributeFile is null ? (null, 0) : ReadAttributeRows(attributeFile, nodes);

        // Graph attributes are not used, but must still have one row per graph: a count that disagrees means a
        // damaged file or files of different datasets, and is refused rather than ignored.
        var graphAttributeFile = OpenOptional("graph_attributes");
        if (graphAttributeFile is not null) CheckUnused(graphAttributeFile, graphs, "graph attributes", notes);

        var adjacencyFile = TuTextFile.Open(PathOf("A"));
        var (src, dst) = ReadAdjacency(adjacencyFile, graphOf);

        // Edge labels and attributes (not used either) need one line per line of the A file; an empty or truncated
        // A file next to a full edge-label file is exactly the damage this catches.
        var edges = new Items(adjacencyFile.Name, "edge", src.Count, OnePerLine: true);
        var edgeLabelFile = OpenOptional("edge_labels");
        if (edgeLabelFile is not null) CheckUnused(edgeLabelFile, edges, "edge labels", notes);
        var edgeAttributeFile = OpenOptional("edge_attributes");
        if (edgeAttributeFile is not null) CheckUnused(edgeAttributeFile, edges, "edge attributes", notes);

        var features = BuildFeatures(nodeCount, attributes, attributeWidth, nodeLabels, nodeLabelFile?.Name, out int featureDim, out string featureNote);
        notes.Add(featureNote);

        var (edgeSource, edgeTarget, edgeOffsets) = GroupAndSymmetrise(src, dst, graphOf, graphCount, nodeCount, adjacencyFile.Name, notes);

        int isolated = CountIsolated(edgeSource, edgeTarget, nodeCount);
        if (isolated > 0) notes.Add($"{isolated} isolated node{(isolated == 1 ? "" : "s")} (no edges) kept");

        foreach (var file in new[] { adjacencyFile, indicatorFile, labelsFile, nodeLabelFile, attributeFile, graphAttributeFile, edgeLabelFile, edgeAttributeFile })
            file?.AddToleranceNotes(notes);
        NoteIgnoredFiles(directory, name, notes);

        return new GraphData(name, features, featureDim, nodeOffsets, edgeSource, edgeTarget, edgeOffsets, labels, classNames, notes.AsReadOnly())
            { AttributeColumns = attributeWidth }
            .Validate();
    }

    static string ResolveName(string directory, string? name, List<string> notes)
    {
        if (name is not null)
        {
            if (name.Length == 0 || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\'))
                throw new ArgumentException($"'{name}' is not a valid TU dataset name.", nameof(name));
            return name;
        }
        string folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        var prefixes = Directory.EnumerateFiles(directory, "*_A.txt")
            .Select(p => Path.GetFileName(p)[..^"_A.txt".Length])
            .Where(p => p.Length > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (prefixes.Contains(folder, StringComparer.Ordinal)) return folder;
        var caseInsensitive = prefixes.Where(p => string.Equals(p, folder, StringComparison.OrdinalIgnoreCase)).ToList();
        if (caseInsensitive.Count == 1) return caseInsensitive[0];
        if (prefixes.Count == 1)
        {
            notes.Add($"dataset name '{prefixes[0]}' taken from {prefixes[0]}_A.txt (folder is '{folder}')");
            return prefixes[0];
        }
        if (prefixes.Count == 0)
            throw new DatasetFormatException($"{folder}_A.txt", null,
                $"required file is missing in '{directory}': no *_A.txt file at all (found: {ListFiles(directory)})");
        throw new DatasetFormatException($"{folder}_A.txt", null,
            $"missing in '{directory}', which holds several datasets ({string.Join(", ", prefixes)}); pass the name explicitly");
    }

    static string ListFiles(string directory)
    {
        var files = Directory.EnumerateFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return files.Count == 0 ? "no files" : string.Join(", ", files);
    }

    static (int[] GraphOf, int[] NodeOffsets) ReadGraphIndicator(TuTextFile file)
    {
        var graphOf = new List<int>();
        var offsets = new List<int> { 0 };
        int previous = 0;
        while (file.TryReadLine(out var line))
        {
            if (line.Contains(',')) throw file.Error($"expected 1 value (the graph id of node {graphOf.Count + 1}), found {TuTextFile.CountColumns(line)}");
            int id = file.ParseInt(line, "graph id");
            if (id < 1) throw file.Error($"graph id {id} is out of range; graph ids start at 1");
            if (id < previous)
                throw file.Error($"graph id {id} after graph id {previous}; graph ids must be non-decreasing (the nodes of each graph contiguous)");
            if (id > previous + 1)
            {
                throw file.Error(previous == 0
                    ? $"first graph id is {id}, but graph ids must start at 1 (graph{(id == 2 ? " 1 has" : $"s 1..{id - 1} have")} no nodes; empty graphs are not supported)"
                    : $"graph id jumps from {previous} to {id}: graph{(id == previous + 2 ? $" {previous + 1} has" : $"s {previous + 1}..{id - 1} have")} no nodes (graph ids skipped; empty graphs are not supported)");
            }
            if (id == previous + 1)
            {
                if (previous > 0) offsets.Add(graphOf.Count);
                previous = id;
            }
            graphOf.Add(id - 1);
        }
        if (graphOf.Count == 0) throw file.FileError("file is empty; expected one graph id per node");
        offsets.Add(graphOf.Count);
        return (graphOf.ToArray(), offsets.ToArray());
    }

    /// <summary>
    /// The items a per-item file describes, as defined by another file: the edges of <c>_A.txt</c> (one per
    /// line), the nodes of <c>_graph_indicator.txt</c> (one per line) or its graphs (one per distinct id).
    /// </summary>
    /// <param name="File">The defining file, e.g. <c>MUTAG_A.txt</c>.</param>
    /// <param name="Item"><c>edge</c>, <c>node</c> or <c>graph</c>.</param>
    /// <param name="Count">How many items the defining file has.</param>
    /// <param name="OnePerLine">Item k is on line k of <paramref name="File"/> (edges and nodes, not graphs).</param>
    readonly record struct Items(string File, string Item, int Count, bool OnePerLine)
    {
        public string Counted(int n) => $"{n} {Item}{(n == 1 ? "" : "s")}";
        string Verb => Item == "edge" ? "lists" : "defines";
        public string Lines => OnePerLine && Count > 0 ? (Count == 1 ? " (line 1)" : $" (lines 1–{Count})") : "";
        public string Only => Count == 0 ? $"{File} is empty (0 {Item}s)" : $"{File} {Verb} only {Counted(Count)}{Lines}";
        public string All => $"{File} {Verb} {Counted(Count)}{Lines}";
    }

    /// <summary>Most values a feature or attribute matrix may hold (4 GiB of floats); beyond it the files are refused, not allocated.</summary>
    internal const long MaxMatrixValues = 1L << 30;

    static string Plural(string thing, int n) => n == 1 ? thing : thing + "s";

    /// <summary>The file has a row for item <c>Count + 1</c>, which does not exist. Reads the rest of the file to say how many rows it has.</summary>
    static DatasetFormatException TooMany(TuTextFile file, string thing, Items items)
    {
        int total = items.Count + 1 + file.CountRemainingLines();
        return file.Error($"{thing} for {items.Item} {items.Count + 1}, but {items.Only}; {file.Name} has {total} {Plural(thing, total)}, "
            + $"one per {items.Item} of {items.File} is expected: one of the two files is damaged or they come from different datasets");
    }

    /// <summary>The file ends before every item has its row.</summary>
    static DatasetFormatException TooFew(TuTextFile file, int found, string thing, Items items)
    {
        string missing = items.OnePerLine ? $"{items.Item} {found + 1} ({items.File} line {found + 1})" : $"{items.Item} {found + 1}";
        return found == 0
            ? file.FileError($"file is empty, but {items.All}; expected one {thing} per {items.Item}")
            : file.Error($"file ends after {found} {Plural(thing, found)}, but {items.All}; {missing} has no {thing}"
                + (found + 1 < items.Count ? $" (nor do the {items.Count - found - 1} after it)" : ""));
    }

    /// <summary>One integer label per item (graph labels, node labels, edge labels).</summary>
    static int[] ReadLabelRows(TuTextFile file, Items items)
    {
        var labels = new int[items.Count];
        int count = 0;
        while (file.TryReadLine(out var line))
        {
            if (count == items.Count) throw TooMany(file, "label", items);
            if (line.Contains(',')) throw file.Error($"expected 1 value (the label of {items.Item} {count + 1}), found {TuTextFile.CountColumns(line)}");
            labels[count++] = file.ParseInt(line, $"{items.Item} label");
        }
        if (count < items.Count) throw TooFew(file, count, "label", items);
        return labels;
    }

    static (int[] Labels, string[] ClassNames) RemapGraphLabels(int[] raw)
    {
        var distinct = raw.Distinct().Order().ToArray();
        var labels = new int[raw.Length];
        for (int g = 0; g < raw.Length; g++) labels[g] = Array.BinarySearch(distinct, raw[g]);
        return (labels, distinct.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>One row of finite, comma-separated numbers per item, every row as wide as the first.</summary>
    static (float[] Values, int Width) ReadAttributeRows(TuTextFile file, Items items)
    {
        float[] values = [];
        int width = 0, firstLine = 0, count = 0;
        while (file.TryReadLine(out var line))
        {
            if (count == items.Count) throw TooMany(file, "attribute row", items);
            int columns = TuTextFile.CountColumns(line);
            if (count == 0)
            {
                width = columns;
                firstLine = file.LineNumber;
                if ((long)items.Count * width > MaxMatrixValues)
                    throw file.Error($"{width} attributes per {items.Item} × {items.Counted(items.Count)} = {(long)items.Count * width} values, more than the {MaxMatrixValues} this loader accepts");
                values = new float[(long)items.Count * width];
            }
            else if (columns != width)
            {
                throw file.Error($"{columns} value{(columns == 1 ? "" : "s")}, but line {firstLine} has {width}; every {items.Item} needs the same number of attributes");
            }
            int offset = count * width;
            var rest = line;
            for (int column = 0; column < width; column++)
            {
                int comma = rest.IndexOf(',');
                var token = comma < 0 ? rest : rest[..comma];
                values[offset + column] = file.ParseFloat(token, $"attribute {column + 1}");
                rest = comma < 0 ? default : rest[(comma + 1)..];
            }
            count++;
        }
        if (count < items.Count) throw TooFew(file, count, "attribute row", items);
        return (values, width);
    }

    /// <summary>Validates a file the loader does not use (edge labels, edge or graph attributes) and notes that it was checked.</summary>
    static void CheckUnused(TuTextFile file, Items items, string what, List<string> notes)
    {
        int width = 0;
        if (what.EndsWith("labels", StringComparison.Ordinal)) ReadLabelRows(file, items);
        else width = ReadAttributeRows(file, items).Width;
        notes.Add($"ignored {file.Name} ({what} are not used; checked: {items.Count} row{(items.Count == 1 ? "" : "s")}"
            + (width > 0 ? $" of {width} value{(width == 1 ? "" : "s")}" : "")
            + $", one per {items.Item} of {items.File})");
    }

    static (List<int> Source, List<int> Target) ReadAdjacency(TuTextFile file, int[] graphOf)
    {
        int nodeCount = graphOf.Length;
        var src = new List<int>();
        var dst = new List<int>();
        Span<Range> parts = stackalloc Range[3];
        while (file.TryReadLine(out var line))
        {
            int columns = line.Split(parts, ',');
            if (columns != 2)
                throw file.Error($"expected 2 comma-separated node ids (row, column), found {TuTextFile.CountColumns(line)} value{(columns == 1 ? "" : "s")}");
            int u = file.ParseInt(line[parts[0]], "node id");
            int v = file.ParseInt(line[parts[1]], "node id");
            if (u < 1 || u > nodeCount) throw file.Error($"node id {u} is out of range 1..{nodeCount}");
            if (v < 1 || v > nodeCount) throw file.Error($"node id {v} is out of range 1..{nodeCount}");
            u--;
            v--;
            if (graphOf[u] != graphOf[v])
                throw file.Error($"edge ({u + 1}, {v + 1}) crosses graphs: node {u + 1} is in graph {graphOf[u] + 1}, node {v + 1} in graph {graphOf[v] + 1}");
            src.Add(u);
            dst.Add(v);
        }
        return (src, dst);
    }

    static float[] BuildFeatures(int nodeCount, float[]? attributes, int attributeWidth, int[]? nodeLabels, string? nodeLabelFile, out int featureDim, out string note)
    {
        int[] distinct = nodeLabels is null ? [] : nodeLabels.Distinct().Order().ToArray();
        int labelWidth = distinct.Length;
        featureDim = attributeWidth + labelWidth;
        if ((long)nodeCount * featureDim > MaxMatrixValues)
        {
            // Only the one-hot part can get this wide: the attribute width was capped when read.
            throw new DatasetFormatException(nodeLabelFile ?? "node labels", null,
                $"{labelWidth} distinct node labels (one-hot columns) + {attributeWidth} attributes for {nodeCount} nodes = {(long)nodeCount * featureDim} feature values, "
                + $"more than the {MaxMatrixValues} this loader accepts; node labels should be a small set of categories");
        }
        if (featureDim == 0)
        {
            featureDim = 1;
            note = "no node labels or attributes: constant feature 1.0";
            var ones = new float[nodeCount];
            Array.Fill(ones, 1f);
            return ones;
        }
        var features = new float[(long)nodeCount * featureDim];
        for (int i = 0; i < nodeCount; i++)
        {
            int row = i * featureDim;
            if (attributes is not null) Array.Copy(attributes, (long)i * attributeWidth, features, row, attributeWidth);
            if (nodeLabels is not null) features[row + attributeWidth + Array.BinarySearch(distinct, nodeLabels[i])] = 1f;
        }
        var parts = new List<string>();
        if (attributeWidth > 0) parts.Add($"{attributeWidth} attribute column{(attributeWidth == 1 ? "" : "s")}");
        if (labelWidth > 0) parts.Add($"{labelWidth} one-hot node label{(labelWidth == 1 ? "" : "s")} ({DescribeValues(distinct)})");
        note = $"features: {string.Join(" + ", parts)} = {featureDim}";
        return features;
    }

    static string DescribeValues(int[] sorted)
    {
        bool contiguous = sorted[^1] - sorted[0] == sorted.Length - 1;
        if (contiguous && sorted.Length > 2) return $"values {sorted[0]}..{sorted[^1]}";
        if (sorted.Length <= 8) return $"value{(sorted.Length == 1 ? "" : "s")} {string.Join(", ", sorted)}";
        return $"values {string.Join(", ", sorted.Take(6))}, …, {sorted[^1]}";
    }

    /// <summary>
    /// Groups edges by graph (stable) and adds the reverse of every non-loop edge whose reverse is not listed,
    /// right after it.
    /// </summary>
    static (int[] Source, int[] Target, int[] Offsets) GroupAndSymmetrise(
        List<int> srcList, List<int> dstList, int[] graphOf, int graphCount, int nodeCount, string fileName, List<string> notes)
    {
        var src = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(srcList);
        var dst = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(dstList);
        int m = src.Length;

        // Which edges lack a listed reverse: binary search in the sorted keys u·N + v.
        var keys = new long[m];
        for (int e = 0; e < m; e++) keys[e] = (long)src[e] * nodeCount + dst[e];
        Array.Sort(keys);
        var lacksReverse = new bool[m];
        int missing = 0, loops = 0;
        for (int e = 0; e < m; e++)
        {
            if (src[e] == dst[e])
            {
                loops++;
                continue;
            }
            if (Array.BinarySearch(keys, (long)dst[e] * nodeCount + src[e]) < 0)
            {
                lacksReverse[e] = true;
                missing++;
            }
        }

        // Stable counting sort by graph, reserving room for the added reverses.
        var offsets = new int[graphCount + 1];
        for (int e = 0; e < m; e++) offsets[graphOf[src[e]] + 1] += lacksReverse[e] ? 2 : 1;
        for (int g = 0; g < graphCount; g++) offsets[g + 1] += offsets[g];
        var cursor = offsets[..^1];
        var outSrc = new int[m + missing];
        var outDst = new int[m + missing];
        for (int e = 0; e < m; e++)
        {
            int at = cursor[graphOf[src[e]]];
            outSrc[at] = src[e];
            outDst[at] = dst[e];
            if (lacksReverse[e])
            {
                outSrc[at + 1] = dst[e];
                outDst[at + 1] = src[e];
                cursor[graphOf[src[e]]] = at + 2;
            }
            else
            {
                cursor[graphOf[src[e]]] = at + 1;
            }
        }

        int nonLoops = m - loops;
        if (missing > 0 && missing == nonLoops)
            notes.Add($"{fileName}: edges listed once (no edge has its reverse listed): symmetrised, {missing} reverse entries added");
        else if (missing > 0)
            notes.Add($"{fileName}: {missing} of {nonLoops} edges had no reverse entry: reverse entries added");
        if (loops > 0) notes.Add($"{fileName}: {loops} self-loop{(loops == 1 ? "" : "s")} kept");
        if (m == 0) notes.Add($"{fileName}: no edges");
        return (outSrc, outDst, offsets);
    }

    static int CountIsolated(int[] src, int[] dst, int nodeCount)
    {
        var touched = new bool[nodeCount];
        foreach (int u in src) touched[u] = true;
        foreach (int v in dst) touched[v] = true;
        int isolated = 0;
        foreach (bool t in touched) if (!t) isolated++;
        return isolated;
    }

    static void NoteIgnoredFiles(string directory, string name, List<string> notes)
    {
        var prefix = name + "_";
        foreach (var path in Directory.EnumerateFiles(directory, prefix + "*.txt").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            if (!file.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var part = file[prefix.Length..^".txt".Length];
            if (Array.IndexOf(KnownParts, part) >= 0) continue;
            notes.Add($"ignored {file} (not part of the format this loader reads)");
        }
    }
}
