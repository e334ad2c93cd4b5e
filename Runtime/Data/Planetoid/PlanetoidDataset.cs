using System.Globalization;
using GraphSSL.Data.Pickle;

namespace GraphSSL.Data.Planetoid;

/// <summary>
/// Loads the Planetoid citation datasets (Cora, CiteSeer, PubMed; Yang, Cohen &amp; Salakhutdinov, 2016) from
/// their original files <c>ind.&lt;name&gt;.{x,y,tx,ty,allx,ally,graph,test.index}</c> into a
/// <see cref="NodeData"/> with the public split, reading them the way Kipf &amp; Welling's <c>load_data</c> and
/// PyG's <c>read_planetoid_data</c> do:
/// <list type="bullet">
/// <item>nodes <c>0 … allx.rows − 1</c> take the rows of <c>allx</c>/<c>ally</c>; test node <c>test.index[i]</c>
/// takes row i of <c>tx</c>/<c>ty</c>; the node count is <c>allx.rows + max(test.index) − min(test.index) + 1</c>.</item>
/// <item>CiteSeer: some ids in <c>min…max(test.index)</c> are not in <c>test.index</c> (isolated nodes without a
/// test row). As both references do, they are kept as nodes with an all-zero feature row and an all-zero
/// label row, which <c>argmax</c> turns into label 0; they are in no split. The loader says so in
/// <see cref="NodeData.Notes"/>.</item>
/// <item>labels: <c>argmax</c> of the one-hot rows (first maximum).</item>
/// <item>edges: every (key, neighbour) of the adjacency dict, self-loops dropped, duplicates merged, each
/// unordered pair once (PyG: <c>remove_self_loops</c> + <c>coalesce</c>).</item>
/// <item>split: train = nodes <c>0 … y.rows − 1</c> (20 per class), validation = the next 500, test =
/// <c>test.index</c> (1,000 nodes), sorted.</item>
/// </list>
/// The pickles are read by a safe reader that only understands the numpy/scipy/dict subset these files use
/// (no code runs, no arbitrary object is constructed); any other content is refused with a
/// <see cref="DatasetFormatException"/> naming the file and the byte offset.
/// </summary>
public static class PlanetoidDataset
{
    /// <summary>The Planetoid dataset names, in their usual spelling.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Cora", "CiteSeer", "PubMed"];

    /// <summary>The file extensions of one dataset (<c>ind.&lt;name&gt;.&lt;ext&gt;</c>).</summary>
    public static IReadOnlyList<string> FileExtensions { get; } = ["x", "y", "tx", "ty", "allx", "ally", "graph", "test.index"];

    /// <summary>
    /// Where the original files are published: <c>{0}</c> is the lower-case name, <c>{1}</c> the extension.
    /// <see cref="DatasetResolver.ResolveNodes(string, string?, IProgress{string}?)"/> downloads a dataset found nowhere on disk from there.
    /// </summary>
    public const string DownloadUrlFormat = "https://github.com/kimiyoung/planetoid/raw/master/data/ind.{0}.{1}";

    /// <summary>Most feature values (nodes × features) a dataset may have: 2^30 floats, 4 GiB; PubMed has 9.9 million.</summary>
    const long MaxValues = 1L << 30;

    /// <summary>Validation nodes of the public split.</summary>
    public const int ValidationSize = 500;

    /// <summary>The usual spelling of a Planetoid name (any case), or <see langword="null"/> for another name.</summary>
    public static string? CanonicalName(string name)
        => Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="directory"/> holds <c>ind.&lt;name&gt;.graph</c> (any case of the name).</summary>
    public static bool HasFiles(string directory, string name)
        => Directory.Exists(directory) && FindFile(directory, name, "graph") is not null;

    /// <summary>
    /// Loads <paramref name="name"/> (e.g. <c>Cora</c>, any case; the files are named in lower case) from the
    /// folder <paramref name="directory"/> that holds its <c>ind.*</c> files.
    /// </summary>
    /// <exception cref="DatasetFormatException">A file is missing, malformed or inconsistent with the others.</exception>
    public static NodeData Load(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var displayName = CanonicalName(name) ?? name.Trim();
        string FileOf(string ext) => FindFile(directory, name.Trim(), ext)
            ?? throw new DatasetFormatException($"ind.{name.Trim().ToLowerInvariant()}.{ext}", null,
                $"file not found in {directory} (a Planetoid dataset needs ind.<name>.{{{string.Join(",", FileExtensions)}}})");

        var x = Matrix.Read(FileOf("x"));
        var y = Matrix.Read(FileOf("y"));
        var tx = Matrix.Read(FileOf("tx"));
        var ty = Matrix.Read(FileOf("ty"));
        var allx = Matrix.Read(FileOf("allx"));
        var ally = Matrix.Read(FileOf("ally"));
        var testIndexPath = FileOf("test.index");
        var testIndex = ReadTestIndex(testIndexPath);
        var graphPath = FileOf("graph");
        var adjacency = ReadAdjacency(graphPath);

        int features = allx.Cols, classes = ally.Cols;
        SameShape(x, features, y, classes);
        SameShape(tx, features, ty, classes);
        SameShape(allx, features, ally, classes);
        foreach (var (featureMatrix, labelMatrix) in new[] { (x, y), (tx, ty), (allx, ally) })
        {
            if (featureMatrix.Rows != labelMatrix.Rows)
                throw new DatasetFormatException(labelMatrix.File, null,
                    $"{labelMatrix.Rows} label rows for {featureMatrix.Rows} feature rows in {featureMatrix.File} (row counts: x {x.Rows} / y {y.Rows}, tx {tx.Rows} / ty {ty.Rows}, allx {allx.Rows} / ally {ally.Rows})");
        }
        var testFile = Path.GetFileName(testIndexPath);
        if (testIndex.Length != tx.Rows)
            throw new DatasetFormatException(testFile, null, $"{testIndex.Length} test ids for {tx.Rows} rows of {tx.File}");
        if (testIndex.Length == 0) throw new DatasetFormatException(testFile, null, "no test ids");
        int min = testIndex.Min(), max = testIndex.Max();
        if (min != allx.Rows)
            throw new DatasetFormatException(testFile, null,
                $"the smallest test id is {min}, but the test rows must follow the {allx.Rows} rows of {allx.File} (as the reference loaders assume)");
        if (testIndex.Distinct().Count() != testIndex.Length) throw new DatasetFormatException(testFile, null, "a test id occurs twice");
        long nodeCount = (long)allx.Rows + (max - min + 1);
        if (nodeCount * Math.Max(features, classes) > MaxValues)
            throw new DatasetFormatException(testFile, null, $"test ids up to {max} make {nodeCount} nodes × {features} features, more than this loader holds ({MaxValues} values)");
        int nodes = (int)nodeCount;
        int validationEnd = y.Rows + ValidationSize;
        if (validationEnd > allx.Rows)
            throw new DatasetFormatException(ally.File, null, $"{allx.Rows} rows leave no room for {y.Rows} training and {ValidationSize} validation nodes");

        var notes = new List<string>();
        var featureValues = new float[(long)nodes * features];
        var labelRows = new float[(long)nodes * classes];
        Array.Copy(allx.Values, featureValues, allx.Values.Length);
        Array.Copy(ally.Values, labelRows, ally.Values.Length);
        for (int i = 0; i < testIndex.Length; i++)
        {
            Array.Copy(tx.Values, (long)i * features, featureValues, (long)testIndex[i] * features, features);
            Array.Copy(ty.Values, (long)i * classes, labelRows, (long)testIndex[i] * classes, classes);
        }
        int missing = nodes - allx.Rows - testIndex.Length;
        if (missing > 0)
            notes.Add($"{missing} node ids in {min}..{max} have no test row: kept as nodes with zero features and label 0, in no split (as Kipf's and PyG's loaders do)");

        var labels = new int[nodes];
        int unlabelled = 0;
        for (int v = 0; v < nodes; v++)
        {
            var row = labelRows.AsSpan(v * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (row[best] <= 0) unlabelled++;
            labels[v] = best;
        }
        int unlabelledBeyondMissing = unlabelled - missing;
        if (unlabelledBeyondMissing > 0)
            notes.Add($"{unlabelledBeyondMissing} nodes with a label row of zeros: label 0 (argmax, as the reference loaders)");

        var (source, target) = Edges(adjacency, nodes, Path.GetFileName(graphPath), notes);

        var train = Enumerable.Range(0, y.Rows).ToArray();
        var validation = Enumerable.Range(y.Rows, ValidationSize).ToArray();
        var test = testIndex.Order().ToArray();
        var data = new NodeData(displayName, featureValues, features, labels, classes, source, target,
            new NodeSplit(train, validation, test), notes);
        try
        {
            return data.Validate();
        }
        catch (ArgumentException e)
        {
            throw new DatasetFormatException(Path.GetFileName(graphPath), null, e.Message);
        }
    }

    static void SameShape(Matrix features, int featureCols, Matrix labels, int labelCols)
    {
        if (features.Cols != featureCols) throw new DatasetFormatException(features.File, null, $"{features.Cols} columns, the other feature matrices have {featureCols}");
        if (labels.Cols != labelCols) throw new DatasetFormatException(labels.File, null, $"{labels.Cols} columns, the other label matrices have {labelCols}");
    }

    /// <summary>Each unordered pair {u, v}, u ≠ v, once, sorted; notes what was dropped or symmetrised.</summary>
    static (int[] Source, int[] Target) Edges(List<(long Node, long[] Neighbours)> adjacency, int nodes, string file, List<string> notes)
    {
        var pairs = new List<long>();
        var directed = new HashSet<long>();
        int selfLoops = 0, entries = 0;
        foreach (var (node, neighbours) in adjacency)
        {
            if (node < 0 || node >= nodes) throw new DatasetFormatException(file, null, $"node {node} is outside 0..{nodes - 1}");
            foreach (long other in neighbours)
            {
                if (other < 0 || other >= nodes) throw new DatasetFormatException(file, null, $"node {node} has neighbour {other} outside 0..{nodes - 1}");
                entries++;
                if (other == node) { selfLoops++; continue; }
                directed.Add(node * nodes + other);
                pairs.Add(Math.Min(node, other) * nodes + Math.Max(node, other));
            }
        }
        pairs.Sort();
        var unique = new List<long>(pairs.Count);
        foreach (long p in pairs) if (unique.Count == 0 || unique[^1] != p) unique.Add(p);
        var source = unique.Select(p => (int)(p / nodes)).ToArray();
        var target = unique.Select(p => (int)(p % nodes)).ToArray();
        if (selfLoops > 0) notes.Add($"{selfLoops} self-loops dropped");
        int duplicates = entries - selfLoops - directed.Count;
        if (duplicates > 0) notes.Add($"{duplicates} repeated adjacency entries merged");
        int oneWay = 2 * unique.Count - directed.Count;
        if (oneWay > 0) notes.Add($"{oneWay} edges listed in one direction only: symmetrised");
        return (source, target);
    }

    static int[] ReadTestIndex(string path)
    {
        var file = Path.GetFileName(path);
        var ids = new List<int>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new DatasetFormatException(file, lineNumber, $"'{line}' is not a non-negative node id");
            ids.Add(id);
        }
        return [.. ids];
    }

    /// <summary>The adjacency dict (int → list of int) in file order.</summary>
    static List<(long Node, long[] Neighbours)> ReadAdjacency(string path)
    {
        var file = Path.GetFileName(path);
        if (PickleReader.ReadFile(path) is not PickleDict dict)
            throw new DatasetFormatException(file, null, "expected a dict of adjacency lists");
        var result = new List<(long, long[])>(dict.Entries.Count);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not long node) throw new DatasetFormatException(file, null, $"dict key {key} is not a node id");
            if (value is not PickleList list) throw new DatasetFormatException(file, null, $"node {node}: expected a list of neighbours");
            var neighbours = new long[list.Items.Count];
            for (int i = 0; i < neighbours.Length; i++)
                neighbours[i] = list.Items[i] as long? ?? throw new DatasetFormatException(file, null, $"node {node}: neighbour {list.Items[i]} is not a node id");
            result.Add((node, neighbours));
        }
        return result;
    }

    static string? FindFile(string directory, string name, string ext)
    {
        var wanted = $"ind.{name.ToLowerInvariant()}.{ext}";
        var exact = Path.Combine(directory, wanted);
        if (File.Exists(exact)) return exact;
        if (!Directory.Exists(directory)) return null;
        return Directory.EnumerateFiles(directory)
            .Where(f => string.Equals(Path.GetFileName(f), wanted, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>A dense row-major float matrix read from a scipy CSR matrix or a 2-D numpy array.</summary>
    sealed record Matrix(string File, int Rows, int Cols, float[] Values)
    {
        public static Matrix Read(string path)
        {
            var file = Path.GetFileName(path);
            return PickleReader.ReadFile(path) switch
            {
                CsrMatrixState csr => FromCsr(file, csr),
                NumpyArray array => FromArray(file, array),
                var other => throw new DatasetFormatException(file, null, $"expected a scipy CSR matrix or a numpy array, found {other?.ToString() ?? "None"}"),
            };
        }

        static Matrix FromArray(string file, NumpyArray array)
        {
            if (!array.Built) throw DatasetFormatException.AtByte(file, array.Offset, "numpy array without data (no BUILD)");
            if (array.Shape.Length != 2) throw DatasetFormatException.AtByte(file, array.Offset, $"expected a 2-D array, found shape ({string.Join(", ", array.Shape)})");
            if (array.Length > MaxValues) throw DatasetFormatException.AtByte(file, array.Offset, $"array of {array.Length} values is larger than this loader holds ({MaxValues})");
            int rows = (int)array.Shape[0], cols = (int)array.Shape[1];
            var values = new float[checked((long)rows * cols)];
            for (long i = 0; i < values.Length; i++)
            {
                // Memory order is row-major unless the array is Fortran-ordered (column-major).
                long target = array.Fortran ? (i % rows) * cols + i / rows : i;
                values[target] = (float)array.At(i);
            }
            return new Matrix(file, rows, cols, values);
        }

        static Matrix FromCsr(string file, CsrMatrixState csr)
        {
            var attributes = csr.Attributes ?? throw DatasetFormatException.AtByte(file, csr.Offset, "csr_matrix without state (no BUILD)");
            NumpyArray Array1D(string key)
            {
                if (!attributes.TryGet(key, out var value) || value is not NumpyArray { Built: true } a || a.Shape.Length != 1)
                    throw DatasetFormatException.AtByte(file, csr.Offset, $"csr_matrix state has no 1-D array '{key}'");
                return a;
            }
            if (attributes.TryGet("format", out var format) && (format switch { PickleBytes b => b.Text, string t => t, _ => null }) is { } f && f != "csr")
                throw DatasetFormatException.AtByte(file, csr.Offset, $"sparse format '{f}' is not csr");
            if ((!attributes.TryGet("_shape", out var shapeValue) && !attributes.TryGet("shape", out shapeValue))
                || shapeValue is not PickleTuple { Count: 2 } shape || shape[0] is not long r || shape[1] is not long c
                || r < 0 || c < 0 || r > int.MaxValue || c > int.MaxValue)
                throw DatasetFormatException.AtByte(file, csr.Offset, "csr_matrix state has no (rows, cols) shape");
            if (r * c > MaxValues) throw DatasetFormatException.AtByte(file, csr.Offset, $"a {r} × {c} matrix is larger than this loader holds ({MaxValues} values)");
            int rows = (int)r, cols = (int)c;
            var indptr = Array1D("indptr");
            var indices = Array1D("indices");
            foreach (var (key, index) in new[] { ("indptr", indptr), ("indices", indices) })
                if (index.DType!.Kind is not ('i' or 'u')) throw DatasetFormatException.AtByte(file, index.Offset, $"csr_matrix '{key}' has dtype {index.DType}, not an integer type");
            var data = Array1D("data");
            if (indptr.Length != rows + 1) throw DatasetFormatException.AtByte(file, indptr.Offset, $"indptr has {indptr.Length} entries for {rows} rows");
            if (indices.Length != data.Length) throw DatasetFormatException.AtByte(file, data.Offset, $"{indices.Length} column indices but {data.Length} values");
            if (indptr.At(0) != 0 || indptr.At(rows) != data.Length)
                throw DatasetFormatException.AtByte(file, indptr.Offset, $"indptr must run from 0 to {data.Length}");
            var values = new float[checked((long)rows * cols)];
            for (int row = 0; row < rows; row++)
            {
                long start = (long)indptr.At(row), end = (long)indptr.At(row + 1);
                if (end < start || start < 0 || end > data.Length)
                    throw DatasetFormatException.AtByte(file, indptr.Offset, $"indptr entries {start}, {end} of row {row} are not non-decreasing within 0..{data.Length}");
                for (long k = start; k < end; k++)
                {
                    double col = indices.At(k);
                    if (!(col >= 0 && col < cols)) throw DatasetFormatException.AtByte(file, indices.Offset, $"column index {col} outside 0..{cols - 1} in row {row}");
                    values[(long)row * cols + (long)col] += (float)data.At(k); // duplicates add up, as scipy's todense
                }
            }
            return new Matrix(file, rows, cols, values);
        }
    }
}
