namespace GraphSSL.Runtime.Tests;

/// <summary>The shared helpers of GraphSSL.TestUtilities (a class library without tests of its own).</summary>
public class TestUtilitiesTests
{
    [Fact]
    public void The_repository_root_holds_the_solution()
        => Assert.True(File.Exists(Repository.Path("GraphSSL.Dsl.sln")), Repository.Root);

    [Fact]
    public void Missing_shared_data_skips_instead_of_passing()
    {
        Assert.Null(SharedData.Tu("NO-SUCH-DATASET"));
        Assert.Null(SharedData.Planetoid("nosuchplanetoid"));
        // SkipException is what [SkippableFact] reports as SKIPPED.
        var e = Assert.Throws<SkipException>(() => SharedData.RequireTu("NO-SUCH-DATASET", "nothing to train on"));
        Assert.Equal("../shared/datasets/TU/NO-SUCH-DATASET is absent beside the repository: nothing to train on", e.Message);
        Assert.Throws<SkipException>(() => SharedData.RequirePlanetoid("NoSuchPlanetoid"));
    }

    [Fact]
    public void A_child_process_gives_its_exit_code_and_both_streams()
    {
        var run = ChildProcess.Run(ChildProcess.StartInfo("sh", ["-c", "echo out; echo err >&2; exit 3"]));
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.StdOut);
        Assert.Equal("err\n", run.StdErr);
        Assert.Contains("out\n", run.Output);
        Assert.Contains("err\n", run.Output);
    }

    [Fact]
    public void A_child_process_that_hangs_is_killed_at_the_timeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<TimeoutException>(() => ChildProcess.Run(ChildProcess.StartInfo("sleep", ["60"]), TimeSpan.FromSeconds(1)));
        Assert.Contains("sleep 60 did not finish", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_temporary_directory_is_gone_after_dispose()
    {
        string path;
        using (var temp = new TempDirectory("graphssl-utilities-"))
        {
            path = temp;
            File.WriteAllText(temp.Combine("a.txt"), "a");
            Assert.True(Directory.Exists(temp.NewFolder("sub")));
        }
        Assert.False(Directory.Exists(path));
        Assert.False(Directory.Exists(TempDirectory.NonExistent()));
    }
}
