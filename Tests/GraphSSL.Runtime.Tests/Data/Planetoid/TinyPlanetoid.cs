namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>
/// A small dataset in the Planetoid file format, shaped like CiteSeer: 2 classes, 3 features, 503 rows in
/// allx (2 training + 500 validation + 1 more), test ids 507, 503, 506, 504 in that file order — 505 is
/// missing from test.index, so it becomes a filled-in node. Node v's first feature is v + 1 wherever a row
/// exists, so tests can see where each row went. Labels are v % 2. The adjacency dict has a self-loop, a
/// repeated entry and two edges listed one way only.
/// </summary>
internal static class TinyPlanetoid
{
    public const int AllxRows = 503, Features = 3, Classes = 2, Nodes = 508, Missing = 505;
    public static readonly int[] TestIds = [507, 503, 506, 504];

    public static float[] Row(int v, bool test) => [v + 1, v % 3 == 0 ? 1 : 0, test ? 1 : 0];

    public static readonly (int Node, int[] Neighbours)[] Adjacency =
    [
        (0, [1, 1, 0]), // (0, 1) twice and a self-loop
        (1, [0]),
        (2, [3]), // 3 does not list 2
        (3, []),
        (503, [504]),
        (504, [503]),
        (506, [507]),
        (507, [506, 2]), // 2 does not list 507
    ];

    /// <summary>Undirected edges the loader must produce, sorted.</summary>
    public static readonly (int, int)[] Edges = [(0, 1), (2, 3), (2, 507), (503, 504), (506, 507)];

    /// <summary>Writes <c>ind.&lt;name&gt;.*</c> into <paramref name="directory"/> (created) and returns it.</summary>
    public static string Write(string directory, string name = "tiny")
    {
        Directory.CreateDirectory(directory);
        var allx = Enumerable.Range(0, AllxRows).Select(v => Row(v, false)).ToArray();
        var ally = Enumerable.Range(0, AllxRows).Select(v => v % 2).ToArray();
        void Put(string ext, byte[] bytes) => File.WriteAllBytes(Path.Combine(directory, $"ind.{name}.{ext}"), bytes);
        Put("x", PickleWriter.Csr(allx[..2], Features));
        Put("y", PickleWriter.OneHot(ally[..2], Classes));
        Put("allx", PickleWriter.Csr(allx, Features));
        Put("ally", PickleWriter.OneHot(ally, Classes));
        Put("tx", PickleWriter.Csr(TestIds.Select(v => Row(v, true)).ToArray(), Features));
        Put("ty", PickleWriter.OneHot(TestIds.Select(v => v % 2).ToArray(), Classes));
        Put("graph", PickleWriter.Graph(Adjacency));
        File.WriteAllLines(Path.Combine(directory, $"ind.{name}.test.index"), TestIds.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return directory;
    }
}
