using System.Text;
using GraphSSL.Data.Pickle;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>
/// The safe pickle reader on bytes built in the tests: what it reads, and that everything else — a
/// truncated file, an opcode outside its subset, a class outside the allowed set, a misused allowed class —
/// is refused with a <see cref="DatasetFormatException"/> naming the file and the byte offset, never another
/// exception type.
/// </summary>
public class PickleReaderTests
{
    const string File = "ind.test.x";

    static DatasetFormatException Refused(byte[] bytes)
    {
        var e = Assert.Throws<DatasetFormatException>(() => PickleReader.Read(bytes, File));
        Assert.Equal(File, e.File);
        Assert.NotNull(e.ByteOffset);
        Assert.StartsWith($"{File} byte {e.ByteOffset}: ", e.Message);
        return e;
    }

    static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Fact]
    public void Reads_ints_strings_tuples_lists_dicts_and_the_memo()
    {
        // {'a': [1, 300, -5, (None, True)], 7: 'a'}, the list memoised and fetched again as a third value.
        var bytes = new PickleWriter().Proto().EmptyDict().Put().Mark()
            .Str("a").EmptyList().Put().Mark().Int(1).Int(300).Int(-5).None().Bool(true).Tuple(2).Appends()
            .Int(7).Get(1).SetItems().Stop().ToArray();
        var dict = Assert.IsType<PickleDict>(PickleReader.Read(bytes, File));
        Assert.True(dict.TryGet("a", out var value));
        var list = Assert.IsType<PickleList>(value);
        Assert.Equal([1L, 300L, -5L], list.Items.Take(3));
        var pair = Assert.IsType<PickleTuple>(list.Items[3]);
        Assert.Equal([null, true], pair.Items);
        Assert.Same(list, dict.Entries[1].Value);
        Assert.Equal(7L, dict.Entries[1].Key);
    }

    [Fact]
    public void Reads_a_numpy_array_and_a_csr_matrix_as_cpickle_wrote_them()
    {
        var array = new PickleWriter().Proto().NdArray([2, 2], "i4", PickleWriter.Int32Bytes([1, 2, 3, -4])).Stop().ToArray();
        var a = Assert.IsType<NumpyArray>(PickleReader.Read(array, File));
        Assert.Equal([2L, 2L], a.Shape);
        Assert.Equal("i4", a.DType!.Code);
        Assert.Equal('<', a.DType.ByteOrder);
        Assert.Equal(-4.0, a.At(3));

        var csr = Assert.IsType<CsrMatrixState>(PickleReader.Read(PickleWriter.Csr([[0, 1.5f], [2, 0]], 2), File));
        Assert.True(csr.Attributes!.TryGet("data", out var data));
        Assert.Equal(1.5, Assert.IsType<NumpyArray>(data).At(0));
    }

    [Fact]
    public void Every_truncation_of_a_real_shaped_pickle_is_refused_at_its_end()
    {
        var whole = PickleWriter.Csr([[0, 1, 0], [1, 0, 1]], 3);
        Assert.IsType<CsrMatrixState>(PickleReader.Read(whole, File));
        for (int length = 0; length < whole.Length; length++)
        {
            var e = Refused(whole[..length]);
            Assert.InRange(e.ByteOffset!.Value, 0, length);
        }
        var last = Refused(whole[..^1]); // all but STOP
        Assert.Equal(whole.Length - 1, last.ByteOffset);
        Assert.Contains("without a STOP", last.Message);
        var inString = Refused(new PickleWriter().Proto().Str("format").ToArray()[..6]);
        Assert.Equal(2, inString.ByteOffset); // the SHORT_BINSTRING opcode whose argument is cut
        Assert.Contains("truncated: SHORT_BINSTRING needs 6 bytes, 2 left", inString.Message);
    }

    [Theory]
    [InlineData(0x95, "FRAME")] // protocol 4
    [InlineData((byte)'i', "INST")] // protocol 0 instance creation
    [InlineData((byte)'o', "OBJ")]
    [InlineData((byte)'P', "PERSID")]
    [InlineData(0x82, "EXT1")]
    [InlineData(0x93, "STACK_GLOBAL")]
    [InlineData((byte)'S', "STRING")]
    [InlineData(0xff, "none")]
    public void An_opcode_outside_the_subset_is_refused_at_its_offset(byte opcode, string name)
    {
        var bytes = new PickleWriter().Proto().Int(1).Op(opcode).Raw(0, 0, 0, 0, 0, 0, 0, 0, 0).Stop().ToArray();
        var e = Refused(bytes);
        Assert.Equal(4, e.ByteOffset);
        Assert.Contains($"opcode 0x{opcode:x2}", e.Message);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("__builtin__", "getattr")]
    [InlineData("copy_reg", "_reconstructor")]
    [InlineData("subprocess", "Popen")]
    [InlineData("numpy", "load")]
    [InlineData("numpy.core.multiarray", "scalar")]
    [InlineData("scipy.sparse.csr", "csr_matrix ")]
    public void A_class_outside_the_allowed_set_is_refused_before_anything_is_called(string module, string name)
    {
        // os.system('echo pwned') as a pickle would spell it.
        var bytes = new PickleWriter().Proto().Global(module, name).Str("echo pwned").Tuple(1).Reduce().Stop().ToArray();
        var e = Refused(bytes);
        Assert.Equal(2, e.ByteOffset);
        Assert.Contains($"class {module}.{name} is not allowed", e.Message);
    }

    [Fact]
    public void Allowed_classes_used_in_any_other_way_are_refused()
    {
        // ndarray called directly, not through _reconstruct.
        var e = Refused(new PickleWriter().Proto().Global("numpy", "ndarray").Int(3).Tuple(1).Reduce().Stop().ToArray());
        Assert.Equal(new PickleWriter().Proto().Global("numpy", "ndarray").Int(3).Tuple(1).Length, e.ByteOffset);
        Assert.Contains("REDUCE of NumpyNdarray is not allowed", e.Message);
        // dtype('O'): object arrays would need arbitrary objects.
        Assert.Contains("dtype 'O'", Refused(new PickleWriter().Proto().Global("numpy", "dtype").Str("O").Int(0).Int(1).Tuple(3).Reduce().Stop().ToArray()).Message);
        // NEWOBJ of something other than csr_matrix.
        Assert.Contains("NEWOBJ", Refused(new PickleWriter().Proto().Global("numpy", "dtype").Tuple(0).NewObj().Stop().ToArray()).Message);
        // BUILD on a list (would be __setstate__ / __dict__ update of an arbitrary object).
        Assert.Contains("BUILD of list", Refused(new PickleWriter().Proto().EmptyList().EmptyDict().Build().Stop().ToArray()).Message);
        // defaultdict with a factory other than list.
        Assert.Contains("defaultdict", Refused(new PickleWriter().Proto().Global("collections", "defaultdict").Global("numpy", "dtype").Tuple(1).Reduce().Stop().ToArray()).Message);
        // an array whose byte count does not match shape × itemsize.
        Assert.Contains("needs 16 bytes, the pickle holds 12",
            Refused(new PickleWriter().Proto().NdArray([2, 2], "i4", PickleWriter.Int32Bytes([1, 2, 3])).Stop().ToArray()).Message);
    }

    [Fact]
    public void Stack_memo_and_trailing_byte_mistakes_are_refused()
    {
        Assert.Contains("empty stack", Refused(Bytes("\u0080\u0002\u0085.")).Message); // TUPLE1 on nothing
        Assert.Contains("without a MARK", Refused(Bytes("\u0080\u0002K\u0001t.")).Message);
        Assert.Contains("never PUT", Refused(Bytes("\u0080\u0002h\u0005.")).Message);
        Assert.Contains("MARK where it needs a value", Refused(Bytes("\u0080\u0002(\u0085.")).Message);
        Assert.Contains("APPEND expects a list", Refused(Bytes("\u0080\u0002K\u0001K\u0002a.")).Message);
        Assert.Contains("left on the stack", Refused(Bytes("\u0080\u0002K\u0001K\u0002.")).Message);
        Assert.Contains("protocol 4", Refused(Bytes("\u0080\u0004K\u0001.")).Message);
        var trailing = Refused(Bytes("\u0080\u0002K\u0001.\n"));
        Assert.Equal(5, trailing.ByteOffset);
        Assert.Contains("1 bytes after STOP", trailing.Message);
        Assert.Contains("negative length", Refused(Bytes("\u0080\u0002T\u00ff\u00ff\u00ff\u00ff.")).Message);
    }

    [Fact]
    public void Any_single_corrupted_byte_gives_a_value_or_a_dataset_format_exception_never_another_exception()
    {
        var whole = PickleWriter.Csr([[0, 1, 0], [1, 0, 1]], 3);
        var random = new Random(14);
        for (int i = 0; i < whole.Length; i++)
        {
            foreach (var value in new byte[] { 0, 0xff, (byte)random.Next(256), (byte)(whole[i] ^ 1) })
            {
                var bytes = (byte[])whole.Clone();
                bytes[i] = value;
                try
                {
                    PickleReader.Read(bytes, File);
                }
                catch (DatasetFormatException e)
                {
                    Assert.Equal(File, e.File);
                    Assert.NotNull(e.ByteOffset);
                }
            }
        }
    }
}
