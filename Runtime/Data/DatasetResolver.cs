using System.Net;
using GraphSSL.Data.Planetoid;

namespace GraphSSL.Data;

/// <summary>
/// Turns what a user typed (<c>--dataset</c>) into a <see cref="GraphData"/>: the built-in
/// <c>synthetic</c> dataset, a folder of raw TU files, or a TU dataset name looked up on disk and, when it is
/// nowhere on disk, downloaded once into the per-user cache.
/// </summary>
public static class DatasetResolver
{
    /// <summary>Environment variable naming a folder that holds TU dataset folders.</summary>
    public const string DataDirEnvironmentVariable = "GRAPHSSL_DATA_DIR";

    /// <summary>
    /// Environment variable that turns downloads off when set to anything but empty, <c>0</c> or <c>false</c> (a machine
    /// without network, a cluster node, tests): a dataset found nowhere on disk is then an error naming where it looked.
    /// </summary>
    public const string OfflineEnvironmentVariable = "GRAPHSSL_OFFLINE";

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
    /// <c>synthetic</c> (any case) for <see cref="SyntheticGraphs.Create"/>; an existing folder of raw TU files
    /// (a bare name such as <c>MUTAG</c> means a folder in the current directory only when that folder holds
    /// <c>*_A.txt</c>; a path such as <c>./MUTAG</c> always means the folder); or a TU dataset name such as <c>MUTAG</c>, matched case-insensitively against folder names in, in order,
    /// <paramref name="dataDir"/>, <c>$GRAPHSSL_DATA_DIR</c> and <see cref="CacheDirectory"/>. A name found in
    /// none of them is downloaded from the TU collection into <see cref="CacheDirectory"/>.
    /// </param>
    /// <param name="dataDir">A folder holding TU dataset folders (the CLI's <c>--data-dir</c>), or <see langword="null"/>.</param>
    /// <param name="log">Receives one line per resolution step (where it loads from, downloads).</param>
    /// <exception cref="ArgumentException">The name is empty or contains path separators or <c>..</c> and is not an existing folder.</exception>
    /// <exception cref="DatasetNotFoundException">The dataset is on disk nowhere and could not be downloaded; the message says where it looked and how to fix it.</exception>
    /// <exception cref="DatasetFormatException">The dataset's files are malformed.</exception>
    public static GraphData Resolve(string nameOrDirectory, string? dataDir = null, IProgress<string>? log = null)
        => Resolve(nameOrDirectory, dataDir, log, Sources.FromEnvironment(null));

    /// <summary>
    /// Resolves and loads a dataset like <see cref="Resolve(string, string?, IProgress{string}?)"/>, reporting a
    /// download's progress to <paramref name="downloadProgress"/> (e.g. a <see cref="DownloadProgressBar"/> on a
    /// terminal, <see langword="null"/> otherwise).
    /// </summary>
    public static GraphData Resolve(string nameOrDirectory, string? dataDir, IProgress<string>? log, IProgress<DownloadProgress>? downloadProgress)
        => Resolve(nameOrDirectory, dataDir, log, Sources.FromEnvironment(downloadProgress));

    /// <summary>Everything resolution reads from the machine, injectable for tests.</summary>
    /// <param name="EnvironmentDataDir">Value of <c>GRAPHSSL_DATA_DIR</c>, or <see langword="null"/>.</param>
    /// <param name="CacheDirectory">The per-user cache folder.</param>
    /// <param name="Download">Downloads a URL to a file path, whole or not at all; throws (e.g. <see cref="HttpRequestException"/>,
    /// <see cref="TimeoutException"/>, <see cref="IOException"/>) when it cannot. The default is <see cref="ResumableDownload"/>.</param>
    internal sealed record Sources(string? EnvironmentDataDir, string CacheDirectory, Func<string, string, Task> Download)
    {
        /// <summary>Download URL; <c>{0}</c> is the dataset name.</summary>
        public string UrlFormat { get; init; } = DownloadUrlFormat;

        /// <summary>Planetoid download URL; <c>{0}</c> is the lower-case dataset name, <c>{1}</c> the file extension.</summary>
        public string PlanetoidUrlFormat { get; init; } = PlanetoidDataset.DownloadUrlFormat;

        /// <summary>Cap on the bytes one downloaded archive may extract to.</summary>
        public long MaxExtractedBytes { get; init; } = SafeZip.DefaultMaxExtractedBytes;

        public static Sources FromEnvironment(IProgress<DownloadProgress>? progress) => new(
            NullIfEmpty(Environment.GetEnvironmentVariable(DataDirEnvironmentVariable)), DatasetResolver.CacheDirectory,
            IsOffline(Environment.GetEnvironmentVariable(OfflineEnvironmentVariable))
                ? Offline
                : (url, file) => new ResumableDownload(progress: progress).DownloadAsync(url, file));

        /// <summary>Whether a <c>GRAPHSSL_OFFLINE</c> value turns downloads off: anything but unset, empty, <c>0</c> or <c>false</c>.</summary>
        internal static bool IsOffline(string? value)
            => !string.IsNullOrWhiteSpace(value) && value.Trim() != "0" && !string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase);

        static Task Offline(string url, string file)
            => throw new HttpRequestException($"downloads are turned off ({OfflineEnvironmentVariable} is set)");
    }

    /// <summary>Folder inside the cache holding downloads in progress (<c>NAME.zip.part</c>); never a dataset name.</summary>
    internal const string DownloadsFolder = ".downloads";

    internal static GraphData Resolve(string nameOrDirectory, string? dataDir, IProgress<string>? log, Sources sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrDirectory);
        var name = nameOrDirectory.Trim();
        if (name.Equals(SyntheticGraphs.Name, StringComparison.OrdinalIgnoreCase))
        {
            log?.Report("Creating the built-in synthetic dataset");
            return SyntheticGraphs.Create();
        }
        // A path (anything with a separator, or '.'/'..') that exists is loaded as a folder of TU files. A bare
        // name is a folder in the current directory only when that folder holds TU files: an output folder that
        // happens to be called MUTAG must not shadow the MUTAG in --data-dir.
        if (Directory.Exists(nameOrDirectory) && (LooksLikePath(nameOrDirectory) || HoldsTuFiles(nameOrDirectory)))
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
    /// (e.g. <c>~/.cache/graphssl/Planetoid</c>), holding <c>cora/ind.cora.*</c> and the like. A name found nowhere on
    /// disk is downloaded into it (<see cref="ResolveNodes(string, string?, IProgress{string}?)"/>).
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
    /// folder names matched ignoring case. A name found in none of them is downloaded, file by file, from
    /// <see cref="PlanetoidDataset.DownloadUrlFormat"/> (the Planetoid authors' repository, where PyG and DGL download them
    /// from) into <see cref="PlanetoidCacheDirectory"/>: each file resumably into <c>.downloads/&lt;name&gt;/</c>, then the
    /// whole dataset is loaded (validated) before it is moved into the cache, so the cache never holds a partial or
    /// malformed dataset, and an interrupted download resumes where it stopped.
    /// </param>
    /// <param name="dataDir">A folder holding dataset folders (the CLI's <c>--data-dir</c>), or <see langword="null"/>.</param>
    /// <param name="log">Receives one line saying where the dataset is loaded from, and one per downloaded file.</param>
    /// <exception cref="ArgumentException">The name is not a Planetoid name, or the folder holds no Planetoid files.</exception>
    /// <exception cref="DatasetNotFoundException">The dataset is nowhere on disk and could not be downloaded; the message says where it looked, what failed and how to fix it.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed (a downloaded one: nothing was cached).</exception>
    public static NodeData ResolveNodes(string nameOrDirectory, string? dataDir = null, IProgress<string>? log = null)
        => ResolveNodes(nameOrDirectory, dataDir, log, Sources.FromEnvironment(null));

    /// <summary>
    /// Resolves and loads a node-classification dataset like <see cref="ResolveNodes(string, string?, IProgress{string}?)"/>,
    /// reporting each file's download progress to <paramref name="downloadProgress"/> (e.g. a <see cref="DownloadProgressBar"/>).
    /// </summary>
    public static NodeData ResolveNodes(string nameOrDirectory, string? dataDir, IProgress<string>? log, IProgress<DownloadProgress>? downloadProgress)
        => ResolveNodes(nameOrDirectory, dataDir, log, Sources.FromEnvironment(downloadProgress));

    internal static NodeData ResolveNodes(string nameOrDirectory, string? dataDir, IProgress<string>? log, Sources sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrDirectory);
        // As for TU datasets: a bare name is a current-directory folder only when that folder holds the files.
        if (Directory.Exists(nameOrDirectory) && (LooksLikePath(nameOrDirectory) || PlanetoidNameIn(nameOrDirectory) is not null))
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
        return DownloadPlanetoid(name, places, searched, log, sources);
    }

    /// <summary>
    /// Downloads <paramref name="name"/>'s eight <c>ind.*</c> files into <c>Planetoid/.downloads/&lt;name&gt;/</c> (each whole
    /// or, interrupted, left as a <c>.part</c> the next call resumes; files already whole are not fetched again), loads
    /// them — the safe pickle reader validates every file — and only then moves the folder to <c>Planetoid/&lt;name&gt;</c>
    /// (a rename within the cache: never half-copied). A malformed download is deleted, so the next call starts afresh.
    /// </summary>
    static NodeData DownloadPlanetoid(string name, (string Label, string? Root)[] places, List<string> searched, IProgress<string>? log, Sources sources)
    {
        var lower = name.ToLowerInvariant();
        var cache = PlanetoidCacheFor(sources.CacheDirectory);
        var downloads = Path.Combine(cache, DownloadsFolder);
        var staging = Path.Combine(downloads, lower);
        string url = PlanetoidUrlFor(sources, lower, PlanetoidDataset.FileExtensions[0]);
        Exception? failure = null;
        bool discard = false; // delete the staged files: malformed, or the dataset got cached by another process
        try
        {
            try
            {
                Directory.CreateDirectory(staging);
                log?.Report($"{name} is not on disk; downloading its {PlanetoidDataset.FileExtensions.Count} files into {staging}");
                foreach (var ext in PlanetoidDataset.FileExtensions)
                {
                    url = PlanetoidUrlFor(sources, lower, ext);
                    var file = Path.Combine(staging, $"ind.{lower}.{ext}");
                    if (File.Exists(file)) continue; // whole: a download gets its name only when complete
                    log?.Report($"  {url}");
                    sources.Download(url, file).GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
            if (failure is not null) throw PlanetoidNotFound(name, places, searched, cache, url, failure);

            NodeData data;
            try
            {
                data = PlanetoidDataset.Load(staging, name); // validate before it enters the cache
            }
            catch (DatasetFormatException e)
            {
                discard = true;
                var from = string.Format(System.Globalization.CultureInfo.InvariantCulture, sources.PlanetoidUrlFormat, lower, "*");
                var problem = $"{e.Problem} (downloaded from {from}; nothing was cached)";
                throw e.ByteOffset is { } offset ? DatasetFormatException.AtByte(e.File, offset, problem, e) : new DatasetFormatException(e.File, e.Line, problem);
            }
            var target = Path.Combine(cache, lower);
            if (FindPlanetoidFiles(cache, name) is not null)
            {
                discard = true; // cached by another process meanwhile
            }
            else
            {
                try
                {
                    if (Directory.Exists(target) && !Directory.EnumerateFileSystemEntries(target).Any()) Directory.Delete(target);
                    Directory.Move(staging, target); // a rename within the cache folder: atomic, never half-copied
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    if (FindPlanetoidFiles(cache, name) is null)
                    {
                        log?.Report($"Could not move {name} into {target} ({e.Message}); its files stay in {staging}, the next run tries again");
                        return data;
                    }
                    discard = true; // another process cached it first; its copy is as good as ours
                }
            }
            log?.Report($"Cached {name} in {target}");
            return data;
        }
        finally
        {
            // Whole files stay for the next call unless discarded; cleaning up never throws.
            if (discard) TryDelete(() => { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); });
            TryDelete(() => { if (Directory.Exists(staging) && !Directory.EnumerateFileSystemEntries(staging).Any()) Directory.Delete(staging); });
            TryDelete(() => { if (Directory.Exists(downloads) && !Directory.EnumerateFileSystemEntries(downloads).Any()) Directory.Delete(downloads); });
        }
    }

    static string PlanetoidUrlFor(Sources sources, string lowerName, string ext)
        => string.Format(System.Globalization.CultureInfo.InvariantCulture, sources.PlanetoidUrlFormat, Uri.EscapeDataString(lowerName), ext);

    static DatasetNotFoundException PlanetoidNotFound(string name, (string Label, string? Root)[] places, List<string> searched, string cache, string url, Exception failure)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Dataset '").Append(name).Append("' was not found on disk, and downloading it failed.").AppendLine();
        text.AppendLine("Looked in (the root, <name>/, <name>/raw/, Planetoid/<name>/, Planetoid/<name>/raw/ of each):");
        foreach (var (label, root) in places)
            text.Append("  ").Append(label.PadRight(18)).AppendLine(root ?? (label == "--data-dir" ? "(not given)" : "(not set)"));
        text.Append("Download of ").Append(url).Append(" failed: ").AppendLine(failure switch
        {
            HttpRequestException { StatusCode: HttpStatusCode.NotFound } => "HTTP 404",
            _ => DescribeFailure(failure),
        });
        var lower = name.ToLowerInvariant();
        text.Append("To fix it: put ind.").Append(lower).Append(".{").Append(string.Join(",", PlanetoidDataset.FileExtensions)).Append("} into ")
            .Append(Path.Combine(cache, lower)).Append(" or a folder passed as --data-dir (they are published at ")
            .Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, PlanetoidDataset.DownloadUrlFormat, lower, "<ext>"))
            .Append("), or run again with network access: the files downloaded so far are kept and the rest resumes.");
        return new DatasetNotFoundException(name, searched, text.ToString(), failure);
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

    /// <summary>True when <paramref name="argument"/> is written as a path rather than a bare name.</summary>
    static bool LooksLikePath(string argument)
        => HasSeparator(argument) || Path.IsPathRooted(argument) || argument.Trim() is "." or "..";

    static bool HasSeparator(string text) => text.Contains('/') || text.Contains('\\');

    /// <summary>True when <paramref name="directory"/> holds a TU adjacency file (<c>*_A.txt</c>).</summary>
    static bool HoldsTuFiles(string directory)
        => Directory.EnumerateFiles(directory, "*_A.txt").Any();

    static void ValidateName(string original, string name)
    {
        if (HasSeparator(name) || name.Contains("..", StringComparison.Ordinal)
            || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
        {
            throw new ArgumentException(
                $"'{original}' is not an existing folder, and it cannot be a dataset name: names may not contain path separators or '..'. " +
                "Names may not start with '.' either. Pass an existing folder of TU files, a TU dataset name such as MUTAG, or 'synthetic'.", nameof(original));
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

    static string UrlFor(Sources sources, string name)
        => string.Format(System.Globalization.CultureInfo.InvariantCulture, sources.UrlFormat, Uri.EscapeDataString(name));

    /// <summary>
    /// Downloads <c>NAME.zip</c> into <c>cache/.downloads</c> (resumable, renamed when whole), extracts it with
    /// <see cref="SafeZip"/> into a fresh <c>cache/.extract-*</c> folder, validates the dataset, and only then moves
    /// the dataset folder to <c>cache/NAME</c> (a rename: the cache never holds a half-extracted dataset). The zip
    /// and the extraction folder are deleted whatever happens; only an interrupted download's <c>.part</c> file is
    /// kept, to be resumed by the next call.
    /// </summary>
    static GraphData Download(string name, (string Label, string? Root)[] places, List<string> searched, IProgress<string>? log, Sources sources)
    {
        var cache = sources.CacheDirectory;
        // TU names are mostly upper case (MUTAG, NCI1); a user typing "mutag" gets the upper-case URL as a second try.
        var candidates = new List<string> { name };
        if (!string.Equals(name, name.ToUpperInvariant(), StringComparison.Ordinal)) candidates.Add(name.ToUpperInvariant());

        var downloads = Path.Combine(cache, DownloadsFolder);
        string? zip = null;
        string? extractRoot = null;
        string url = UrlFor(sources, name);
        try
        {
            Exception? failure = null;
            try
            {
                Directory.CreateDirectory(downloads);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
            if (failure is null)
            {
                foreach (var candidate in candidates)
                {
                    url = UrlFor(sources, candidate);
                    var file = Path.Combine(downloads, candidate + ".zip");
                    log?.Report($"{name} is not on disk; downloading {url}");
                    try
                    {
                        if (File.Exists(file)) File.Delete(file); // left by a run that stopped before extracting
                        sources.Download(url, file).GetAwaiter().GetResult();
                        zip = file;
                        failure = null;
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or IOException or UnauthorizedAccessException)
                    {
                        failure = e;
                        if (e is not HttpRequestException { StatusCode: HttpStatusCode.NotFound }) break;
                    }
                }
            }
            if (zip is null) throw NotFound(name, places, searched, cache, url, failure);

            log?.Report($"Extracting {Path.GetFileName(zip)}");
            extractRoot = Path.Combine(cache, $".extract-{Guid.NewGuid():N}");
            SafeZip.Extract(zip, extractRoot, sources.MaxExtractedBytes, url);
            var adjacency = FindAdjacencyFile(extractRoot, name, Path.GetFileName(zip), url);
            var folder = Path.GetDirectoryName(adjacency)!;
            var datasetName = Path.GetFileName(adjacency)[..^"_A.txt".Length];
            GraphData data;
            try
            {
                data = TuDataset.Load(folder, datasetName); // validate before it enters the cache
            }
            catch (DatasetFormatException e)
            {
                throw new DatasetFormatException(e.File, e.Line, $"{e.Problem} (in {Path.GetFileName(zip)} downloaded from {url}; nothing was cached)");
            }

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
            // A leftover is harmless (names starting with '.' are never dataset names), so cleaning up never throws.
            if (zip is not null) TryDelete(() => File.Delete(zip));
            if (extractRoot is not null) TryDelete(() => { if (Directory.Exists(extractRoot)) Directory.Delete(extractRoot, recursive: true); });
            TryDelete(() => { if (Directory.Exists(downloads) && !Directory.EnumerateFileSystemEntries(downloads).Any()) Directory.Delete(downloads); });
        }
    }

    static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The <c>*_A.txt</c> file of the dataset in an extracted archive: the one named like the request, else the only one.</summary>
    static string FindAdjacencyFile(string extracted, string name, string zipName, string url)
    {
        var found = Directory.Exists(extracted)
            ? Directory.EnumerateFiles(extracted, "*_A.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count == 0)
        {
            var entries = Directory.Exists(extracted)
                ? Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(extracted, p)).Order(StringComparer.Ordinal).Take(10).ToList()
                : [];
            throw new DatasetFormatException(zipName, null,
                $"the archive downloaded from {url} holds no *_A.txt file (it holds: {(entries.Count == 0 ? "no files" : string.Join(", ", entries))}); nothing was cached");
        }
        var named = found.Where(p => string.Equals(Path.GetFileName(p)[..^"_A.txt".Length], name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 1) return named[0];
        if (found.Count == 1) return found[0];
        throw new DatasetFormatException(zipName, null,
            $"the archive downloaded from {url} holds several datasets ({string.Join(", ", found.Select(p => Path.GetRelativePath(extracted, p)))}) and not exactly one named {name}; nothing was cached");
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
}
