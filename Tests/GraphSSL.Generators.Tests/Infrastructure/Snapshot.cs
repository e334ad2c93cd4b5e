using System.Runtime.CompilerServices;

namespace GraphSSL.Generators.Tests.Infrastructure;

/// <summary>
/// Verify-style snapshots without Verify: <c>Snapshots/{Class}.{Method}#{Name}.verified.{ext}</c> beside
/// the test source. A mismatch (or a missing .verified file) writes <c>.received.{ext}</c> and fails with
/// a diff. Snapshots are accepted only deliberately: set GRAPHSSL_ACCEPT_SNAPSHOTS=1 and rerun.
/// The comparison itself is <see cref="TextSnapshot"/> (GraphSSL.TestUtilities), shared with the public-API listings.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = TextSnapshot.AcceptVariable;

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
        var directory = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Snapshots");
        TextSnapshot.Verify(actual,
            Path.Combine(directory, $"{stem}.verified.{extension}"),
            Path.Combine(directory, $"{stem}.received.{extension}"));
    }

    /// <summary>A unified-style line diff (LCS), with two lines of context around each change.</summary>
    public static string Diff(string expected, string actual) => TextSnapshot.Diff(expected, actual);
}
