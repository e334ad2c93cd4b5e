using System.Globalization;

namespace GraphSSL;

/// <summary>
/// Loads a dataset of the TU graph-kernel benchmark collection (Morris et al., 2020) from its raw text files
/// <c>NAME_A.txt</c>, <c>NAME_graph_indicator.txt</c>, <c>NAME_graph_labels.txt</c> and, when present,
/// <c>NAME_node_labels.txt</c> and <c>NAME_node_attributes.txt</c>. Edge labels, edge attributes and graph
/// attributes are not used (their files are listed in <see cref="GraphData.Notes"/>).
/// </summary>
/// <remarks>
/// <para>Node features are the node attribute columns followed by a one-hot encoding of the node label
/// (label values remapped in sorted order); a dataset with neither gets the constant feature 1.0. Graph
/// labels are remapped to <c>0 … C − 1</c> in sorted numeric order and the original values kept as
/// <see cref="GraphData.ClassNames"/>. Edges are grouped by graph, in file order within a graph, duplicates
/// kept. When some or all edges are listed in one direction only, the missing reverse entries are added
/// right after them (a note says how many).</para>
/// <para>Every file is validated; a problem throws <see cref="DatasetFormatException"/> naming the file and
/// line. Tolerated and noted: a UTF-8 byte-order mark, CRLF line endings, whitespace around lines and
/// values, blank lines at the end of a file, isolated nodes, self-loops, edges listed once.</para>
/// </remarks>
public static class TuDataset
{
    /// <summary>Parts of the TU format this loader reads.</summary>
    static readonly string[] KnownParts = ["A", "graph_indicator", "graph_labels", "node_labels", "node_attributes"];

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

        var labelsFile = TuTextFile.Open(PathOf("graph_labels"));
        var (labels, classNames) = ReadGraphLabels(labelsFile, graphCount, indicatorFile.Name);

        TuTextFile? nodeLabelFile = File.Exists(PathOf("node_labels")) ? TuTextFile.Open(PathOf("node_labels")) : null;
        TuTextFile? attributeFile = File.Exists(PathOf("node_attributes")) ? TuTextFile.Open(PathOf("node_attributes")) : null;
        int[]? nodeLabels = nodeLabelFile is null ? null : ReadNodeLabels(nodeLabelFile, nodeCount, indicatorFile.Name);
        var (attributes, attributeWidth) = attributeFile is null ? (null, 0) : ReadNodeAttributes(attributeFile, nodeCount, indicatorFile.Name);

        var adjacencyFile = TuTextFile.Open(PathOf("A"));
        var (src, dst) = ReadAdjacency(adjacencyFile, graphOf);

        var features = BuildFeatures(nodeCount, attributes, attributeWidth, nodeLabels, out int featureDim, out string featureNote);
        notes.Add(featureNote);

        var (edgeSource, edgeTarget, edgeOffsets) = GroupAndSymmetrise(src, dst, graphOf, graphCount, nodeCount, adjacencyFile.Name, notes);

        int isolated = CountIsolated(edgeSource, edgeTarget, nodeCount);
        if (isolated > 0) notes.Add($"{isolated} isolated node{(isolated == 1 ? "" : "s")} (no edges) kept");

        foreach (var file in new[] { adjacencyFile, indicatorFile, labelsFile, nodeLabelFile, attributeFile })
            file?.AddToleranceNotes(notes);
        NoteIgnoredFiles(directory, name, notes);

        return new GraphData(name, features, featureDim, nodeOffsets, edgeSource, edgeTarget, edgeOffsets, labels, classNames, notes.AsReadOnly())
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

    static (int[] Labels, string[] ClassNames) ReadGraphLabels(TuTextFile file, int graphCount, string indicatorName)
    {
        var raw = new int[graphCount];
        int count = 0;
        while (file.TryReadLine(out var line))
        {
            if (count == graphCount)
                throw file.Error($"label for graph {count + 1}, but {indicatorName} defines only {graphCount} graph{(graphCount == 1 ? "" : "s")}");
            if (line.Contains(',')) throw file.Error($"expected 1 value (the label of graph {count + 1}), found {TuTextFile.CountColumns(line)}");
            raw[count++] = file.ParseInt(line, "graph label");
        }
        if (count < graphCount) throw CountMismatch(file, count, graphCount, "label", "graph", indicatorName);

        var distinct = raw.Distinct().Order().ToArray();
        var labels = new int[graphCount];
        for (int g = 0; g < graphCount; g++) labels[g] = Array.BinarySearch(distinct, raw[g]);
        return (labels, distinct.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    static int[] ReadNodeLabels(TuTextFile file, int nodeCount, string indicatorName)
    {
        var labels = new int[nodeCount];
        int count = 0;
        while (file.TryReadLine(out var line))
        {
            if (count == nodeCount)
                throw file.Error($"label for node {count + 1}, but {indicatorName} defines only {nodeCount} node{(nodeCount == 1 ? "" : "s")}");
            if (line.Contains(',')) throw file.Error($"expected 1 value (the label of node {count + 1}), found {TuTextFile.CountColumns(line)}");
            labels[count++] = file.ParseInt(line, "node label");
        }
        if (count < nodeCount) throw CountMismatch(file, count, nodeCount, "label", "node", indicatorName);
        return labels;
    }

    static (float[] Values, int Width) ReadNodeAttributes(TuTextFile file, int nodeCount, string indicatorName)
    {
        float[] values = [];
        int width = 0, firstLine = 0, count = 0;
        while (file.TryReadLine(out var line))
        {
            if (count == nodeCount)
                throw file.Error($"attributes for node {count + 1}, but {indicatorName} defines only {nodeCount} node{(nodeCount == 1 ? "" : "s")}");
            int columns = TuTextFile.CountColumns(line);
            if (count == 0)
            {
                width = columns;
                firstLine = file.LineNumber;
                values = new float[(long)nodeCount * width];
            }
            else if (columns != width)
            {
                throw file.Error($"{columns} value{(columns == 1 ? "" : "s")}, but line {firstLine} has {width}; every node needs the same number of attributes");
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
        if (count < nodeCount) throw CountMismatch(file, count, nodeCount, "attribute row", "node", indicatorName);
        return (values, width);
    }

    /// <summary>A file with fewer lines than graphs or nodes; <paramref name="thing"/> is singular ("label").</summary>
    static DatasetFormatException CountMismatch(TuTextFile file, int found, int expected, string thing, string per, string indicatorName)
        => found == 0
            ? file.FileError($"file is empty; expected {expected} {thing}s, one per {per} in {indicatorName}")
            : file.Error($"file ends after {found} {thing}{(found == 1 ? "" : "s")}, but {indicatorName} defines {expected} {per}s");

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

    static float[] BuildFeatures(int nodeCount, float[]? attributes, int attributeWidth, int[]? nodeLabels, out int featureDim, out string note)
    {
        int[] distinct = nodeLabels is null ? [] : nodeLabels.Distinct().Order().ToArray();
        int labelWidth = distinct.Length;
        featureDim = attributeWidth + labelWidth;
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
            notes.Add(part switch
            {
                "edge_labels" => $"ignored {file} (edge labels are not used)",
                "edge_attributes" => $"ignored {file} (edge attributes are not used)",
                "graph_attributes" => $"ignored {file} (graph attributes are not used)",
                _ => $"ignored {file} (not part of the format this loader reads)",
            });
        }
    }
}
