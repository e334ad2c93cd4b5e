using System.Runtime.CompilerServices;
using System.Text;

namespace GraphSSL.Generators.Tests.Infrastructure;

/// <summary>
/// Verify-style snapshots without Verify: <c>Snapshots/{Class}.{Method}#{Name}.verified.{ext}</c> beside
/// the test source. A mismatch (or a missing .verified file) writes <c>.received.{ext}</c> and fails with
/// a diff. Snapshots are accepted only deliberately: set GRAPHSSL_ACCEPT_SNAPSHOTS=1 and rerun.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "GRAPHSSL_ACCEPT_SNAPSHOTS";

    /// <summary>Snapshot of a generated file; <paramref name="hintName"/> like "Chem.MolGin.Encoder.g.cs".</summary>
    public static void VerifySource(string actual, string hintName, string className,
        [CallerMemberName] string method = "", [CallerFilePath] string sourceFile = "")
    {
        var name = hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;
        Verify(actual, $"{className}.{method}#{name}", "cs", sourceFile);
    }

    /// <summary>Snapshot of text (diagnostics) as .verified.txt.</summary>
    public static void VerifyText(string actual, string className,
        [CallerMemberName] string method = "", [CallerFilePath] string sourceFile = "")
        => Verify(actual, $"{className}.{method}", "txt", sourceFile);

    private static void Verify(string actual, string stem, string extension, string sourceFile)
    {
        actual = actual.Replace("\r\n", "\n");
        var directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Snapshots");
        Directory.CreateDirectory(directory);
        var verified = Path.Combine(directory, $"{stem}.verified.{extension}");
        var received = Path.Combine(directory, $"{stem}.received.{extension}");
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (accept)
        {
            File.WriteAllText(verified, actual, new UTF8Encoding(false));
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        var message = expected is null
            ? $"No snapshot {Path.GetFileName(verified)} yet. Wrote {Path.GetFileName(received)}; review it and accept with {AcceptVariable}=1.\n{actual}"
            : $"Snapshot {Path.GetFileName(verified)} differs (wrote {Path.GetFileName(received)}; accept with {AcceptVariable}=1):\n{Diff(expected, actual)}";
        Assert.Fail(message);
    }

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
