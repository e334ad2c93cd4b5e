using System.Buffers.Binary;
using System.Text;

namespace GraphSSL.Data.Pickle;

/// <summary>
/// A safe reader for the pickles of the Planetoid datasets (protocol 2, as Python 2's cPickle wrote them):
/// it interprets only the opcodes those files use and names only the classes in <see cref="PickleClass"/>,
/// and turns them into plain data (the types in PickleValues.cs) — it never constructs an object a pickle
/// names. Anything else — an opcode outside the subset, a class outside the allowed set, a call of an allowed
/// class with unexpected arguments, a truncated file, bytes after STOP — is refused with a
/// <see cref="DatasetFormatException"/> naming the file and the byte offset of the offending opcode.
/// </summary>
internal sealed class PickleReader
{
    /// <summary>The allowed GLOBALs: (module, name) → class.</summary>
    static readonly Dictionary<(string Module, string Name), PickleClass> Allowed = new()
    {
        [("numpy.core.multiarray", "_reconstruct")] = PickleClass.NumpyReconstruct,
        [("numpy._core.multiarray", "_reconstruct")] = PickleClass.NumpyReconstruct,
        [("numpy", "ndarray")] = PickleClass.NumpyNdarray,
        [("numpy", "dtype")] = PickleClass.NumpyDtype,
        [("scipy.sparse.csr", "csr_matrix")] = PickleClass.ScipyCsrMatrix,
        [("scipy.sparse._csr", "csr_matrix")] = PickleClass.ScipyCsrMatrix,
        [("collections", "defaultdict")] = PickleClass.DefaultDict,
        [("__builtin__", "list")] = PickleClass.BuiltinList,
        [("builtins", "list")] = PickleClass.BuiltinList,
    };

    /// <summary>Deepest MARK nesting and largest memo accepted (far above what the dataset files use).</summary>
    const int MaxMarks = 1_000, MaxMemo = 10_000_000;

    sealed class Mark
    {
        public static readonly Mark Instance = new();
    }

    readonly byte[] data;
    readonly string file;
    readonly List<object?> stack = [];
    readonly List<int> marks = [];
    readonly Dictionary<long, object?> memo = [];
    int pos;
    long opOffset;

    PickleReader(byte[] data, string file)
    {
        this.data = data;
        this.file = file;
    }

    /// <summary>Reads the pickle in <paramref name="path"/>; errors name the file (not the directory).</summary>
    public static object? ReadFile(string path)
    {
        var name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetFormatException(name, null, $"file not found: {path}");
        }
        return Read(bytes, name);
    }

    /// <summary>Reads one pickle from <paramref name="bytes"/>; <paramref name="fileName"/> goes into error messages.</summary>
    public static object? Read(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new PickleReader(bytes, fileName).Run();
    }

    DatasetFormatException Error(string problem) => DatasetFormatException.AtByte(file, opOffset, problem);

    object? Run()
    {
        while (true)
        {
            opOffset = pos;
            if (pos >= data.Length) throw Error("truncated: the pickle ends without a STOP opcode");
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    {
                        int protocol = ReadByte("PROTO");
                        if (opOffset != 0) throw Error("PROTO is allowed only as the first opcode");
                        if (protocol is < 2 or > 3) throw Error($"pickle protocol {protocol} is not supported (only 2 and 3)");
                        break;
                    }
                case (byte)'.': // STOP
                    {
                        var result = Pop("STOP");
                        if (stack.Count != 0 || marks.Count != 0) throw Error($"STOP with {stack.Count} values and {marks.Count} marks left on the stack");
                        if (result is Mark) throw Error("STOP on a MARK");
                        if (pos != data.Length) { opOffset = pos; throw Error($"{data.Length - pos} bytes after STOP"); }
                        return result;
                    }
                case (byte)'c': // GLOBAL module\nname\n
                    {
                        var module = ReadLine("GLOBAL");
                        var name = ReadLine("GLOBAL");
                        if (!Allowed.TryGetValue((module, name), out var cls))
                            throw Error($"class {module}.{name} is not allowed: this reader accepts only " +
                                string.Join(", ", Allowed.Keys.Select(k => $"{k.Module}.{k.Name}")));
                        Push(cls);
                        break;
                    }
                case (byte)'q': Memoize(ReadByte("BINPUT")); break;
                case (byte)'r': Memoize(ReadUInt32("LONG_BINPUT")); break;
                case (byte)'h': Recall(ReadByte("BINGET")); break;
                case (byte)'j': Recall(ReadUInt32("LONG_BINGET")); break;
                case (byte)'(': // MARK
                    if (marks.Count >= MaxMarks) throw Error($"more than {MaxMarks} nested MARKs");
                    marks.Add(stack.Count);
                    stack.Add(Mark.Instance);
                    break;
                case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
                case (byte)']': Push(new PickleList()); break; // EMPTY_LIST
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'K': Push((long)ReadByte("BININT1")); break;
                case (byte)'M': Push((long)ReadUInt16("BININT2")); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4, "BININT"))); break;
                case 0x8a: // LONG1: n, then n bytes little-endian two's complement
                    {
                        int n = ReadByte("LONG1");
                        if (n > 8) throw Error($"LONG1 of {n} bytes does not fit 64 bits");
                        var bytes = Take(n, "LONG1");
                        long value = 0;
                        for (int i = n - 1; i >= 0; i--) value = (value << 8) | bytes[i];
                        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0) value -= 1L << (8 * n);
                        Push(value);
                        break;
                    }
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8, "BINFLOAT"))); break;
                case (byte)'U': Push(new PickleBytes(Take(ReadByte("SHORT_BINSTRING"), "SHORT_BINSTRING").ToArray())); break;
                case (byte)'T': Push(new PickleBytes(Take(ReadLength("BINSTRING"), "BINSTRING").ToArray())); break;
                case (byte)'C': Push(new PickleBytes(Take(ReadByte("SHORT_BINBYTES"), "SHORT_BINBYTES").ToArray())); break;
                case (byte)'B': Push(new PickleBytes(Take(ReadLength("BINBYTES"), "BINBYTES").ToArray())); break;
                case (byte)'X': Push(DecodeUtf8(Take(ReadLength("BINUNICODE"), "BINUNICODE"))); break;
                case (byte)'t': Push(new PickleTuple(PopToMark("TUPLE"))); break;
                case 0x85: Push(new PickleTuple(PopN(1, "TUPLE1"))); break;
                case 0x86: Push(new PickleTuple(PopN(2, "TUPLE2"))); break;
                case 0x87: Push(new PickleTuple(PopN(3, "TUPLE3"))); break;
                case (byte)'a': // APPEND
                    {
                        var value = Pop("APPEND");
                        Expect<PickleList>(Peek("APPEND"), "APPEND", "a list").Items.Add(value);
                        break;
                    }
                case (byte)'e': // APPENDS
                    {
                        var values = PopToMark("APPENDS");
                        Expect<PickleList>(Peek("APPENDS"), "APPENDS", "a list").Items.AddRange(values);
                        break;
                    }
                case (byte)'s': // SETITEM
                    {
                        var value = Pop("SETITEM");
                        var key = Pop("SETITEM");
                        Expect<PickleDict>(Peek("SETITEM"), "SETITEM", "a dict").Set(CheckKey(key, "SETITEM"), value);
                        break;
                    }
                case (byte)'u': // SETITEMS
                    {
                        var items = PopToMark("SETITEMS");
                        if (items.Length % 2 != 0) throw Error($"SETITEMS with an odd number ({items.Length}) of keys and values");
                        var dict = Expect<PickleDict>(Peek("SETITEMS"), "SETITEMS", "a dict");
                        for (int i = 0; i < items.Length; i += 2) dict.Set(CheckKey(items[i], "SETITEMS"), items[i + 1]);
                        break;
                    }
                case (byte)'R': // REDUCE: callable, args → callable(*args)
                    {
                        var args = Expect<PickleTuple>(Pop("REDUCE"), "REDUCE", "an argument tuple");
                        var callable = Pop("REDUCE");
                        Push(Reduce(callable, args));
                        break;
                    }
                case 0x81: // NEWOBJ: cls, args → cls.__new__(cls, *args)
                    {
                        var args = Expect<PickleTuple>(Pop("NEWOBJ"), "NEWOBJ", "an argument tuple");
                        var cls = Pop("NEWOBJ");
                        if (cls is PickleClass.ScipyCsrMatrix && args.Count == 0) Push(new CsrMatrixState(opOffset));
                        else throw Error($"NEWOBJ of {Describe(cls)} with {args.Count} arguments is not allowed (only csr_matrix with none)");
                        break;
                    }
                case (byte)'b': // BUILD: obj, state → obj.__setstate__(state)
                    {
                        var state = Pop("BUILD");
                        Build(Peek("BUILD"), state);
                        break;
                    }
                default:
                    throw Error($"opcode 0x{op:x2}{(op is >= 0x20 and < 0x7f ? $" ('{(char)op}')" : "")} is not supported by this reader " +
                        "(it reads only the protocol-2 subset used by numpy/scipy/dict pickles of the Planetoid datasets)");
            }
        }
    }

    object? Reduce(object? callable, PickleTuple args)
    {
        switch (callable)
        {
            case PickleClass.NumpyReconstruct:
                // _reconstruct(ndarray, (0,), 'b'): an empty array that BUILD fills in.
                if (args.Count == 3 && args[0] is PickleClass.NumpyNdarray && args[1] is PickleTuple && args[2] is PickleBytes or string)
                    return new NumpyArray(opOffset);
                throw Error($"_reconstruct called with ({DescribeAll(args)}); expected (numpy.ndarray, shape, typecode)");
            case PickleClass.NumpyDtype:
                // dtype('i4', 0, 1)
                if (args.Count is >= 1 and <= 3 && Text(args[0]) is { } code)
                {
                    if (!NumpyDType.IsSupported(code)) throw Error($"numpy dtype '{code}' is not supported (only bool, integer and float types)");
                    return new NumpyDType(code, opOffset);
                }
                throw Error($"numpy.dtype called with ({DescribeAll(args)}); expected a type code such as 'f4'");
            case PickleClass.DefaultDict:
                if (args.Count == 0 || (args.Count == 1 && args[0] is PickleClass.BuiltinList or null))
                    return new PickleDict();
                throw Error($"collections.defaultdict called with ({DescribeAll(args)}); only a list factory is allowed");
            default:
                throw Error($"REDUCE of {Describe(callable)} is not allowed");
        }
    }

    void Build(object? target, object? state)
    {
        switch (target)
        {
            case NumpyDType dtype:
                // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
                if (state is PickleTuple { Count: >= 2 } t && Text(t[1]) is { Length: 1 } order && "<>|=".Contains(order[0]))
                {
                    dtype.ByteOrder = order[0];
                    return;
                }
                throw Error($"numpy dtype state {Describe(state)} is not (version, byteorder, …)");
            case NumpyArray array when !array.Built:
                {
                    // (version, shape, dtype, is_fortran, raw data)
                    if (state is not PickleTuple { Count: 5 } s || s[1] is not PickleTuple shape || s[2] is not NumpyDType dtype
                        || s[3] is not bool fortran || s[4] is not PickleBytes raw)
                        throw Error($"numpy array state {Describe(state)} is not (version, shape, dtype, is_fortran, bytes)");
                    var dims = new long[shape.Count];
                    long count = 1;
                    for (int i = 0; i < dims.Length; i++)
                    {
                        if (shape[i] is not long d || d < 0) throw Error($"numpy array shape entry {Describe(shape[i])} is not a non-negative integer");
                        dims[i] = d;
                        count = checked(count * d);
                    }
                    long expected = checked(count * dtype.ItemSize);
                    if (raw.Bytes.Length != expected)
                        throw Error($"numpy array of shape ({string.Join(", ", dims)}) and dtype {dtype} needs {expected} bytes, the pickle holds {raw.Bytes.Length}");
                    array.Build(dims, dtype, fortran, raw.Bytes);
                    return;
                }
            case CsrMatrixState csr when csr.Attributes is null:
                csr.Attributes = state as PickleDict ?? throw Error($"csr_matrix state {Describe(state)} is not a dict");
                return;
            default:
                throw Error($"BUILD of {Describe(target)} is not allowed");
        }
    }

    static string? Text(object? value) => value switch { string s => s, PickleBytes b => b.Text, _ => null };

    static string Describe(object? value) => value switch
    {
        null => "None",
        PickleClass c => c.ToString(),
        Mark => "MARK",
        _ => value.ToString() ?? value.GetType().Name,
    };

    static string DescribeAll(PickleTuple t) => string.Join(", ", t.Items.Select(Describe));

    object? CheckKey(object? key, string opcode) =>
        key is long or string or PickleBytes ? key : throw Error($"{opcode}: dict key {Describe(key)} is not an int or a string");

    T Expect<T>(object? value, string opcode, string what) where T : class
        => value as T ?? throw Error($"{opcode} expects {what}, found {Describe(value)}");

    void Push(object? value) => stack.Add(value);

    object? Peek(string opcode)
    {
        if (stack.Count == 0) throw Error($"{opcode} on an empty stack");
        if (stack[^1] is Mark) throw Error($"{opcode} found a MARK where it needs a value");
        return stack[^1];
    }

    object? Pop(string opcode)
    {
        var value = Peek(opcode);
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    object?[] PopN(int n, string opcode)
    {
        var items = new object?[n];
        for (int i = n - 1; i >= 0; i--) items[i] = Pop(opcode);
        return items;
    }

    object?[] PopToMark(string opcode)
    {
        if (marks.Count == 0) throw Error($"{opcode} without a MARK");
        int at = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(at + 1, stack.Count - at - 1).ToArray();
        stack.RemoveRange(at, stack.Count - at);
        return items;
    }

    void Memoize(long index)
    {
        if (memo.Count >= MaxMemo && !memo.ContainsKey(index)) throw Error($"more than {MaxMemo} memo entries");
        memo[index] = Peek("PUT");
    }

    void Recall(long index)
    {
        if (!memo.TryGetValue(index, out var value)) throw Error($"GET of memo entry {index}, which was never PUT");
        Push(value);
    }

    ReadOnlySpan<byte> Take(int count, string opcode)
    {
        if (count < 0 || count > data.Length - pos)
            throw Error($"truncated: {opcode} needs {count} bytes, {data.Length - pos} left");
        var span = data.AsSpan(pos, count);
        pos += count;
        return span;
    }

    int ReadByte(string opcode) => Take(1, opcode)[0];
    int ReadUInt16(string opcode) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, opcode));
    long ReadUInt32(string opcode) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, opcode));

    int ReadLength(string opcode)
    {
        int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4, opcode));
        if (n < 0) throw Error($"{opcode} with negative length {n}");
        return n;
    }

    string ReadLine(string opcode)
    {
        int end = Array.IndexOf(data, (byte)'\n', pos, Math.Min(data.Length - pos, 256));
        if (end < 0)
            throw Error(data.Length - pos < 256 ? $"truncated: {opcode} argument has no newline" : $"{opcode} argument longer than 256 bytes");
        var line = Encoding.ASCII.GetString(data, pos, end - pos);
        pos = end + 1;
        return line;
    }

    string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error("BINUNICODE is not valid UTF-8");
        }
    }
}
