namespace GraphSSL.Data;

/// <summary>
/// A dataset file is missing or malformed. The message names the file and, when the problem is on one
/// line, the 1-based line number, e.g. <c>MUTAG_A.txt line 17: node id 4000 is out of range 1..3371</c>;
/// for a binary file (a pickle) the 0-based byte offset instead, e.g.
/// <c>ind.cora.x byte 204: truncated: BINSTRING needs 564 bytes, 12 left</c>.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> (a file name, not a path) and an optional line.</summary>
    /// <param name="file">Name of the offending file, e.g. <c>MUTAG_A.txt</c>.</param>
    /// <param name="line">1-based line number, or <see langword="null"/> when the problem is not on one line.</param>
    /// <param name="problem">What is wrong and, where possible, what was expected.</param>
    public DatasetFormatException(string file, int? line, string problem)
        : base(line is null ? $"{file}: {problem}" : $"{file} line {line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    DatasetFormatException(string file, long byteOffset, string problem, Exception? inner)
        : base($"{file} byte {byteOffset}: {problem}", inner)
    {
        File = file;
        ByteOffset = byteOffset;
        Problem = problem;
    }

    /// <summary>A problem in a binary file at the 0-based <paramref name="byteOffset"/>.</summary>
    /// <param name="file">Name of the offending file, e.g. <c>ind.cora.x</c>.</param>
    /// <param name="byteOffset">0-based offset of the first byte of the offending item (an opcode, an argument).</param>
    /// <param name="problem">What is wrong and, where possible, what was expected.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public static DatasetFormatException AtByte(string file, long byteOffset, string problem, Exception? inner = null)
        => new(file, byteOffset, problem, inner);

    /// <summary>Name of the offending file (no directory), e.g. <c>MUTAG_A.txt</c>.</summary>
    public string File { get; }

    /// <summary>1-based line number of the problem, or <see langword="null"/> when it concerns the whole file.</summary>
    public int? Line { get; }

    /// <summary>0-based byte offset of the problem in a binary file, or <see langword="null"/> for a text file.</summary>
    public long? ByteOffset { get; }

    /// <summary>The problem without the file and line prefix.</summary>
    public string Problem { get; }
}
