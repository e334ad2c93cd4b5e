using System.Globalization;
using System.Text;

namespace GraphSSL.Data;

/// <summary>
/// One raw TU text file read line by line as trimmed spans over a single string: no per-line allocation,
/// no regular expressions. Records what it tolerated (byte-order mark, CRLF, padding, trailing blank lines)
/// so the loader can report it, and builds <see cref="DatasetFormatException"/>s naming the file and line.
/// </summary>
internal sealed class TuTextFile
{
    readonly string _text;
    int _position;

    TuTextFile(string name, string text, bool hadBom)
    {
        Name = name;
        _text = text;
        HadBom = hadBom;
    }

    /// <summary>File name without directory, e.g. <c>MUTAG_A.txt</c>.</summary>
    public string Name { get; }
    /// <summary>1-based number of the line <see cref="TryReadLine"/> returned last (0 before the first).</summary>
    public int LineNumber { get; private set; }
    /// <summary>Number of non-blank lines returned so far.</summary>
    public int ContentLines { get; private set; }
    /// <summary>The file started with a UTF-8 byte-order mark.</summary>
    public bool HadBom { get; }
    /// <summary>The file was UTF-16 text (with a byte-order mark), decoded.</summary>
    public bool Utf16 { get; private init; }
    /// <summary>Some line ended with CRLF.</summary>
    public bool HadCarriageReturn { get; private set; }
    /// <summary>Some line had leading or trailing whitespace.</summary>
    public bool HadPadding { get; private set; }
    /// <summary>The file ended with one or more blank lines.</summary>
    public bool HadTrailingBlankLines { get; private set; }

    /// <summary>
    /// Reads <paramref name="path"/> as UTF-8, skipping a byte-order mark; text saved as UTF-16 (recognised by its
    /// byte-order mark) is decoded and noted. A zip or gzip archive given a <c>.txt</c> name is refused on line 1.
    /// </summary>
    public static TuTextFile Open(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Path.GetFileName(path);
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return new TuTextFile(name, encoding.GetString(bytes, 2, bytes.Length - 2), hadBom: true) { Utf16 = true };
        }
        if (bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K' && bytes[2] == 3 && bytes[3] == 4)
            throw new DatasetFormatException(name, 1, "the file is a zip archive, not text; extract the dataset's zip and point the loader at the extracted folder");
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
            throw new DatasetFormatException(name, 1, "the file is gzip-compressed, not text; decompress it first");
        bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        int skip = bom ? 3 : 0;
        return new TuTextFile(name, Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip), bom);
    }

    /// <summary>Creates a reader over text already in memory (tests).</summary>
    internal static TuTextFile FromText(string name, string text) => new(name, text, hadBom: false);

    /// <summary>
    /// The next line, trimmed of surrounding whitespace. Blank lines at the end of the file end the
    /// file; a blank line followed by more content is an error (it would shift every later line).
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var text = _text;
        if (_position >= text.Length)
        {
            line = default;
            return false;
        }
        int end = text.IndexOf('\n', _position);
        if (end < 0) end = text.Length;
        var raw = text.AsSpan(_position, end - _position);
        _position = end + 1;
        LineNumber++;
        if (raw.Length > 0 && raw[^1] == '\r')
        {
            HadCarriageReturn = true;
            raw = raw[..^1];
        }
        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
        {
            if (_position >= text.Length || text.AsSpan(_position).IsWhiteSpace())
            {
                HadTrailingBlankLines = true;
                _position = text.Length;
                line = default;
                return false;
            }
            throw Error("blank line; only blank lines at the end of a file are tolerated");
        }
        if (trimmed.Length != raw.Length) HadPadding = true;
        ContentLines++;
        line = trimmed;
        return true;
    }

    /// <summary>
    /// Number of non-blank lines after the current one, without validating them (for messages that say how
    /// long a file is). Leaves nothing to read.
    /// </summary>
    public int CountRemainingLines()
    {
        int count = 0;
        var rest = _text.AsSpan(Math.Min(_position, _text.Length));
        _position = _text.Length;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            if (!line.IsWhiteSpace()) count++;
            rest = end < 0 ? default : rest[(end + 1)..];
        }
        return count;
    }

    /// <summary>
    /// A value as it may appear in a message: control characters, byte-order marks and other invisible
    /// characters escaped (<c>\u0000</c>), and cut to 40 characters, so a binary or damaged file cannot garble or
    /// flood the terminal.
    /// </summary>
    public static string Show(ReadOnlySpan<char> token)
    {
        const int Max = 40;
        var text = new StringBuilder(Math.Min(token.Length, Max) + 8);
        int shown = 0;
        foreach (char c in token)
        {
            if (shown == Max)
            {
                text.Append("… (").Append(token.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
                break;
            }
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFEFF' or '\uFFFD' || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else
                text.Append(c);
            shown++;
        }
        return text.ToString();
    }

    /// <summary>An exception for the current line.</summary>
    public DatasetFormatException Error(string problem) => new(Name, LineNumber, problem);

    /// <summary>An exception for the whole file (no line).</summary>
    public DatasetFormatException FileError(string problem) => new(Name, null, problem);

    /// <summary>Notes describing what was tolerated in this file, appended to <paramref name="notes"/>.</summary>
    public void AddToleranceNotes(List<string> notes)
    {
        if (Utf16) notes.Add($"{Name}: UTF-16 text (byte-order mark) decoded");
        else if (HadBom) notes.Add($"{Name}: UTF-8 byte-order mark skipped");
        if (HadCarriageReturn) notes.Add($"{Name}: Windows line endings (CRLF) accepted");
        if (HadPadding) notes.Add($"{Name}: leading/trailing whitespace on lines ignored");
        if (HadTrailingBlankLines) notes.Add($"{Name}: blank lines at the end ignored");
    }

    /// <summary>Number of comma-separated values on <paramref name="line"/>.</summary>
    public static int CountColumns(ReadOnlySpan<char> line) => line.Count(',') + 1;

    /// <summary>Parses one comma-separated value as an integer, or throws naming this line.</summary>
    public int ParseInt(ReadOnlySpan<char> token, string what)
    {
        token = token.Trim();
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)) return value;
        if (token.Length == 0) throw Error($"empty value where {what} was expected");
        var digits = token[0] is '+' or '-' ? token[1..] : token;
        if (digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9'))
            throw Error($"{what} '{Show(token)}' does not fit in a 32-bit integer");
        throw Error($"{what} '{Show(token)}' is not an integer");
    }

    /// <summary>Parses one comma-separated value as a finite float, or throws naming this line.</summary>
    public float ParseFloat(ReadOnlySpan<char> token, string what)
    {
        token = token.Trim();
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            float single = (float)value;
            if (!float.IsFinite(single))
                throw Error($"{what} '{Show(token)}' is {(double.IsNaN(value) ? "NaN" : "infinite or beyond the float range")}; NaN and infinite values are not allowed");
            return single;
        }
        if (token.Length == 0) throw Error($"empty value where {what} was expected");
        var unsigned = token[0] is '+' or '-' ? token[1..] : token;
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            throw Error($"{what} '{Show(token)}' is NaN or infinite; NaN and infinite values are not allowed");
        throw Error($"{what} '{Show(token)}' is not a number");
    }
}
