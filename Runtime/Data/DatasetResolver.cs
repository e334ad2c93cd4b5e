using System.IO.Compression;
using System.Net;

namespace GraphSSL;

/// <summary>
/// Turns what a user typed (<c>--dataset</c>) into a <see cref="GraphData"/>: the built-in
/// <c>synthetic</c> dataset, a folder of raw TU files, or a TU dataset name looked up on disk and, when it is
/// nowhere on disk, downloaded once into the per-user cache.
/// </summary>
public static class DatasetResolver
{
    /// <summary>Environment variable naming a folder that holds TU dataset folders.</summary>
    public const string DataDirEnvironmentVariable = "GRAPHSSL_DATA_DIR";

    /// <summary>Where TU datasets are downloaded from; <c>{0}</c> is the dataset name.</summary>
    public const string DownloadUrlFormat = "https://www.chrsmrrs.com/graphkerneldatasets/{0}.zip";

    /// <summary>
    /// The per-user cache of TU dataset folders: <c>$XDG_CACHE_HOME/graphssl/TU</c> or
    /// <c>~/.cache/graphssl/TU</c>; on Windows <c>%LOCALAPPDATA%\graphssl\TU</c>. Not created until a download
    /// needs it.
    /// </summary>
    public static string CacheDirectory => ComputeCacheDirectory(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows());

    /// <summary>
    /// Resolves and loads a dataset.
    /// </summary>
    /// <param name="nameOrDirectory">
    /// <c>synthetic</c> (any case) for <see cref="SyntheticGraphs.Create"/>; an existing folder of raw TU files;
    /// or a TU dataset name such as <c>MUTAG</c>, matched case-insensitively against folder names in, in order,
    /// <paramref name="dataDir"/>, <c>$GRAPHSSL_DATA_DIR</c> and <see cref="CacheDirectory"/>. A name found in
    /// none of them is downloaded from the TU collection into <see cref="CacheDirectory"/>.
    /// </param>
    /// <param name="dataDir">A folder holding TU dataset folders (the CLI's <c>--data-dir</c>), or <see langword="null"/>.</param>
    /// <param name="log">Receives one line per resolution step (where it loads from, downloads).</param>
    /// <exception cref="ArgumentException">The name is empty or contains path separators or <c>..</c> and is not an existing folder.</exception>
    /// <exception cref="DatasetNotFoundException">The dataset is on disk nowhere and could not be downloaded; the message says where it looked and how to fix it.</exception>
    /// <exception cref="DatasetFormatException">The dataset's files are malformed.</exception>
    public static GraphData Resolve(string nameOrDirectory, string? dataDir = null, IProgress<string>? log = null)
        => Resolve(nameOrDirectory, dataDir, log, Sources.FromEnvironment());

    /// <summary>Everything resolution reads from the machine, injectable for tests.</summary>
    /// <param name="EnvironmentDataDir">Value of <c>GRAPHSSL_DATA_DIR</c>, or <see langword="null"/>.</param>
    /// <param name="CacheDirectory">The per-user cache folder.</param>
    /// <param name="Download">Downloads a URL to a file path; throws (e.g. <see cref="HttpRequestException"/>) when it cannot.</param>
    internal sealed record Sources(string? EnvironmentDataDir, string CacheDirectory, Func<string, string, Task> Download)
    {
        public static Sources FromEnvironment() => new(
            NullIfEmpty(Environment.GetEnvironmentVariable(DataDirEnvironmentVariable)), DatasetResolver.CacheDirectory, HttpDownloadAsync);
    }

    internal static GraphData Resolve(string nameOrDirectory, string? dataDir, IProgress<string>? log, Sources sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrDirectory);
        var name = nameOrDirectory.Trim();
        if (name.Equals(SyntheticGraphs.Name, StringComparison.OrdinalIgnoreCase))
        {
            log?.Report("Creating the built-in synthetic dataset");
            return SyntheticGraphs.Create();
        }
        if (Directory.Exists(nameOrDirectory))
        {
            log?.Report($"Loading TU files from {Path.GetFullPath(nameOrDirectory)}");
            return TuDataset.Load(nameOrDirectory);
        }
        ValidateName(nameOrDirectory, name);

        var places = new (string Label, string? Root)[]
        {
            ("--data-dir", NullIfEmpty(dataDir)),
            (DataDirEnvironmentVariable, sources.EnvironmentDataDir),
            ("per-user cache", sources.CacheDirectory),
        };
        var searched = new List<string>();
        foreach (var (_, root) in places)
        {
            if (root is null) continue;
            searched.Add(Path.Combine(root, name));
            var folder = FindFolder(root, name);
            if (folder is not null)
            {
                log?.Report($"Loading {name} from {Path.GetFullPath(folder)}");
                return TuDataset.Load(folder);
            }
        }
        if (PlanetoidDataset.CanonicalName(name) is { } nodeDataset)
        {
            throw new ArgumentException(
                $"{nodeDataset} is a node-classification dataset (Planetoid), not a TU graph-classification dataset: " +
                $"load it with {nameof(DatasetResolver)}.{nameof(ResolveNodes)} (graphssl inspect --dataset {nodeDataset}).", nameof(nameOrDirectory));
        }
        return Download(name, places, searched, log, sources);
    }

    /// <summary>
    /// The per-user cache of Planetoid dataset folders: <c>Planetoid</c> beside <see cref="CacheDirectory"/>
    /// (e.g. <c>~/.cache/graphssl/Planetoid</c>). Nothing is downloaded into it; put <c>cora/ind.cora.*</c> there by hand.
    /// </summary>
    public static string PlanetoidCacheDirectory => PlanetoidCacheFor(CacheDirectory);

    internal static string PlanetoidCacheFor(string tuCache) => Path.Combine(Path.GetDirectoryName(tuCache) ?? tuCache, "Planetoid");

    /// <summary>True for a Planetoid name (Cora, CiteSeer, PubMed; any case) or a folder holding <c>ind.&lt;name&gt;.*</c> files.</summary>
    public static bool IsNodeDataset(string nameOrDirectory)
        => !string.IsNullOrWhiteSpace(nameOrDirectory)
           && (PlanetoidDataset.CanonicalName(nameOrDirectory) is not null || (Directory.Exists(nameOrDirectory) && PlanetoidNameIn(nameOrDirectory) is not null));

    /// <summary>
    /// Resolves and loads a node-classification dataset (<see cref="PlanetoidDataset"/>).
    /// </summary>
    /// <param name="nameOrDirectory">
    /// A folder holding <c>ind.&lt;name&gt;.*</c> files (or a <c>raw/</c> folder with them), or a Planetoid name (Cora,
    /// CiteSeer, PubMed; any case) looked up in, in order, <paramref name="dataDir"/>, <c>$GRAPHSSL_DATA_DIR</c> and
    /// <see cref="PlanetoidCacheDirectory"/>. In each of those roots the files may be in the root itself, in
    /// <c>&lt;name&gt;/</c>, <c>&lt;name&gt;/raw/</c> (PyG's layout), <c>Planetoid/&lt;name&gt;/</c> or <c>Planetoid/&lt;name&gt;/raw/</c>,
    /// folder names matched ignoring case. Nothing is downloaded.
    /// </param>
    /// <param name="dataDir">A folder holding dataset folders (the CLI's <c>--data-dir</c>), or <see langword="null"/>.</param>
    /// <param name="log">Receives one line saying where the dataset is loaded from.</param>
    /// <exception cref="ArgumentException">The name is not a Planetoid name, or the folder holds no Planetoid files.</exception>
    /// <exception cref="DatasetNotFoundException">The dataset is nowhere on disk; the message says where it looked and where to get the files.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed.</exception>
    public static NodeData ResolveNodes(string nameOrDirectory, string? dataDir = null, IProgress<string>? log = null)
        => ResolveNodes(nameOrDirectory, dataDir, log, Sources.FromEnvironment());

    internal static NodeData ResolveNodes(string nameOrDirectory, string? dataDir, IProgress<string>? log, Sources sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrDirectory);
        if (Directory.Exists(nameOrDirectory))
        {
            var fileName = PlanetoidNameIn(nameOrDirectory);
            var found = fileName is null ? null : FindPlanetoidFiles(nameOrDirectory, fileName);
            if (found is null || fileName is null)
                throw new ArgumentException($"{nameOrDirectory} holds no Planetoid files (ind.<name>.graph, ind.<name>.x, …).", nameof(nameOrDirectory));
            log?.Report($"Loading Planetoid files from {Path.GetFullPath(found)}");
            return PlanetoidDataset.Load(found, PlanetoidDataset.CanonicalName(fileName) ?? fileName);
        }
        var name = PlanetoidDataset.CanonicalName(nameOrDirectory)
            ?? throw new ArgumentException($"'{nameOrDirectory}' is not a node-classification dataset: known are {string.Join(", ", PlanetoidDataset.Names)}, or pass a folder of ind.<name>.* files.", nameof(nameOrDirectory));
        var places = new (string Label, string? Root)[]
        {
            ("--data-dir", NullIfEmpty(dataDir)),
            (DataDirEnvironmentVariable, sources.EnvironmentDataDir),
            ("per-user cache", PlanetoidCacheFor(sources.CacheDirectory)),
        };
        var searched = new List<string>();
        foreach (var (_, root) in places)
        {
            if (root is null) continue;
            searched.Add(root);
            if (FindPlanetoidFiles(root, name) is { } folder)
            {
                log?.Report($"Loading {name} from {Path.GetFullPath(folder)}");
                return PlanetoidDataset.Load(folder, name);
            }
        }
        var text = new System.Text.StringBuilder();
        text.Append("Dataset '").Append(name).Append("' was not found on disk (Planetoid datasets are not downloaded automatically).").AppendLine();
        text.AppendLine("Looked in (the root, <name>/, <name>/raw/, Planetoid/<name>/, Planetoid/<name>/raw/ of each):");
        foreach (var (label, root) in places)
            text.Append("  ").Append(label.PadRight(18)).AppendLine(root ?? (label == "--data-dir" ? "(not given)" : "(not set)"));
        var lower = name.ToLowerInvariant();
        text.Append("To fix it: put ind.").Append(lower).Append(".{").Append(string.Join(",", PlanetoidDataset.FileExtensions)).Append("} into ")
            .Append(Path.Combine(PlanetoidCacheFor(sources.CacheDirectory), lower)).Append(" or a folder passed as --data-dir; they are published at ")
            .Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, PlanetoidDataset.DownloadUrlFormat, lower, "<ext>")).Append('.');
        throw new DatasetNotFoundException(name, searched, text.ToString());
    }

    /// <summary>The folder under <paramref name="root"/> that holds <paramref name="name"/>'s Planetoid files, in the layouts <see cref="ResolveNodes(string, string?, IProgress{string}?)"/> lists.</summary>
    static string? FindPlanetoidFiles(string root, string name)
    {
        if (name.Length == 0 || !Directory.Exists(root)) return null;
        var folders = new List<string?> { root, FindFolder(root, name) };
        if (FindFolder(root, "Planetoid") is { } planetoid) folders.Add(FindFolder(planetoid, name));
        foreach (var folder in folders)
        {
            if (folder is null) continue;
            if (PlanetoidDataset.HasFiles(folder, name)) return folder;
            if (FindFolder(folder, "raw") is { } raw && PlanetoidDataset.HasFiles(raw, name)) return raw;
        }
        return null;
    }

    /// <summary>The <c>&lt;name&gt;</c> of an <c>ind.&lt;name&gt;.graph</c> file in <paramref name="directory"/> or its <c>raw/</c>, or <see langword="null"/>.</summary>
    static string? PlanetoidNameIn(string directory)
    {
        foreach (var folder in new[] { directory, FindFolder(directory, "raw") })
        {
            if (folder is null || !Directory.Exists(folder)) continue;
            var graph = Directory.EnumerateFiles(folder, "ind.*.graph").Order(StringComparer.Ordinal).FirstOrDefault();
            if (graph is not null) return Path.GetFileName(graph)["ind.".Length..^".graph".Length];
        }
        return null;
    }

    static void ValidateName(string original, string name)
    {
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..", StringComparison.Ordinal)
            || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name == ".")
        {
            throw new ArgumentException(
                $"'{original}' is not an existing folder, and it cannot be a dataset name: names may not contain path separators or '..'. " +
                "Pass an existing folder of TU files, a TU dataset name such as MUTAG, or 'synthetic'.", nameof(original));
        }
    }

    /// <summary>The folder in <paramref name="root"/> whose name equals <paramref name="name"/>, exactly or else ignoring case.</summary>
    internal static string? FindFolder(string root, string name)
    {
        if (!Directory.Exists(root)) return null;
        var exact = Path.Combine(root, name);
        if (Directory.Exists(exact)) return exact;
        return Directory.EnumerateDirectories(root)
            .Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    static GraphData Download(string name, (string Label, string? Root)[] places, List<string> searched, IProgress<string>? log, Sources sources)
    {
        var cache = sources.CacheDirectory;
        // TU names are mostly upper case (MUTAG, NCI1); a user typing "mutag" gets the upper-case URL as a second try.
        var candidates = new List<string> { name };
        if (!string.Equals(name, name.ToUpperInvariant(), StringComparison.Ordinal)) candidates.Add(name.ToUpperInvariant());

        string? tempRoot = null;
        try
        {
            Exception? failure = null;
            string? zip = null;
            string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, DownloadUrlFormat, Uri.EscapeDataString(name));
            try
            {
                Directory.CreateDirectory(cache);
                tempRoot = Path.Combine(cache, $".download-{Guid.NewGuid():N}");
                Directory.CreateDirectory(tempRoot);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
            if (tempRoot is not null)
            {
                foreach (var candidate in candidates)
                {
                    url = string.Format(System.Globalization.CultureInfo.InvariantCulture, DownloadUrlFormat, Uri.EscapeDataString(candidate));
                    var file = Path.Combine(tempRoot, candidate + ".zip");
                    log?.Report($"{name} is not on disk; downloading {url}");
                    try
                    {
                        sources.Download(url, file).GetAwaiter().GetResult();
                        zip = file;
                        failure = null;
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException)
                    {
                        failure = e;
                        if (e is not HttpRequestException { StatusCode: HttpStatusCode.NotFound }) break;
                    }
                }
            }
            if (zip is null) throw NotFound(name, places, searched, cache, url, failure);

            log?.Report($"Extracting {Path.GetFileName(zip)}");
            var extracted = Path.Combine(tempRoot!, "extracted");
            try
            {
                ZipFile.ExtractToDirectory(zip, extracted);
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(Path.GetFileName(zip), null, $"the download from {url} is not a valid zip archive ({e.Message})");
            }
            var adjacency = Directory.EnumerateFiles(extracted, "*_A.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? throw new DatasetFormatException(Path.GetFileName(zip), null, $"the archive downloaded from {url} holds no *_A.txt file");
            var folder = Path.GetDirectoryName(adjacency)!;
            var datasetName = Path.GetFileName(adjacency)[..^"_A.txt".Length];
            var data = TuDataset.Load(folder, datasetName); // validate before it enters the cache

            var target = Path.Combine(cache, datasetName);
            if (FindFolder(cache, datasetName) is null)
            {
                try
                {
                    Directory.Move(folder, target); // a rename within the cache folder: atomic, never half-copied
                }
                catch (IOException) when (Directory.Exists(target))
                {
                    // Another process cached it first; its copy is as good as ours.
                }
            }
            log?.Report($"Cached {datasetName} in {target}");
            return data;
        }
        finally
        {
            if (tempRoot is not null)
            {
                try
                {
                    Directory.Delete(tempRoot, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A leftover temp folder is harmless; it starts with '.' and is never matched as a dataset name.
                }
            }
        }
    }

    static DatasetNotFoundException NotFound(string name, (string Label, string? Root)[] places, List<string> searched, string cache, string url, Exception? failure)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Dataset '").Append(name).Append("' was not found on disk, and downloading it failed.").AppendLine();
        text.AppendLine("Looked in:");
        foreach (var (label, root) in places)
        {
            text.Append("  ").Append(label.PadRight(18));
            if (root is null) text.AppendLine(label == "--data-dir" ? "(not given)" : "(not set)");
            else text.Append(Path.Combine(root, name)).AppendLine(Directory.Exists(root) ? " (no such folder)" : $" (folder {root} does not exist)");
        }
        text.Append("Download of ").Append(url).Append(" failed: ").AppendLine(DescribeFailure(failure));
        text.Append("To fix it: pass --data-dir <folder that contains ").Append(name).Append("/>, set ").Append(DataDirEnvironmentVariable)
            .Append(" to such a folder, or put the ").Append(name).Append(" folder (").Append(name).Append("_A.txt, ").Append(name)
            .Append("_graph_indicator.txt, …) into ").Append(cache).Append(" — or run once with network access to download it there.");
        return new DatasetNotFoundException(name, searched, text.ToString(), failure);
    }

    static string DescribeFailure(Exception? failure) => failure switch
    {
        null => "unknown error",
        HttpRequestException { StatusCode: HttpStatusCode.NotFound } => "HTTP 404: the TU collection has no dataset by that name (names are case-sensitive, e.g. MUTAG, NCI1, PROTEINS, DD)",
        HttpRequestException { StatusCode: { } code } => $"HTTP {(int)code} {code}",
        TaskCanceledException => "timed out",
        _ => failure.Message,
    };

    internal static string ComputeCacheDirectory(Func<string, string?> getEnvironment, bool isWindows)
    {
        if (isWindows)
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "graphssl", "TU");
        var xdg = getEnvironment("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "graphssl", "TU");
        var home = getEnvironment("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(home)) return Path.Combine(Path.GetTempPath(), "graphssl", "TU");
        return Path.Combine(home, ".cache", "graphssl", "TU");
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static readonly Lazy<HttpClient> Http = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(10) });

    static async Task HttpDownloadAsync(string url, string destination)
    {
        using var response = await Http.Value.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = File.Create(destination);
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target).ConfigureAwait(false);
            }
        }
    }
}
