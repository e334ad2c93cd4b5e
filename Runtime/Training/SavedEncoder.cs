using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GraphSSL.Data;
using GraphSSL.Layers;

namespace GraphSSL.Training;

/// <summary>
/// What an encoder file (<c>encoder.gssl</c>) says about the weights it holds: the encoder declaration and
/// its hyperparameters, the node-feature layout of the dataset it was trained on, the library that wrote
/// it and a SHA-256 of the weights. Written as JSON at the start of the file.
/// </summary>
public sealed record EncoderManifest
{
    /// <summary>Always <see cref="SavedEncoder.FormatName"/>.</summary>
    public string Format { get; init; } = SavedEncoder.FormatName;
    /// <summary>Layout version of the file; this library reads <see cref="SavedEncoder.FormatVersion"/>.</summary>
    public int FormatVersion { get; init; } = SavedEncoder.FormatVersion;
    /// <summary>The library that wrote the file, e.g. "GraphSSL.Runtime 0.1.0".</summary>
    public string Library { get; init; } = "";
    /// <summary>The encoder declaration's name (<see cref="IDeclared.DeclaredName"/>, or the type name), e.g. "MolGin".</summary>
    public string Encoder { get; init; } = "";
    /// <summary>Namespace-qualified type of the encoder value, e.g. "GraphSSL.Cli.MolGin".</summary>
    public string EncoderType { get; init; } = "";
    /// <summary>The encoder's hyperparameters (<see cref="IDeclared.HyperParameters"/>); empty for an encoder that is not a declaration.</summary>
    public IReadOnlyList<HyperParameter> HyperParameters { get; init; } = Array.Empty<HyperParameter>();
    /// <summary>The encoder value as text (its record <c>ToString</c>, invariant culture).</summary>
    public string Description { get; init; } = "";
    /// <summary>Size of the embeddings the encoder produces.</summary>
    public int EmbeddingDim { get; init; }
    /// <summary>The model that trained the encoder, when known (e.g. "GraphClr").</summary>
    public string? Model { get; init; }
    /// <summary>Name of the dataset the encoder was trained on.</summary>
    public string Dataset { get; init; } = "";
    /// <summary>Node feature columns the encoder reads.</summary>
    public int FeatureDim { get; init; }
    /// <summary>What the feature columns are (the loader's note, e.g. "features: 7 one-hot node labels (values 0..6) = 7"), or null.</summary>
    public string? FeatureDescription { get; init; }
    /// <summary>When the file was written (UTC, ISO 8601).</summary>
    public string CreatedUtc { get; init; } = "";
    /// <summary>Length of the weights payload in bytes.</summary>
    public long PayloadBytes { get; init; }
    /// <summary>SHA-256 of the weights payload, lower-case hex.</summary>
    public string PayloadSha256 { get; init; } = "";

    /// <summary>
    /// Refuses <paramref name="data"/> with <see cref="SavedEncoderException"/> when its node features are laid
    /// out differently from the training data's: another number of columns, or columns described differently
    /// (for example one-hot node labels over other label values).
    /// </summary>
    public void CheckFeatureLayout(GraphData data, string? path = null)
    {
        var description = SavedEncoder.FeatureDescriptionOf(data);
        var differentColumns = data.FeatureDim != FeatureDim;
        var differentMeaning = !differentColumns && FeatureDescription is not null && description is not null
                               && !string.Equals(FeatureDescription, description, StringComparison.Ordinal);
        if (!differentColumns && !differentMeaning) return;
        var file = path is null ? "The encoder" : $"The encoder in {path}";
        throw new SavedEncoderException(path, SavedEncoderProblem.FeatureLayout,
            $"{file} was trained on {Dataset}, whose nodes have {FeatureDim} feature column(s) ({FeatureDescription ?? "no description"}); " +
            $"{data.Name} has {data.FeatureDim} ({description ?? "no description"}). An encoder reads only the feature layout it was trained on: " +
            "embed a dataset with the same node features, or train an encoder on this one.");
    }
}

/// <summary>Why an encoder file was refused.</summary>
public enum SavedEncoderProblem
{
    /// <summary>Not an encoder file, cut short, or its checksum does not match (corrupted).</summary>
    Corrupt,
    /// <summary>Written by a newer or unknown layout version.</summary>
    UnsupportedVersion,
    /// <summary>The encoder value it is loaded into is another declaration or has other hyperparameters.</summary>
    EncoderMismatch,
    /// <summary>The dataset's node features are laid out differently from the training data's.</summary>
    FeatureLayout,
    /// <summary>The encoder declaration named in the file is not known to this program.</summary>
    UnknownEncoder,
}

/// <summary>An encoder file was refused: corrupted, or not for this encoder or this dataset. The message says which and why.</summary>
public sealed class SavedEncoderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SavedEncoderException(string? path, SavedEncoderProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file, when known.</summary>
    public string? Path { get; }
    /// <summary>What is wrong.</summary>
    public SavedEncoderProblem Problem { get; }
}

/// <summary>
/// The encoder file format: one file holding a trained encoder's weights and the <see cref="EncoderManifest"/>
/// that says what they are. Layout: the 8 ASCII bytes <c>GSSLENC1</c>, the manifest's length (int32,
/// little-endian) and its UTF-8 JSON, the payload's length (int64) and the payload (the module's weights and
/// buffers as TorchSharp's <c>Module.save</c> writes them), then a SHA-256 of everything before it. Files are
/// written to a temporary file, flushed and renamed into place; both checksums are verified before anything
/// is loaded.
/// </summary>
public static class SavedEncoder
{
    /// <summary>The manifest's <see cref="EncoderManifest.Format"/>.</summary>
    public const string FormatName = "graphssl-encoder";
    /// <summary>The layout version this library writes and reads.</summary>
    public const int FormatVersion = 1;
    /// <summary>The usual file name inside a run folder.</summary>
    public const string FileName = "encoder.gssl";

    static readonly byte[] Magic = "GSSLENC1"u8.ToArray();
    const int HashLength = 32;

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Readable in a text viewer: '+' in a version, '→' or '…' in a description stay as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>"GraphSSL.Runtime 0.1.0": the library version stamped into every file.</summary>
    public static string LibraryVersion { get; } = Describe(typeof(SavedEncoder).Assembly);

    static string Describe(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
        return $"{assembly.GetName().Name} {version}";
    }

    /// <summary>The loader's description of the node features ("features: …"), or null when it gave none.</summary>
    public static string? FeatureDescriptionOf(GraphData data)
        => data.Notes.FirstOrDefault(n => n.StartsWith("features: ", StringComparison.Ordinal));

    /// <summary>The manifest an encoder value trained on <paramref name="data"/> gets (without the payload fields).</summary>
    public static EncoderManifest ManifestFor(IGraphEncoder encoder, GraphData data, string? model = null) => new()
    {
        Library = LibraryVersion,
        Encoder = NameOf(encoder),
        EncoderType = encoder.GetType().FullName ?? encoder.GetType().Name,
        HyperParameters = encoder is IDeclared declared ? declared.HyperParameters.ToArray() : Array.Empty<HyperParameter>(),
        Description = Invariant(encoder.ToString),
        EmbeddingDim = encoder.EmbeddingDim,
        Model = model,
        Dataset = data.Name,
        FeatureDim = data.FeatureDim,
        FeatureDescription = FeatureDescriptionOf(data),
        CreatedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>Writes <paramref name="manifest"/> and <paramref name="payload"/> to <paramref name="path"/> atomically.</summary>
    internal static EncoderManifest Write(string path, EncoderManifest manifest, byte[] payload)
    {
        manifest = manifest with { PayloadBytes = payload.LongLength, PayloadSha256 = Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant() };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(manifestBytes.Length);
            writer.Write(manifestBytes);
            writer.Write(payload.LongLength);
            writer.Write(payload);
        }
        var contents = body.ToArray();

        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(contents);
                stream.Write(SHA256.HashData(contents));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return manifest;
    }

    /// <summary>
    /// Reads and verifies the file at <paramref name="path"/> (layout, both checksums, version) and returns its
    /// manifest; <see cref="SavedEncoderException"/> when it is not a sound encoder file.
    /// </summary>
    public static EncoderManifest ReadManifest(string path) => Read(path).Manifest;

    internal static (EncoderManifest Manifest, byte[] Payload) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Encoder file {path} does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        SavedEncoderException Corrupt(string what) => new(path, SavedEncoderProblem.Corrupt,
            $"{path} is not a usable encoder file: {what}. Save the encoder again (graphssl train writes {FileName} into its --out folder).");

        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Corrupt($"it does not start with the encoder file signature '{Encoding.ASCII.GetString(Magic)}'");
        if (bytes.Length < Magic.Length + sizeof(int) + sizeof(long) + HashLength)
            throw Corrupt($"it is cut short ({bytes.Length} bytes)");
        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw Corrupt("its SHA-256 checksum does not match its contents (the file is corrupted or cut short)");

        int offset = Magic.Length;
        int manifestLength = BitConverter.ToInt32(bytes, offset);
        offset += sizeof(int);
        if (manifestLength < 2 || manifestLength > body.Length - offset - sizeof(long))
            throw Corrupt($"its manifest length {manifestLength} does not fit the file");
        EncoderManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EncoderManifest>(bytes.AsSpan(offset, manifestLength), Json);
        }
        catch (JsonException e)
        {
            throw Corrupt($"its manifest is not valid JSON ({e.Message})");
        }
        offset += manifestLength;
        if (manifest is null || manifest.Format != FormatName) throw Corrupt($"its manifest is not a {FormatName} manifest");
        if (manifest.FormatVersion != FormatVersion)
            throw new SavedEncoderException(path, SavedEncoderProblem.UnsupportedVersion,
                $"{path} uses encoder file version {manifest.FormatVersion}, written by {manifest.Library}; {LibraryVersion} reads version {FormatVersion}.");

        long payloadLength = BitConverter.ToInt64(bytes, offset);
        offset += sizeof(long);
        if (payloadLength != body.Length - offset || payloadLength != manifest.PayloadBytes)
            throw Corrupt($"its payload length {payloadLength} does not match the file ({body.Length - offset} bytes) or the manifest ({manifest.PayloadBytes})");
        var payload = bytes.AsSpan(offset, (int)payloadLength).ToArray();
        if (!string.Equals(Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant(), manifest.PayloadSha256, StringComparison.Ordinal))
            throw Corrupt("the weights' SHA-256 does not match the manifest's payload_sha256");
        return (manifest, payload);
    }

    /// <summary>
    /// Refuses <paramref name="encoder"/> with <see cref="SavedEncoderException"/> unless it is the declaration the
    /// file was saved from, with the same hyperparameters (so it builds a module of the same shape).
    /// </summary>
    public static void CheckEncoder(EncoderManifest manifest, IGraphEncoder encoder, string? path = null)
    {
        var file = path ?? "the encoder file";
        var name = NameOf(encoder);
        if (!string.Equals(name, manifest.Encoder, StringComparison.Ordinal))
            throw new SavedEncoderException(path, SavedEncoderProblem.EncoderMismatch,
                $"{file} holds a {manifest.Encoder} encoder ({manifest.Description}); it cannot be loaded into a {name}. Load it into a {manifest.Encoder} value.");
        var differences = new List<string>();
        if (encoder is IDeclared declared)
        {
            var saved = manifest.HyperParameters.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal);
            var given = declared.HyperParameters.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal);
            foreach (var key in saved.Keys.Union(given.Keys))
            {
                saved.TryGetValue(key, out var s);
                given.TryGetValue(key, out var g);
                if (!string.Equals(s, g, StringComparison.Ordinal)) differences.Add($"{key}: file {s ?? "(absent)"}, value {g ?? "(absent)"}");
            }
        }
        else if (!string.Equals(Invariant(encoder.ToString), manifest.Description, StringComparison.Ordinal))
            differences.Add($"file {manifest.Description}, value {Invariant(encoder.ToString)}");
        if (encoder.EmbeddingDim != manifest.EmbeddingDim)
            differences.Add($"embedding size: file {manifest.EmbeddingDim}, value {encoder.EmbeddingDim}");
        if (differences.Count > 0)
            throw new SavedEncoderException(path, SavedEncoderProblem.EncoderMismatch,
                $"{file} holds a {manifest.Encoder} encoder with other hyperparameters than the value it is loaded into ({string.Join("; ", differences)}). " +
                $"Load it into {manifest.Description}.");
    }

    /// <summary>
    /// Recreates the encoder value the file was saved from out of a generated catalog
    /// (<c>GraphSSL.Generated.GraphSslCatalog.All</c>): the declaration of that name, created with its defaults,
    /// then each saved hyperparameter set by name.
    /// </summary>
    public static IGraphEncoder Recreate(EncoderManifest manifest, IEnumerable<Declaration> catalog, string? path = null)
    {
        var declaration = catalog.FirstOrDefault(d => d.Kind == DeclarationKind.Encoder && string.Equals(d.Name, manifest.Encoder, StringComparison.Ordinal))
            ?? throw new SavedEncoderException(path, SavedEncoderProblem.UnknownEncoder,
                $"{path ?? "The encoder file"} holds a {manifest.Encoder} encoder ({manifest.EncoderType}), which this program does not declare. " +
                "Load it where that declaration is compiled in, passing its value: TrainedEncoder.Load(path, new " + manifest.Encoder + "()).");
        return FromDeclared(declaration.Create(Array.Empty<object>()), manifest, path);
    }

    /// <summary>
    /// Recreates the encoder value from its type name among the assemblies loaded in this process (declared
    /// encoders have a parameterless constructor), then sets each saved hyperparameter.
    /// </summary>
    public static IGraphEncoder Recreate(EncoderManifest manifest, string? path = null)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(manifest.EncoderType, throwOnError: false))
            .FirstOrDefault(t => t is not null && typeof(IGraphEncoder).IsAssignableFrom(t) && typeof(IDeclared).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            ?? throw new SavedEncoderException(path, SavedEncoderProblem.UnknownEncoder,
                $"{path ?? "The encoder file"} holds a {manifest.Encoder} encoder of type {manifest.EncoderType}, which no loaded assembly declares. " +
                $"Pass the encoder value (TrainedEncoder.Load(path, new {manifest.Encoder}())) or a catalog (TrainedEncoder.Load(path, GraphSslCatalog.All)).");
        return FromDeclared((IDeclared)Activator.CreateInstance(type)!, manifest, path);
    }

    static IGraphEncoder FromDeclared(IDeclared value, EncoderManifest manifest, string? path)
    {
        try
        {
            foreach (var h in manifest.HyperParameters) value = value.WithHyperParameter(h.Name, h.Value);
        }
        catch (ArgumentException e)
        {
            throw new SavedEncoderException(path, SavedEncoderProblem.EncoderMismatch,
                $"{path ?? "The encoder file"} holds a {manifest.Encoder} encoder whose saved hyperparameters this program's {manifest.Encoder} does not take: {e.Message}", e);
        }
        return value as IGraphEncoder ?? throw new SavedEncoderException(path, SavedEncoderProblem.UnknownEncoder, $"{manifest.Encoder} is not an encoder declaration.");
    }

    static string NameOf(IGraphEncoder encoder) => encoder is IDeclared d ? d.DeclaredName : encoder.GetType().Name;

    static string Invariant(Func<string?> text)
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            return text() ?? "";
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
