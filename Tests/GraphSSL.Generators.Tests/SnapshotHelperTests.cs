using GraphSSL.Generators.Tests.Infrastructure;

namespace GraphSSL.Generators.Tests;

/// <summary>The snapshot helper itself: its diff shows what changed, and a mismatch fails.</summary>
public class SnapshotHelperTests
{
    [Fact]
    public void DiffShowsRemovedAndAddedLinesWithContext()
    {
        var diff = Snapshot.Diff("a\nb\nc\nd\ne\nf\ng", "a\nb\nc\nX\ne\nf\ng");
        // Line 4 "d" became "X"; two lines of context either side, nothing else.
        Assert.Equal("@@ expected line 2 @@\n  b\n  c\n+ X\n- d\n  e\n  f\n", diff);
    }

    [Fact]
    public void IdenticalTextHasNoDiff() => Assert.Equal("", Snapshot.Diff("a\nb", "a\nb"));

    [Fact]
    public void MismatchFailsAndWritesReceived()
    {
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1") return; // accepting would overwrite, not fail
        var directory = Path.Combine(Path.GetDirectoryName(ThisFile())!, "Snapshots");
        var verified = Path.Combine(directory, "SnapshotHelperTests.Probe.verified.txt");
        var received = Path.Combine(directory, "SnapshotHelperTests.Probe.received.txt");
        File.WriteAllText(verified, "expected\n");
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => Snapshot.VerifyText("actual\n", nameof(SnapshotHelperTests), "Probe"));
            Assert.Contains("- expected", error.Message);
            Assert.Contains("+ actual", error.Message);
            Assert.Equal("actual\n", File.ReadAllText(received));
        }
        finally
        {
            File.Delete(verified);
            File.Delete(received);
        }
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
