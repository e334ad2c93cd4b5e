using System.Buffers.Binary;
using System.Text;

namespace GraphSSL.Data.Pickle;

// What the safe pickle reader (PickleReader) produces. Plain data only: a pickle can never make the reader
// construct anything but these, whatever classes it names.
//   None → null, bool → bool, int → long, float → double, Python 2 str / bytes → PickleBytes,
//   unicode → string, tuple → PickleTuple, list → PickleList, dict and defaultdict → PickleDict,
//   numpy dtype → NumpyDType, numpy array → NumpyArray, scipy CSR matrix → CsrMatrixState.

/// <summary>The classes a pickle may name (GLOBAL); every other class is refused.</summary>
internal enum PickleClass
{
    /// <summary><c>numpy.core.multiarray._reconstruct</c> (numpy 2: <c>numpy._core.multiarray</c>).</summary>
    NumpyReconstruct,
    /// <summary><c>numpy.ndarray</c>, only as the first argument of <see cref="NumpyReconstruct"/>.</summary>
    NumpyNdarray,
    /// <summary><c>numpy.dtype</c>.</summary>
    NumpyDtype,
    /// <summary><c>scipy.sparse.csr.csr_matrix</c> (scipy ≥ 1.8: <c>scipy.sparse._csr</c>).</summary>
    ScipyCsrMatrix,
    /// <summary><c>collections.defaultdict</c>: read as a plain dict.</summary>
    DefaultDict,
    /// <summary><c>__builtin__.list</c> / <c>builtins.list</c>, only as a defaultdict's factory.</summary>
    BuiltinList,
}

/// <summary>A Python 2 <c>str</c> or a Python 3 <c>bytes</c>: raw bytes.</summary>
internal sealed class PickleBytes(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;
    /// <summary>The bytes as text, one char per byte (Latin-1), as Python 2 str keys are meant.</summary>
    public string Text => Encoding.Latin1.GetString(Bytes);
    public override string ToString() => Bytes.Length <= 40 ? $"'{Text}'" : $"<{Bytes.Length} bytes>";
}

/// <summary>A tuple.</summary>
internal sealed class PickleTuple(object?[] items)
{
    public object?[] Items { get; } = items;
    public int Count => Items.Length;
    public object? this[int i] => Items[i];
    public override string ToString() => $"tuple({Count})";
}

/// <summary>A list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = [];
    public override string ToString() => $"list({Items.Count})";
}

/// <summary>A dict (or defaultdict) in insertion order; keys compared as Python would for ints and strings.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];

    public void Set(object? key, object? value)
    {
        for (int i = 0; i < Entries.Count; i++)
        {
            if (KeyEquals(Entries[i].Key, key))
            {
                Entries[i] = new(Entries[i].Key, value);
                return;
            }
        }
        Entries.Add(new(key, value));
    }

    /// <summary>The value under a string key (matches both a str and a unicode key).</summary>
    public bool TryGet(string key, out object? value)
    {
        foreach (var e in Entries)
        {
            if (KeyText(e.Key) == key) { value = e.Value; return true; }
        }
        value = null;
        return false;
    }

    static string? KeyText(object? key) => key switch { string s => s, PickleBytes b => b.Text, _ => null };

    static bool KeyEquals(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        _ when KeyText(a) is { } s && KeyText(b) is { } t => s == t,
        _ => false,
    };

    public override string ToString() => $"dict({Entries.Count})";
}

/// <summary>A numpy dtype: <c>dtype('i4', 0, 1)</c> then BUILD with its state (version, byte order, …).</summary>
internal sealed class NumpyDType(string code, long offset)
{
    /// <summary>Type code as pickled, e.g. <c>i4</c>, <c>f4</c>, <c>f8</c>.</summary>
    public string Code { get; } = code;
    /// <summary><c>&lt;</c> little, <c>&gt;</c> big, <c>|</c> not applicable, <c>=</c> native.</summary>
    public char ByteOrder { get; set; } = '=';
    /// <summary>Byte offset of the REDUCE that made it.</summary>
    public long Offset { get; } = offset;

    public char Kind => Code[0];
    public int ItemSize => int.Parse(Code.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
    public bool BigEndian => ByteOrder == '>' || (ByteOrder == '=' && !BitConverter.IsLittleEndian);
    public override string ToString() => $"dtype('{ByteOrder}{Code}')";

    /// <summary>Type codes this reader can turn into numbers.</summary>
    public static bool IsSupported(string code) => code is "i1" or "i2" or "i4" or "i8" or "u1" or "u2" or "u4" or "u8" or "f4" or "f8" or "b1";
}

/// <summary>A numpy array: <c>_reconstruct(ndarray, (0,), 'b')</c> then BUILD with (version, shape, dtype, is_fortran, raw bytes).</summary>
internal sealed class NumpyArray(long offset)
{
    /// <summary>Byte offset of the REDUCE that made it.</summary>
    public long Offset { get; } = offset;
    public bool Built { get; private set; }
    public long[] Shape { get; private set; } = [];
    public NumpyDType? DType { get; private set; }
    public bool Fortran { get; private set; }
    public byte[] Data { get; private set; } = [];

    public void Build(long[] shape, NumpyDType dtype, bool fortran, byte[] data)
    {
        Shape = shape;
        DType = dtype;
        Fortran = fortran;
        Data = data;
        Built = true;
    }

    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Element <paramref name="i"/> in memory order as a double.</summary>
    public double At(long i)
    {
        var d = DType!;
        var span = Data.AsSpan(checked((int)(i * d.ItemSize)), d.ItemSize);
        bool big = d.BigEndian;
        return d.Code switch
        {
            "b1" or "u1" => span[0],
            "i1" => (sbyte)span[0],
            "i2" => big ? BinaryPrimitives.ReadInt16BigEndian(span) : BinaryPrimitives.ReadInt16LittleEndian(span),
            "u2" => big ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span),
            "i4" => big ? BinaryPrimitives.ReadInt32BigEndian(span) : BinaryPrimitives.ReadInt32LittleEndian(span),
            "u4" => big ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span),
            "i8" => big ? BinaryPrimitives.ReadInt64BigEndian(span) : BinaryPrimitives.ReadInt64LittleEndian(span),
            "u8" => big ? BinaryPrimitives.ReadUInt64BigEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span),
            "f4" => big ? BinaryPrimitives.ReadSingleBigEndian(span) : BinaryPrimitives.ReadSingleLittleEndian(span),
            "f8" => big ? BinaryPrimitives.ReadDoubleBigEndian(span) : BinaryPrimitives.ReadDoubleLittleEndian(span),
            _ => throw new InvalidOperationException($"unsupported dtype {d}"),
        };
    }

    public override string ToString() => Built ? $"ndarray({string.Join('×', Shape)}, {DType})" : "ndarray(unbuilt)";
}

/// <summary>A scipy <c>csr_matrix</c>: made empty by NEWOBJ, then BUILD with its attribute dict.</summary>
internal sealed class CsrMatrixState(long offset)
{
    /// <summary>Byte offset of the NEWOBJ that made it.</summary>
    public long Offset { get; } = offset;
    public PickleDict? Attributes { get; set; }
    public override string ToString() => "csr_matrix";
}
