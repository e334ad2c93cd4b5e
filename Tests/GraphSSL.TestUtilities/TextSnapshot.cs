using System.Text;

namespace GraphSSL.TestUtilities;

/// <summary>A snapshot that does not match its approved file (or has none yet); the message says what changed and how to accept.</summary>
public sealed class SnapshotMismatchException(string message) : Exception(message);

/// <summary>
/// Approved-text comparison shared by the generator snapshots and the public-API listings. A mismatch (or a missing
/// approved file) writes the actual text beside the approved one as <c>.received</c> and throws
/// <see cref="SnapshotMismatchException"/> with a diff; nothing is ever accepted silently: set
/// <c>GRAPHSSL_ACCEPT_SNAPSHOTS=1</c> and rerun to overwrite the approved files, then review them in git.
/// </summary>
public static class TextSnapshot
{
    public const string AcceptVariable = "GRAPHSSL_ACCEPT_SNAPSHOTS";

    /// <summary>True when this run accepts (writes) snapshots instead of comparing them.</summary>
    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>
    /// Compares <paramref name="actual"/> with the file <paramref name="approved"/> (line endings normalised), writing
    /// <paramref name="received"/> on a mismatch. <paramref name="diff"/> renders the difference for the message.
    /// </summary>
    public static void Verify(string actual, string approved, string received, Func<string, string, string>? diff = null, string? acceptCommand = null)
    {
        actual = Normalize(actual);
        var expected = File.Exists(approved) ? Normalize(File.ReadAllText(approved)) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (Accepting)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approved)!);
            File.WriteAllText(approved, actual, new UTF8Encoding(false));
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        var accept = $"accept with {AcceptVariable}=1" + (acceptCommand is null ? "" : $" {acceptCommand}");
        throw new SnapshotMismatchException(expected is null
            ? $"No approved snapshot {Path.GetFileName(approved)} yet. Wrote {Path.GetFileName(received)}; review it and {accept}.\n{actual}"
            : $"Snapshot {Path.GetFileName(approved)} differs (wrote {Path.GetFileName(received)}; {accept}):\n{(diff ?? Diff)(expected, actual)}");
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>A unified-style line diff (LCS), with two lines of context around each change.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var lines = new List<(char Op, string Text, int Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { lines.Add((' ', a[x], x + 1)); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { lines.Add(('+', b[y], x + 1)); y++; }
            else { lines.Add(('-', a[x], x + 1)); x++; }
        }
        var sb = new StringBuilder();
        int last = -10;
        for (int k = 0; k < lines.Count; k++)
        {
            bool near = false;
            for (int d = -2; d <= 2 && !near; d++)
                near = k + d >= 0 && k + d < lines.Count && lines[k + d].Op != ' ';
            if (!near) continue;
            if (k != last + 1) sb.Append("@@ expected line ").Append(lines[k].Line).Append(" @@\n");
            sb.Append(lines[k].Op).Append(' ').Append(lines[k].Text).Append('\n');
            last = k;
        }
        return sb.ToString();
    }
}
