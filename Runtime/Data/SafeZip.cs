using System.IO.Compression;

namespace GraphSSL.Data;

/// <summary>
/// Extracts a downloaded dataset archive without trusting it. Every entry is checked before anything is
/// written: names that leave the target folder (<c>..</c>, absolute paths, drive letters), symbolic links,
/// duplicate names (also differing only in case) and declared sizes above the cap are refused. While
/// extracting, every entry's real size is counted against its declared size and the cap (a zip bomb that
/// lies about its sizes is stopped at the first byte too many) and its CRC-32 is checked. A refusal throws
/// <see cref="DatasetFormatException"/> naming the archive and the entry; the caller extracts into an empty
/// temporary folder and deletes it, so nothing of a refused archive remains.
/// </summary>
internal static class SafeZip
{
    /// <summary>Default cap on the bytes one archive may extract to (the largest TU datasets extract to well under 1 GB).</summary>
    public const long DefaultMaxExtractedBytes = 4L << 30;

    /// <summary>At most this many entries (TU archives have fewer than 20).</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Extracts <paramref name="zipPath"/> into <paramref name="target"/> (an empty folder).</summary>
    /// <param name="zipPath">The archive.</param>
    /// <param name="target">Folder to extract into; created if missing.</param>
    /// <param name="maxBytes">Cap on the total extracted bytes.</param>
    /// <param name="origin">Where the archive came from (a URL), for messages.</param>
    /// <exception cref="DatasetFormatException">The archive is not a valid zip or breaks one of the rules.</exception>
    public static void Extract(string zipPath, string target, long maxBytes, string origin)
    {
        string zipName = Path.GetFileName(zipPath);
        DatasetFormatException Refuse(string problem) => new(zipName, null, $"{problem} (archive from {origin}; nothing was extracted into the cache)");

        target = Path.GetFullPath(target);
        var root = Path.EndsInDirectorySeparator(target) ? target : target + Path.DirectorySeparatorChar;
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            if (archive.Entries.Count > MaxEntries) throw Refuse($"{archive.Entries.Count} entries, more than the {MaxEntries} allowed");

            // 1. Check every entry before writing anything.
            var plan = new List<(ZipArchiveEntry Entry, string Path)>();
            var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            long declared = 0;
            foreach (var entry in archive.Entries)
            {
                string name = entry.FullName;
                string shown = TuTextFile.Show(name);
                if (name.Length == 0 || name.Contains('\0')) throw Refuse($"entry '{shown}' has an invalid name");
                string normalised = name.Replace('\\', '/');
                if (normalised.StartsWith('/') || (normalised.Length >= 2 && normalised[1] == ':') || Path.IsPathRooted(name))
                    throw Refuse($"entry '{shown}' has an absolute path; archive entries must stay inside the dataset folder");
                var segments = normalised.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (segments.Any(s => s == ".."))
                    throw Refuse($"entry '{shown}' climbs out of the target folder with '..'");
                bool isDirectory = normalised.EndsWith('/');
                int unixType = (entry.ExternalAttributes >> 16) & 0xF000;
                if (unixType == 0xA000) throw Refuse($"entry '{shown}' is a symbolic link; links are not extracted");
                if (segments.Length == 0) continue;
                if (segments[0] == "__MACOSX" || segments[^1].StartsWith("._", StringComparison.Ordinal)) continue; // macOS metadata

                string full = Path.GetFullPath(Path.Combine(target, Path.Combine(segments)));
                if (!full.StartsWith(root, StringComparison.Ordinal))
                    throw Refuse($"entry '{shown}' would be written outside the target folder");
                string key = string.Join('/', segments);
                if (seen.TryGetValue(key, out var earlier))
                    throw Refuse($"entry '{shown}' appears twice (also as '{TuTextFile.Show(earlier)}'); an archive with duplicate names is ambiguous");
                seen[key] = name;
                if (isDirectory) continue;
                declared += entry.Length;
                if (entry.Length < 0 || declared > maxBytes)
                    throw Refuse($"entries declare {ResumableDownload.FormatBytes(declared)} of data, more than the {ResumableDownload.FormatBytes(maxBytes)} allowed");
                plan.Add((entry, full));
            }

            // 2. Extract, counting the real bytes.
            Directory.CreateDirectory(target);
            long written = 0;
            var buffer = new byte[1 << 16];
            foreach (var (entry, path) in plan)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                uint crc = Crc32.Initial;
                long size = 0;
                using (var source = entry.Open())
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    int read;
                    while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        size += read;
                        written += read;
                        if (size > entry.Length)
                            throw Refuse($"entry '{TuTextFile.Show(entry.FullName)}' inflates to more than the {entry.Length} bytes it declares (a zip bomb or a damaged archive)");
                        if (written > maxBytes)
                            throw Refuse($"extracting would write more than the {ResumableDownload.FormatBytes(maxBytes)} allowed");
                        crc = Crc32.Update(crc, buffer.AsSpan(0, read));
                        file.Write(buffer, 0, read);
                    }
                }
                if (size != entry.Length)
                    throw Refuse($"entry '{TuTextFile.Show(entry.FullName)}' holds {size} bytes, not the {entry.Length} it declares (truncated or damaged)");
                if (Crc32.Final(crc) != entry.Crc32)
                    throw Refuse($"entry '{TuTextFile.Show(entry.FullName)}' is damaged (CRC-32 {Crc32.Final(crc):x8}, the archive says {entry.Crc32:x8}; or its declared size is wrong)");
            }
        }
        catch (InvalidDataException e)
        {
            throw Refuse($"not a valid zip archive, perhaps truncated or damaged ({e.Message})");
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zip uses it.</summary>
    internal static class Crc32
    {
        public const uint Initial = 0xFFFFFFFFu;
        static readonly uint[] Table = BuildTable();

        static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        public static uint Final(uint crc) => crc ^ 0xFFFFFFFFu;
    }
}
