using System.Buffers.Binary;
using System.Text;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>
/// Writes protocol-2 pickles opcode by opcode, in the shapes Python 2's cPickle gave the Planetoid files
/// (scipy CSR matrices of float32, one-hot int32 numpy arrays, a defaultdict(list) of adjacency lists), so
/// tests can make small datasets and malformed variants without Python or the real files.
/// </summary>
internal sealed class PickleWriter
{
    readonly List<byte> bytes = [];
    int memo;

    public byte[] ToArray() => [.. bytes];
    public int Length => bytes.Count;

    public PickleWriter Op(byte op) { bytes.Add(op); return this; }
    public PickleWriter Raw(params byte[] raw) { bytes.AddRange(raw); return this; }
    public PickleWriter Proto(int protocol = 2) => Op(0x80).Raw((byte)protocol);
    public PickleWriter Stop() => Op((byte)'.');
    public PickleWriter Mark() => Op((byte)'(');
    public PickleWriter Put() => Op((byte)'q').Raw((byte)memo++);
    public PickleWriter Get(int index) => Op((byte)'h').Raw((byte)index);
    public PickleWriter None() => Op((byte)'N');
    public PickleWriter Bool(bool value) => Op(value ? (byte)0x88 : (byte)0x89);
    public PickleWriter Tuple() => Op((byte)'t');
    public PickleWriter Tuple(int n) => Op(n switch { 0 => (byte)')', 1 => (byte)0x85, 2 => (byte)0x86, 3 => (byte)0x87, _ => throw new ArgumentOutOfRangeException(nameof(n)) });
    public PickleWriter Reduce() => Op((byte)'R');
    public PickleWriter Build() => Op((byte)'b');
    public PickleWriter NewObj() => Op(0x81);
    public PickleWriter EmptyDict() => Op((byte)'}');
    public PickleWriter EmptyList() => Op((byte)']');
    public PickleWriter SetItems() => Op((byte)'u');
    public PickleWriter Appends() => Op((byte)'e');

    public PickleWriter Global(string module, string name)
        => Op((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleWriter Int(long value)
    {
        if (value is >= 0 and < 256) return Op((byte)'K').Raw((byte)value);
        if (value is >= 0 and < 65536) return Op((byte)'M').Raw((byte)value, (byte)(value >> 8));
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, checked((int)value));
        return Op((byte)'J').Raw(b);
    }

    /// <summary>A Python 2 str: SHORT_BINSTRING up to 255 bytes, else BINSTRING.</summary>
    public PickleWriter Str(byte[] value)
    {
        if (value.Length < 256) return Op((byte)'U').Raw((byte)value.Length).Raw(value);
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value.Length);
        return Op((byte)'T').Raw(b).Raw(value);
    }

    public PickleWriter Str(string value) => Str(Encoding.Latin1.GetBytes(value));

    /// <summary>A numpy array as cPickle wrote it: _reconstruct(ndarray, (0,), 'b') then BUILD (1, shape, dtype, False, raw).</summary>
    public PickleWriter NdArray(long[] shape, string code, byte[] raw)
    {
        Global("numpy.core.multiarray", "_reconstruct").Put();
        Global("numpy", "ndarray").Put();
        Int(0).Tuple(1).Str("b").Tuple(3).Reduce().Put();
        Mark().Int(1);
        foreach (var d in shape) Int(d);
        Tuple(shape.Length);
        Global("numpy", "dtype").Put().Str(code).Int(0).Int(1).Tuple(3).Reduce().Put();
        Mark().Int(3).Str("<").None().None().None().Int(-1).Int(-1).Int(0).Tuple().Build();
        Bool(false).Str(raw).Tuple().Build();
        return this;
    }

    public static byte[] Int32Bytes(IEnumerable<int> values)
    {
        var list = values.ToArray();
        var raw = new byte[4 * list.Length];
        for (int i = 0; i < list.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(4 * i), list[i]);
        return raw;
    }

    public static byte[] Float32Bytes(IEnumerable<float> values)
    {
        var list = values.ToArray();
        var raw = new byte[4 * list.Length];
        for (int i = 0; i < list.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), list[i]);
        return raw;
    }

    /// <summary>A whole pickle of a scipy CSR matrix (float32 data, int32 indices) of the dense <paramref name="rows"/>.</summary>
    public static byte[] Csr(float[][] rows, int cols)
    {
        var indptr = new List<int> { 0 };
        var indices = new List<int>();
        var data = new List<float>();
        foreach (var row in rows)
        {
            for (int j = 0; j < cols; j++) if (row[j] != 0) { indices.Add(j); data.Add(row[j]); }
            indptr.Add(indices.Count);
        }
        var w = new PickleWriter().Proto().Global("scipy.sparse.csr", "csr_matrix").Put().Tuple(0).NewObj().Put().EmptyDict().Put();
        w.Mark().Str("format").Str("csr").Str("_shape").Int(rows.Length).Int(cols).Tuple(2);
        w.Str("indptr").NdArray([indptr.Count], "i4", Int32Bytes(indptr));
        w.Str("_cs_matrix__has_sorted_indices").Bool(true);
        w.Str("indices").NdArray([indices.Count], "i4", Int32Bytes(indices));
        w.Str("maxprint").Int(50);
        w.Str("data").NdArray([data.Count], "f4", Float32Bytes(data));
        return w.SetItems().Build().Stop().ToArray();
    }

    /// <summary>A whole pickle of a one-hot int32 array [labels, classes]; a label of −1 gives a row of zeros.</summary>
    public static byte[] OneHot(int[] labels, int classes)
    {
        var values = new int[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++) if (labels[i] >= 0) values[i * classes + labels[i]] = 1;
        return new PickleWriter().Proto().NdArray([labels.Length, classes], "i4", Int32Bytes(values)).Stop().ToArray();
    }

    /// <summary>A whole pickle of defaultdict(list, {node: [neighbours]}).</summary>
    public static byte[] Graph(IEnumerable<(int Node, int[] Neighbours)> adjacency)
    {
        var w = new PickleWriter().Proto().Global("collections", "defaultdict").Put().Global("__builtin__", "list").Put().Tuple(1).Reduce().Put();
        w.Mark();
        foreach (var (node, neighbours) in adjacency)
        {
            w.Int(node).EmptyList();
            w.Mark();
            foreach (var n in neighbours) w.Int(n);
            w.Appends();
        }
        return w.SetItems().Stop().ToArray();
    }
}
