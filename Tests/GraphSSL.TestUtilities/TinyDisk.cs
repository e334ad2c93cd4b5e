namespace GraphSSL.TestUtilities;

/// <summary>
/// A tmpfs of a fixed size mounted on a fresh temporary folder (needs root and <c>mount</c>): a disk that really
/// fills up and refuses writes with ENOSPC. <see cref="TryMount"/> returns null where that is not possible, with
/// the reason for a visible <c>Skip.If(disk is null, why)</c>.
/// </summary>
public sealed class TinyDisk : IDisposable
{
    public string Path { get; }

    TinyDisk(string path) => Path = path;

    /// <summary>The file <see cref="Fill"/> writes.</summary>
    public string Filler => System.IO.Path.Combine(Path, "filler");

    /// <summary>Bytes still free on the disk.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static TinyDisk? TryMount(long bytes, out string why)
    {
        var path = Directory.CreateTempSubdirectory("graphssl-tinydisk-").FullName;
        var (code, output) = Exec("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        if (code == 0) { why = ""; return new TinyDisk(path); }
        Directory.Delete(path);
        why = $"cannot mount a tmpfs (exit {code}: {output.Trim()}); run as root with mount available";
        return null;
    }

    /// <summary>Writes <see cref="Filler"/> until about <paramref name="leave"/> bytes are free (0: until the disk refuses); returns its path.</summary>
    public string Fill(long leave = 0)
    {
        var free = FreeBytes;
        using var stream = new FileStream(Filler, FileMode.Create, FileAccess.Write);
        var block = new byte[4096];
        try
        {
            for (long written = 0; leave <= 0 || written + block.Length <= free - leave; written += block.Length)
                stream.Write(block);
        }
        catch (IOException) { }
        try { stream.Flush(); } catch (IOException) { }
        return Filler;
    }

    /// <summary>Deletes <see cref="Filler"/>: the disk has room again.</summary>
    public void Unfill() => File.Delete(Filler);

    public void Dispose()
    {
        Exec("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    static (int Code, string Output) Exec(string file, params string[] args)
    {
        try
        {
            var result = ChildProcess.Run(ChildProcess.StartInfo(file, args), TimeSpan.FromMinutes(1));
            return (result.ExitCode, result.StdErr + result.StdOut);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
