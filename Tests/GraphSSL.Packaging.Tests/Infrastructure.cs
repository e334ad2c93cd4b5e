using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace GraphSSL.Packaging.Tests;

/// <summary>dotnet commands (and the installed tool) as child processes, through the shared <see cref="ChildProcess"/> runner.</summary>
public static class Dotnet
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);
    static readonly Dictionary<string, string?> Environment = new() { ["GRAPHSSL_DATA_DIR"] = "" };

    public static ProcessResult Run(string workingDirectory, string fileName, params string[] args)
        => ChildProcess.Run(ChildProcess.StartInfo(fileName, args, workingDirectory, Environment), Timeout);

    public static ProcessResult Cli(string workingDirectory, params string[] args) => Run(workingDirectory, "dotnet", args);
}

/// <summary>
/// Packs GraphSSL.Dsl, GraphSSL.Data, GraphSSL.Evaluation, GraphSSL.Runtime and the GraphSSL.Cli tool ONCE for every test of the class, into a
/// temporary local feed, from a copy of the sources (so concurrent builds of the working tree and the rest of
/// the test run are left alone). The version is unique per run (0.1.0-test.&lt;time&gt;.&lt;random&gt;), so the global
/// NuGet cache can never serve a stale copy of our packages while TorchSharp still comes from it.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public string RepoRoot { get; }
    public string Root { get; }
    public string Feed { get; }
    public string Version { get; }
    public ProcessResult Pack { get; }

    public PackedFeed()
    {
        RepoRoot = Repository.Root;
        Root = Path.Combine(Path.GetTempPath(), "graphssl-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." +
                  Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var src = Path.Combine(Root, "src");
        Directory.CreateDirectory(Feed);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "README.md", "LICENSE", ".editorconfig" })
            if (File.Exists(Path.Combine(RepoRoot, file))) File.Copy(Path.Combine(RepoRoot, file), Path.Combine(src, file).EnsureParent());
        foreach (var dir in new[] { "build", "Dsl", "Generators", "Runtime", Path.Combine("Examples", "GraphSSL.Cli") })
            CopySources(Path.Combine(RepoRoot, dir), Path.Combine(src, dir));
        // Nothing above the copy may leak in (Directory.Build.* and Directory.Packages.props are looked up upwards).
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(src, "pack.slnx"), """
            <Solution>
              <Project Path="Dsl/GraphSSL.Dsl.csproj" />
              <Project Path="Generators/GraphSSL.Generators.csproj" />
              <Project Path="Runtime/Data/GraphSSL.Data.csproj" />
              <Project Path="Runtime/Evaluation/GraphSSL.Evaluation.csproj" />
              <Project Path="Runtime/GraphSSL.Runtime.csproj" />
              <Project Path="Examples/GraphSSL.Cli/GraphSSL.Cli.csproj" />
            </Solution>
            """);
        Pack = Dotnet.Cli(src, "pack", "pack.slnx", "-c", "Release", "-o", Feed, "-p:Version=" + Version, "-nodeReuse:false");
    }

    /// <summary>Path of a package in the feed, e.g. Package("GraphSSL.Dsl") or Package("GraphSSL.Dsl", "snupkg").</summary>
    public string Package(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    /// <summary>The .nuspec of a package, parsed.</summary>
    public XDocument Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Every entry name of a package.</summary>
    public IReadOnlyList<string> Entries(string id, string extension = "nupkg")
    {
        using var zip = ZipFile.OpenRead(Package(id, extension));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>The bytes of one entry of a package.</summary>
    public byte[] Entry(string id, string name)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        using var stream = zip.GetEntry(name)!.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>A fresh folder under this run's temporary root.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A nuget.config with the local feed plus the machine's default sources (no &lt;clear/&gt;), so TorchSharp restores from the cache or the usual feed.</summary>
    public void WriteNugetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="graphssl-local" value="{Feed}" />
          </packageSources>
        </configuration>
        """);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        // The consumer restore extracted this run's unique version into the global cache: remove exactly that.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
                    Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "graphssl.dsl", "graphssl.runtime", "graphssl.cli" })
        {
            var dir = Path.Combine(cache, id, Version.ToLowerInvariant());
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "TestResults" or "runs") continue;
            CopySources(dir, Path.Combine(to, name));
        }
    }
}

static class PathExtensions
{
    public static string EnsureParent(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

/// <summary>Reads the GNU version requirements (.gnu.version_r) of an ELF64 little-endian file.</summary>
public static class Elf
{
    /// <summary>The flags of the requirement named <paramref name="version"/>, or null when the file has none.</summary>
    public static ushort? RequirementFlags(byte[] bytes, string version)
    {
        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        ushort shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        ushort shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = (long)shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(bytes, (int)sh + 4) != 0x6ffffffe) continue;   // SHT_GNU_verneed
            long offset = (long)BitConverter.ToUInt64(bytes, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(bytes, (int)sh + 0x28);
            long strOff = (long)BitConverter.ToUInt64(bytes, (int)((long)shoff + (long)link * shentsize) + 0x18);
            for (long vn = offset; ;)
            {
                ushort count = BitConverter.ToUInt16(bytes, (int)vn + 2);
                long va = vn + BitConverter.ToUInt32(bytes, (int)vn + 8);
                for (int a = 0; a < count; a++)
                {
                    uint name = BitConverter.ToUInt32(bytes, (int)va + 8);
                    long end = strOff + name;
                    while (bytes[end] != 0) end++;
                    if (Encoding.ASCII.GetString(bytes, (int)(strOff + name), (int)(end - strOff - name)) == version)
                        return BitConverter.ToUInt16(bytes, (int)va + 4);
                    uint vnext = BitConverter.ToUInt32(bytes, (int)va + 12);
                    if (vnext == 0) break;
                    va += vnext;
                }
                uint next = BitConverter.ToUInt32(bytes, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return null;
    }

    public const ushort Weak = 0x2;
}
