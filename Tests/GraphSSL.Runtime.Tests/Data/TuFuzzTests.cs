using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;
using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>
/// Issue 15: seeded fuzzing of the TU loader. Each case applies one or two random mutations (deleted,
/// duplicated and swapped lines, truncation mid-line, random bytes, huge numbers, NaN/∞, CRLF, CR-only line
/// ends, byte-order marks, tabs, blank lines, emptied or removed files) to real MUTAG files, or to a small
/// fixture holding every file kind, and loads the result. A case passes when the loader either throws
/// <see cref="DatasetFormatException"/> naming a dataset file and a line (or, only for an empty or missing
/// file, the file alone) or returns a dataset that passes <see cref="GraphDataInvariants"/>; any other
/// exception, or a case slower than <see cref="CaseTimeout"/>, fails the test. Tolerated-only mutations
/// (whole-file CRLF, leading BOM, UTF-16, padding, trailing blank lines) and no-op mutations must load to exactly
/// the unmutated data; a single mutation that adds or removes lines must be refused (every file in both
/// datasets has a partner file whose count it must match).
/// </summary>
/// <remarks>
/// <c>GRAPHSSL_FUZZ_CASES</c> sets the total number of cases (default 1,000: half on MUTAG, half on the
/// fixture); <c>GRAPHSSL_FUZZ_SEED</c> the seed (default 15). A failure names the case number and its
/// mutations; rerun with the same seed and count to reproduce it. Longer run, e.g.:
/// <c>GRAPHSSL_FUZZ_CASES=50000 dotnet test Tests/GraphSSL.Runtime.Tests --filter FullyQualifiedName~TuFuzz</c>.
/// </remarks>
public class TuFuzzTests(ITestOutputHelper output)
{
    public const string CasesVariable = "GRAPHSSL_FUZZ_CASES";
    public const string SeedVariable = "GRAPHSSL_FUZZ_SEED";
    static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    static int TotalCases => int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1000;
    static int Seed => int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int s) ? s : 15;

    [SkippableFact]
    public void Mutated_mutag_files_are_refused_with_file_and_line_or_load_valid()
    {
        var mutag = SharedData.RequireTu("MUTAG");
        using var temp = new TempDirectory();
        var dir = TuCountValidationTests.CopyFolder(mutag, Path.Combine(temp.Path, "MUTAG"));
        File.Delete(Path.Combine(dir, "README.txt"));
        var summary = Run(dir, "MUTAG", (TotalCases + 1) / 2, Seed);
        Report("MUTAG", summary);
        summary.AssertClean();
    }

    [Fact]
    public void Mutated_fixture_files_of_every_kind_are_refused_with_file_and_line_or_load_valid()
    {
        using var temp = new TempDirectory();
        var dir = WriteFixture(Path.Combine(temp.Path, "FUZZ"), new Random(7));
        var summary = Run(dir, "FUZZ", TotalCases / 2, Seed + 1);
        Report("FUZZ fixture", summary);
        summary.AssertClean();
    }

    void Report(string dataset, FuzzSummary s)
    {
        output.WriteLine($"{dataset}: {s.Cases} cases (seed {s.Seed}) in {s.Elapsed.TotalSeconds:F1} s, slowest {s.Slowest.TotalMilliseconds:F0} ms");
        output.WriteLine($"  refused with file+line: {s.RefusedWithLine}, refused naming an empty/missing file: {s.RefusedWholeFile}, "
            + $"loaded valid: {s.Loaded} (of them tolerated-only or unchanged, and identical to the original: {s.TolerantIdentical}), failures: {s.Failures.Count}");
        foreach (var (kind, counts) in s.ByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            output.WriteLine($"  {kind,-18} refused {counts.Refused,4}  loaded {counts.Loaded,4}");
        foreach (var failure in s.Failures.Take(20)) output.WriteLine("  FAIL " + failure);
    }

    // ---------------------------------------------------------------- runner

    internal sealed class FuzzSummary(int seed)
    {
        public int Seed { get; } = seed;
        public int Cases, RefusedWithLine, RefusedWholeFile, Loaded, TolerantIdentical;
        public TimeSpan Elapsed, Slowest;
        public List<string> Failures { get; } = [];
        public Dictionary<string, (int Refused, int Loaded)> ByKind { get; } = [];

        public void Count(IEnumerable<string> kinds, bool refused)
        {
            foreach (var kind in kinds.Distinct())
            {
                var (r, l) = ByKind.GetValueOrDefault(kind);
                ByKind[kind] = refused ? (r + 1, l) : (r, l + 1);
            }
        }

        public void AssertClean()
        {
            Assert.True(Failures.Count == 0, $"{Failures.Count} of {Cases} cases failed (seed {Seed}):\n" + string.Join("\n", Failures.Take(20)));
            Assert.Equal(Cases, RefusedWithLine + RefusedWholeFile + Loaded);
            // A fuzzer whose mutations were all refused, or all harmless, would prove little.
            Assert.True(Cases < 50 || (RefusedWithLine > 0 && Loaded > 0), $"degenerate run: {RefusedWithLine} refused, {Loaded} loaded");
        }
    }

    /// <summary>Runs <paramref name="cases"/> mutation cases against the dataset in <paramref name="dir"/> (rewritten in place, restored after each case).</summary>
    internal static FuzzSummary Run(string dir, string name, int cases, int seed)
    {
        var originals = Directory.GetFiles(dir).ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes, StringComparer.Ordinal);
        var baseline = TuDataset.Load(dir);
        Assert.Empty(GraphDataInvariants.Violations(baseline));
        var summary = new FuzzSummary(seed);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            var rng = new Random(unchecked(seed * 1_000_003 + i)); // not HashCode.Combine: it is randomised per process
            var files = originals.ToDictionary(kv => kv.Key, kv => (byte[]?)kv.Value, StringComparer.Ordinal);
            var applied = new List<Mutation>();
            int count = rng.Next(4) == 0 ? 2 : 1;
            for (int m = 0; m < count; m++) applied.Add(Mutator.Apply(rng, files, name));
            string label = $"case {i}: " + string.Join(" + ", applied.Select(a => a.Description));
            foreach (var (file, bytes) in files)
            {
                if (ReferenceEquals(bytes, originals[file])) continue;
                var path = Path.Combine(dir, file);
                if (bytes is null) File.Delete(path);
                else File.WriteAllBytes(path, bytes);
            }

            var watch = Stopwatch.StartNew();
            var load = Task.Run(() => TuDataset.Load(dir));
            bool finished = ((IAsyncResult)load).AsyncWaitHandle.WaitOne(CaseTimeout); // waits without rethrowing
            watch.Stop();
            if (watch.Elapsed > summary.Slowest) summary.Slowest = watch.Elapsed;
            summary.Cases++;

            if (!finished)
            {
                summary.Failures.Add($"{label}: no answer within {CaseTimeout.TotalSeconds} s");
                return summary; // the dataset folder is still in use by the hung load
            }
            if (load.IsFaulted)
            {
                var error = load.Exception!.InnerException!;
                summary.Count(applied.Select(a => a.Kind), refused: true);
                if (error is DatasetFormatException format)
                {
                    var problem = CheckRefusal(format, files);
                    if (problem is not null) summary.Failures.Add($"{label}: {problem}: {format.Message}");
                    else if (format.Line is null) summary.RefusedWholeFile++;
                    else summary.RefusedWithLine++;
                }
                else
                {
                    summary.Failures.Add($"{label}: {error.GetType().Name} instead of DatasetFormatException: {error.Message}\n{error.StackTrace}");
                }
            }
            else
            {
                summary.Count(applied.Select(a => a.Kind), refused: false);
                var data = load.Result;
                var broken = GraphDataInvariants.Violations(data);
                if (broken.Count > 0) summary.Failures.Add($"{label}: loaded a dataset breaking invariants: {string.Join("; ", broken)}");
                else if (applied is [{ ChangesRowCount: true }])
                    summary.Failures.Add($"{label}: lines were added or removed, yet it loaded ({data.GraphCount} graphs, {data.EdgeCount} edges); the count check against the partner file missed it");
                else if (applied.All(a => a.TolerantOnly) || files.All(f => f.Value is not null && f.Value.AsSpan().SequenceEqual(originals[f.Key])))
                {
                    if (SameGraphs(baseline, data)) summary.TolerantIdentical++;
                    else summary.Failures.Add($"{label}: a tolerated change altered the loaded graphs");
                }
                summary.Loaded++;
            }

            foreach (var (file, bytes) in files)
                if (!ReferenceEquals(bytes, originals[file])) File.WriteAllBytes(Path.Combine(dir, file), originals[file]);
        }
        summary.Elapsed = total.Elapsed;
        return summary;
    }

    /// <summary>Null when a refusal is acceptable; otherwise what is wrong with it.</summary>
    static string? CheckRefusal(DatasetFormatException e, Dictionary<string, byte[]?> files)
    {
        if (!files.ContainsKey(e.File)) return $"names '{e.File}', not a file of the dataset";
        if (e.Message.Length > 1500) return $"message of {e.Message.Length} characters";
        if (e.Message.Any(c => char.IsControl(c))) return "message holds raw control characters";
        var bytes = files[e.File];
        if (e.Line is { } line)
        {
            if (!e.Message.StartsWith($"{e.File} line {line}: ", StringComparison.Ordinal)) return "message does not start with file and line";
            int lines = bytes is null ? 0 : 1 + bytes.Count(b => b == (byte)'\n');
            if (line < 1 || line > lines) return $"line {line} outside the file's {lines} lines";
            return null;
        }
        if (!e.Message.StartsWith($"{e.File}: ", StringComparison.Ordinal)) return "message does not start with the file name";
        // Without a line only when there is no line to point at: the file is missing or holds nothing.
        if (bytes is null) return null;
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true); // UTF-8 or UTF-16
        var text = reader.ReadToEnd().TrimStart('\uFEFF');
        return string.IsNullOrWhiteSpace(text) ? null : "refused without a line number although the file has content";
    }

    static bool SameGraphs(GraphData a, GraphData b) =>
        a.NodeFeatures.AsSpan().SequenceEqual(b.NodeFeatures) && a.FeatureDim == b.FeatureDim
        && a.NodeOffsets.AsSpan().SequenceEqual(b.NodeOffsets) && a.EdgeOffsets.AsSpan().SequenceEqual(b.EdgeOffsets)
        && a.EdgeSource.AsSpan().SequenceEqual(b.EdgeSource) && a.EdgeTarget.AsSpan().SequenceEqual(b.EdgeTarget)
        && a.Labels.AsSpan().SequenceEqual(b.Labels) && a.ClassNames.SequenceEqual(b.ClassNames);

    // ---------------------------------------------------------------- mutations

    /// <param name="Kind">Mutation family, for the per-kind figures.</param>
    /// <param name="Description">What was done where, to reproduce a failure by hand.</param>
    /// <param name="TolerantOnly">The loader promises to accept this change and load the same graphs.</param>
    /// <param name="ChangesRowCount">Lines were added or removed: in a dataset where every file has a partner whose
    /// count it must match (true of MUTAG and the fixture), the loader must refuse it.</param>
    internal sealed record Mutation(string Kind, string Description, bool TolerantOnly = false)
    {
        public bool ChangesRowCount => Kind is "delete lines" or "duplicate line" or "empty file" or "whitespace file";
    }

    internal static class Mutator
    {
        static readonly string[] HugeNumbers =
        [
            "2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999999999999999", "0", "-1",
            "1e39", "-1e400", "3.4028235e38", "1e-50", "+7", "00000000000000000001", "1.5",
        ];
        static readonly string[] NonFinite = ["NaN", "nan", "-NaN", "inf", "-inf", "Infinity", "-Infinity", "∞", "1e309", "1e39"];

        public static Mutation Apply(Random rng, Dictionary<string, byte[]?> files, string name)
        {
            var present = files.Where(f => f.Value is not null).Select(f => f.Key).Order(StringComparer.Ordinal).ToArray();
            var file = present[rng.Next(present.Length)];
            var bytes = files[file]!;
            string at = file;
            byte[] result;
            string kind;
            bool tolerant = false;
            var lines = SplitLines(bytes);
            switch (rng.Next(16))
            {
                case 0:
                {
                    kind = "delete lines";
                    int k = 1 + rng.Next(3), start = rng.Next(lines.Count);
                    k = Math.Min(k, lines.Count - start);
                    lines.RemoveRange(start, k);
                    at += $" lines {start + 1}..{start + k}";
                    result = JoinLines(lines);
                    break;
                }
                case 1:
                {
                    kind = "duplicate line";
                    int l = rng.Next(lines.Count);
                    lines.Insert(l, lines[l]);
                    at += $" line {l + 1}";
                    result = JoinLines(lines);
                    break;
                }
                case 2:
                {
                    kind = "swap lines";
                    int a = rng.Next(lines.Count), b = rng.Next(2) == 0 ? Math.Min(a + 1, lines.Count - 1) : rng.Next(lines.Count);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    at += $" lines {a + 1}<->{b + 1}";
                    result = JoinLines(lines);
                    break;
                }
                case 3:
                {
                    kind = "truncate mid-line";
                    int cut = rng.Next(bytes.Length);
                    while (cut > 0 && cut < bytes.Length && bytes[cut - 1] == (byte)'\n') cut--; // never at a line start
                    at += $" at byte {cut} of {bytes.Length}";
                    result = bytes[..cut];
                    break;
                }
                case 4:
                {
                    kind = "random bytes";
                    var list = bytes.ToList();
                    int n = 1 + rng.Next(8);
                    for (int j = 0; j < n; j++)
                    {
                        int pos = rng.Next(list.Count + 1);
                        byte value = (byte)rng.Next(256);
                        if (rng.Next(2) == 0 && pos < list.Count) list[pos] = value;
                        else list.Insert(pos, value);
                    }
                    at += $" ({n} bytes)";
                    result = [.. list];
                    break;
                }
                case 5:
                    kind = "huge number";
                    result = ReplaceNumber(rng, bytes, HugeNumbers, ref at);
                    break;
                case 6:
                    kind = "NaN/inf";
                    result = ReplaceNumber(rng, bytes, NonFinite, ref at);
                    break;
                case 7:
                    kind = "CRLF";
                    tolerant = true;
                    result = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r\n", StringComparison.Ordinal));
                    break;
                case 8:
                    kind = "CR only";
                    result = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r", StringComparison.Ordinal));
                    break;
                case 9:
                    if (rng.Next(2) == 0 && !(bytes.Length >= 3 && bytes[0] == 0xEF))
                    {
                        kind = "BOM at start";
                        tolerant = true;
                        result = [0xEF, 0xBB, 0xBF, .. bytes];
                    }
                    else
                    {
                        kind = "BOM mid-file";
                        int l = rng.Next(lines.Count);
                        lines[l] = "\uFEFF" + lines[l];
                        at += $" line {l + 1}";
                        result = JoinLines(lines);
                    }
                    break;
                case 10:
                {
                    int l = rng.Next(lines.Count);
                    if (rng.Next(2) == 0)
                    {
                        kind = "tab padding";
                        tolerant = true;
                        lines[l] = "\t" + lines[l].Replace(",", ",\t", StringComparison.Ordinal) + "\t ";
                    }
                    else
                    {
                        kind = "tab separator";
                        lines[l] = lines[l].Replace(", ", "\t", StringComparison.Ordinal).Replace(",", "\t", StringComparison.Ordinal);
                    }
                    at += $" line {l + 1}";
                    result = JoinLines(lines);
                    break;
                }
                case 11:
                {
                    int l = rng.Next(lines.Count);
                    if (rng.Next(2) == 0)
                    {
                        kind = "trailing blanks";
                        tolerant = true;
                        result = [.. bytes, .. "\n \n\t\n"u8];
                    }
                    else
                    {
                        kind = "blank line inside";
                        lines.Insert(l, "");
                        at += $" before line {l + 1}";
                        result = JoinLines(lines);
                    }
                    break;
                }
                case 12:
                    kind = rng.Next(2) == 0 ? "empty file" : "whitespace file";
                    result = kind == "empty file" ? [] : " \n\n"u8.ToArray();
                    break;
                case 14:
                    if (rng.Next(2) == 0)
                    {
                        kind = "UTF-16";
                        tolerant = true;
                        result = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(bytes))];
                    }
                    else
                    {
                        kind = "archive bytes";
                        byte[] magic = rng.Next(2) == 0 ? [0x50, 0x4B, 3, 4] : [0x1F, 0x8B, 8]; // zip, gzip
                        result = [.. magic, .. bytes];
                    }
                    break;
                case 13:
                    kind = "remove file";
                    files[file] = null;
                    return new Mutation(kind, $"{kind} {file}");
                default:
                {
                    kind = "extra column";
                    int l = rng.Next(lines.Count);
                    lines[l] += rng.Next(2) == 0 ? ", 1" : ",";
                    at += $" line {l + 1}";
                    result = JoinLines(lines);
                    break;
                }
            }
            files[file] = result;
            return new Mutation(kind, $"{kind} {at}", tolerant);
        }

        /// <summary>Lines without their terminators (a final newline gives no extra empty entry).</summary>
        static List<string> SplitLines(byte[] bytes)
        {
            var text = Encoding.UTF8.GetString(bytes);
            var lines = text.Split('\n').ToList();
            if (lines.Count > 1 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines;
        }

        static byte[] JoinLines(List<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

        /// <summary>Replaces one numeric token (a run of digits, signs, dots and exponents) by a value from <paramref name="choices"/>.</summary>
        static byte[] ReplaceNumber(Random rng, byte[] bytes, string[] choices, ref string at)
        {
            var starts = new List<int>();
            for (int i = 0; i < bytes.Length; i++)
                if (IsNumberByte(bytes[i]) && (i == 0 || !IsNumberByte(bytes[i - 1]))) starts.Add(i);
            if (starts.Count == 0) return bytes;
            int start = starts[rng.Next(starts.Count)], end = start;
            while (end < bytes.Length && IsNumberByte(bytes[end])) end++;
            var value = choices[rng.Next(choices.Length)];
            int line = 1 + bytes.AsSpan(0, start).Count((byte)'\n');
            at += $" line {line}: '{Encoding.UTF8.GetString(bytes, start, end - start)}' -> '{value}'";
            return [.. bytes[..start], .. Encoding.UTF8.GetBytes(value), .. bytes[end..]];
        }

        static bool IsNumberByte(byte b) => b is >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E';
    }

    // ---------------------------------------------------------------- fixture

    /// <summary>
    /// A small dataset with every TU file kind (12 graphs of 2–7 nodes: a random tree plus one extra edge, both
    /// directions listed; node labels 0–3, 2 node attributes, edge labels 0–2, 1 edge attribute, 2 graph
    /// attributes, graph labels −1/1), built so the fuzzer runs without ../shared.
    /// </summary>
    internal static string WriteFixture(string dir, Random rng)
    {
        Directory.CreateDirectory(dir);
        var indicator = new StringBuilder();
        var a = new StringBuilder();
        var nodeLabels = new StringBuilder();
        var nodeAttributes = new StringBuilder();
        var edgeLabels = new StringBuilder();
        var edgeAttributes = new StringBuilder();
        var graphLabels = new StringBuilder();
        var graphAttributes = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int first = 1;
        for (int g = 1; g <= 12; g++)
        {
            int n = 2 + rng.Next(6);
            for (int v = 0; v < n; v++)
            {
                indicator.Append(g).Append('\n');
                nodeLabels.Append(rng.Next(4)).Append('\n');
                nodeAttributes.Append(string.Format(inv, "{0:F3}, {1:F3}\n", rng.NextDouble() * 10 - 5, rng.NextDouble()));
            }
            var edges = new List<(int, int)>();
            for (int v = 1; v < n; v++) edges.Add((first + rng.Next(v), first + v));
            if (n > 2) edges.Add((first, first + n - 1));
            foreach (var (u, v) in edges)
            {
                int label = rng.Next(3);
                double weight = rng.NextDouble();
                foreach (var (s, t) in new[] { (u, v), (v, u) })
                {
                    a.Append(s).Append(", ").Append(t).Append('\n');
                    edgeLabels.Append(label).Append('\n');
                    edgeAttributes.Append(weight.ToString("F4", inv)).Append('\n');
                }
            }
            graphLabels.Append(g % 3 == 0 ? "-1" : "1").Append('\n');
            graphAttributes.Append(string.Format(inv, "{0}, {1:F2}\n", n, rng.NextDouble()));
            first += n;
        }
        void Write(string part, StringBuilder text) => File.WriteAllText(Path.Combine(dir, $"FUZZ_{part}.txt"), text.ToString());
        Write("A", a);
        Write("graph_indicator", indicator);
        Write("graph_labels", graphLabels);
        Write("node_labels", nodeLabels);
        Write("node_attributes", nodeAttributes);
        Write("edge_labels", edgeLabels);
        Write("edge_attributes", edgeAttributes);
        Write("graph_attributes", graphAttributes);
        return dir;
    }
}
