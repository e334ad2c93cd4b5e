using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphSSL.Data;

namespace GraphSSL.Cli.Output;

/// <summary>
/// Writes a run's files. Every file goes under the output directory, with fixed names, written to a
/// temporary file first and renamed into place, so a crash never leaves half a file behind.
/// </summary>
public sealed class RunFiles
{
    public RunFiles(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The output directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Absolute path of <paramref name="fileName"/> inside the output directory; refuses anything that would leave it.</summary>
    public string PathOf(string fileName)
    {
        var full = Path.GetFullPath(Path.Combine(Directory, fileName));
        if (!full.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UserErrorException($"Refusing to write '{fileName}' outside the output directory {Directory}.");
        return full;
    }

    /// <summary>Writes <paramref name="fileName"/> atomically by calling <paramref name="write"/> on a temporary stream.</summary>
    public string Write(string fileName, Action<Stream> write)
    {
        var path = PathOf(fileName);
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temp); // a full disk leaves no half-written temporary file behind; the old file is untouched
            throw;
        }
        return path;
    }

    /// <summary>Deletes <paramref name="path"/> if it exists, ignoring failures (used while another error propagates).</summary>
    public static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public string WriteJson<T>(string fileName, T value)
        => Write(fileName, s => JsonSerializer.Serialize(s, value, Cli.Json));

    /// <summary><c>graph_id,label,e0,e1,…</c>; label is the dataset's original class label.</summary>
    public string WriteEmbeddingsCsv(string fileName, GraphData data, float[,] embeddings)
        => Write(fileName, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            int dims = embeddings.GetLength(1);
            var header = new StringBuilder("graph_id,label");
            for (int j = 0; j < dims; j++) header.Append(",e").Append(j.ToString(CultureInfo.InvariantCulture));
            writer.WriteLine(header);
            var line = new StringBuilder();
            for (int i = 0; i < embeddings.GetLength(0); i++)
            {
                line.Clear().Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(data.ClassNames[data.Labels[i]]);
                for (int j = 0; j < dims; j++) line.Append(',').Append(embeddings[i, j].ToString("R", CultureInfo.InvariantCulture));
                writer.WriteLine(line);
            }
        });

    /// <summary>
    /// The embedding files of a run, as <c>train</c> and <c>embed</c> write them: <c>embeddings.csv</c>,
    /// <c>embeddings.npy</c> and <c>labels.npy</c> (class indices 0..C−1). Returns the embeddings as an array.
    /// </summary>
    public float[,] WriteEmbeddings(GraphData data, TorchSharp.torch.Tensor embeddingTensor)
    {
        var embeddings = ToArray(embeddingTensor);
        WriteEmbeddings(data, embeddings);
        return embeddings;
    }

    /// <summary>The embedding files of a run from embeddings already on the host (one row per graph of <paramref name="data"/>).</summary>
    public void WriteEmbeddings(GraphData data, float[,] embeddings)
    {
        WriteEmbeddingsCsv("embeddings.csv", data, embeddings);
        WriteNpy("embeddings.npy", embeddings);
        WriteNpy("labels.npy", data.Labels.Select(l => (long)l).ToArray());
    }

    /// <summary>A <c>[rows, cols]</c> float32 tensor as a host array.</summary>
    public static float[,] ToArray(TorchSharp.torch.Tensor t)
    {
        var rows = (int)t.shape[0];
        var cols = (int)t.shape[1];
        var flat = t.contiguous().data<float>().ToArray();
        var result = new float[rows, cols];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }

    /// <summary>A NumPy .npy file (format 1.0, little-endian float32, C order) that <c>numpy.load</c> reads.</summary>
    public string WriteNpy(string fileName, float[,] values)
        => Write(fileName, stream => Npy.Write(stream, values));

    /// <summary>A NumPy .npy file of int64.</summary>
    public string WriteNpy(string fileName, long[] values)
        => Write(fileName, stream => Npy.Write(stream, values));
}

/// <summary>Minimal NumPy .npy writer (format version 1.0) and a reader of the matrices it (and numpy) writes.</summary>
public static class Npy
{
    /// <summary>
    /// Reads a 2-D little-endian float32 or float64 C-order array (format 1.x or 2.x), e.g. a node-level run's embeddings.npy.
    /// Anything else — another dtype, Fortran order, a truncated file — is refused with the file and the byte offset.
    /// </summary>
    public static double[][] ReadMatrix(string path)
    {
        if (!File.Exists(path)) throw new UserErrorException($"'{path}': no such file.");
        var bytes = File.ReadAllBytes(path);
        UserErrorException Bad(long offset, string what) => new($"{path}: not a matrix .npy file this tool reads (byte {offset}): {what}.");
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(magic)) throw Bad(0, "no NumPy magic string");
        int major = bytes[6];
        int lengthBytes = major == 1 ? 2 : major is 2 or 3 ? 4 : throw Bad(6, $"format version {major}.{bytes[7]}");
        if (bytes.Length < 8 + lengthBytes) throw Bad(8, "the file ends inside the header length");
        long headerLength = lengthBytes == 2 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToUInt32(bytes, 8);
        long dataStart = 8 + lengthBytes + headerLength;
        if (dataStart > bytes.Length) throw Bad(8 + lengthBytes, $"the header says {headerLength} bytes but the file ends at {bytes.Length}");
        var header = Encoding.ASCII.GetString(bytes, 8 + lengthBytes, (int)headerLength);
        string Field(string key)
        {
            var m = System.Text.RegularExpressions.Regex.Match(header, $"'{key}':\\s*('[^']*'|True|False|\\([^)]*\\))");
            return m.Success ? m.Groups[1].Value : throw Bad(8 + lengthBytes, $"no '{key}' in the header {header.Trim()}");
        }
        var descr = Field("descr").Trim('\'');
        int size = descr switch { "<f4" => 4, "<f8" => 8, _ => throw Bad(8 + lengthBytes, $"dtype {descr} (expected <f4 or <f8)") };
        if (Field("fortran_order") != "False") throw Bad(8 + lengthBytes, "Fortran order");
        var dims = Field("shape").Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2 || !long.TryParse(dims[0], out long rows) || !long.TryParse(dims[1], out long cols) || rows < 0 || cols < 0)
            throw Bad(8 + lengthBytes, $"shape {Field("shape")} (expected two dimensions)");
        long expected = rows * cols * size;
        if (bytes.Length - dataStart != expected)
            throw Bad(dataStart, $"{rows} × {cols} values of {size} bytes need {expected} data bytes, the file has {bytes.Length - dataStart}");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        var result = new double[rows][];
        for (long i = 0; i < rows; i++)
        {
            var row = result[i] = new double[cols];
            long at = dataStart + i * cols * size;
            for (long j = 0; j < cols; j++, at += size)
                row[j] = size == 4 ? BitConverter.ToSingle(bytes, (int)at) : BitConverter.ToDouble(bytes, (int)at);
        }
        return result;
    }

    public static void Write(Stream stream, float[,] values)
    {
        WriteHeader(stream, "<f4", $"({values.GetLength(0)}, {values.GetLength(1)})");
        var buffer = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, buffer, 0, buffer.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        stream.Write(buffer);
    }

    public static void Write(Stream stream, long[] values)
    {
        WriteHeader(stream, "<i8", $"({values.Length},)");
        var buffer = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, buffer, 0, buffer.Length);
        stream.Write(buffer);
    }

    static void WriteHeader(Stream stream, string descr, string shape)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // magic (6) + version (2) + header length (2) + dict + padding + '\n' must be a multiple of 64.
        int unpadded = 10 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        var header = dict + new string(' ', padding) + "\n";
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
    }
}
