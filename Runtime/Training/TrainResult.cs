using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Layers;

namespace GraphSSL.Training;

/// <summary>What one epoch did: reported to the progress callback after every epoch.</summary>
/// <param name="Epoch">1-based epoch just finished.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Loss">Mean training loss over the epoch's batches.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="OutputStd">
/// For objectives that monitor collapse (SimSiam, BYOL): mean per-dimension standard deviation of the
/// L2-normalised outputs over the epoch (≈ 1/√D when healthy, → 0 when collapsed); otherwise null.
/// </param>
/// <param name="Warning">A problem noticed during the epoch (for example representation collapse), or null.</param>
public sealed record EpochReport(int Epoch, int Epochs, double Loss, double Seconds, double? OutputStd = null, string? Warning = null);

/// <summary>
/// The outcome of <c>Train</c>: the model declaration it trained, the loss and timing history, and the
/// trained encoder. Owns the encoder's native memory: dispose it when done.
/// </summary>
public sealed record TrainResult<TModel>(
    TModel Model,
    TrainOptions Options,
    IReadOnlyList<double> Losses,
    IReadOnlyList<double> EpochSeconds,
    TrainedEncoder Encoder) : IDisposable
{
    /// <summary>Embeddings of every graph of <paramref name="data"/>, <c>[G, D]</c> float32 on the CPU.</summary>
    public Tensor Embed(GraphData data) => Encoder.Embed(data);

    /// <summary>
    /// Saves the trained encoder as one file (weights + manifest, see <see cref="SavedEncoder"/>), written
    /// atomically. The encoder value is the model's encoder component; <paramref name="data"/> is the dataset
    /// it was trained on (its feature layout goes into the manifest). Load it back with
    /// <see cref="TrainedEncoder.Load(string, IGraphEncoder, string)"/>.
    /// </summary>
    public EncoderManifest Save(string path, GraphData data)
        => Encoder.Save(path, EncoderValueOf(Model), data, (Model as IDeclared)?.DeclaredName);

    /// <summary>The model's encoder component: the one property of the model record holding an <see cref="IGraphEncoder"/>.</summary>
    static IGraphEncoder EncoderValueOf(TModel model)
    {
        if (model is IGraphEncoder self) return self;
        var encoders = model!.GetType().GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Select(p => p.GetValue(model))
            .OfType<IGraphEncoder>()
            .Distinct(ReferenceEqualityComparer.Instance)
            .ToList();
        return encoders.Count == 1
            ? (IGraphEncoder)encoders[0]!
            : throw new InvalidOperationException(
                $"{model.GetType().Name} has {encoders.Count} encoder components; save with Encoder.Save(path, encoderValue, data) naming the encoder value.");
    }

    /// <summary>Node embeddings <c>[N, EmbeddingDim]</c> of <paramref name="data"/>'s graph on the CPU (<see cref="TrainedEncoder.EmbedNodes(NodeData)"/>).</summary>
    public Tensor EmbedNodes(NodeData data) => Encoder.EmbedNodes(data);

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();
}

/// <summary>
/// A trained (or untrained) encoder module with the device it lives on. <see cref="Save"/> writes it as one
/// file and <see cref="Load(string, IGraphEncoder, string)"/> reads it back; a loaded encoder refuses to embed
/// a dataset whose node features are laid out differently from its training data's.
/// </summary>
public sealed class TrainedEncoder : IDisposable
{
    readonly nn.Module<GraphBatch, Tensor> module;

    /// <summary>Wraps <paramref name="module"/>, which must already be on <paramref name="device"/>.</summary>
    public TrainedEncoder(nn.Module<GraphBatch, Tensor> module, Device device, int embeddingDim)
        : this(module, device, embeddingDim, null)
    {
    }

    TrainedEncoder(nn.Module<GraphBatch, Tensor> module, Device device, int embeddingDim, EncoderManifest? manifest)
    {
        this.module = module;
        Device = device;
        EmbeddingDim = embeddingDim;
        Manifest = manifest;
    }

    /// <summary>For an encoder read by <see cref="Load(string, IGraphEncoder, string)"/>: what its file says (declaration, feature layout, …); else null.</summary>
    public EncoderManifest? Manifest { get; }

    /// <summary>Device of the module.</summary>
    public Device Device { get; }
    /// <summary>Embedding size.</summary>
    public int EmbeddingDim { get; }
    /// <summary>The TorchSharp module (for saving or fine-tuning).</summary>
    public nn.Module<GraphBatch, Tensor> Module => module;

    /// <summary>
    /// Embeds every graph of <paramref name="data"/> in evaluation mode (batch norm uses its running
    /// statistics), without gradients, in batches of <paramref name="batchSize"/>.
    /// Returns <c>[G, D]</c> float32 on the CPU, in dataset order.
    /// </summary>
    public Tensor Embed(GraphData data, int batchSize = 512)
    {
        Manifest?.CheckFeatureLayout(data, LoadedFrom);
        using var graphs = DeviceGraphs.Upload(data, Device);
        return Embed(graphs, batchSize);
    }

    /// <summary>Embeds every graph of an already uploaded dataset; see <see cref="Embed(GraphData, int)"/>.</summary>
    public Tensor Embed(DeviceGraphs graphs, int batchSize = 512)
    {
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var parts = new List<Tensor>();
            for (int start = 0; start < graphs.GraphCount; start += batchSize)
            {
                int length = Math.Min(batchSize, graphs.GraphCount - start);
                var ids = Scalars.Range(start, start + length, graphs.Device);
                parts.Add(module.forward(graphs.Gather(ids)));
            }
            var all = parts.Count == 0
                ? torch.zeros(0, EmbeddingDim)
                : torch.cat(parts, 0).to(torch.CPU);
            return all.MoveToOuterDisposeScope();
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    /// <summary>The file this encoder was loaded from, or null.</summary>
    public string? LoadedFrom { get; private init; }

    /// <summary>
    /// Saves the weights (parameters and batch-norm statistics) with a manifest naming <paramref name="encoder"/>
    /// (the value that built this module: its declaration name and hyperparameters) and the feature layout of
    /// <paramref name="data"/>, as one file written atomically (temporary file, flush, rename).
    /// </summary>
    /// <param name="path">The file to write, by convention <c>encoder.gssl</c>.</param>
    /// <param name="encoder">The encoder value the module was created from.</param>
    /// <param name="data">The dataset it was trained on (or any with the same node features).</param>
    /// <param name="model">The model that trained it, for the record; optional.</param>
    /// <returns>The manifest written.</returns>
    public EncoderManifest Save(string path, IGraphEncoder encoder, GraphData data, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(data);
        if (encoder.EmbeddingDim != EmbeddingDim)
            throw new ArgumentException($"The encoder value makes {encoder.EmbeddingDim}-dimensional embeddings; this module makes {EmbeddingDim}: it is not the value the module was created from.", nameof(encoder));
        using var payload = new MemoryStream();
        module.save(payload);
        return SavedEncoder.Write(path, SavedEncoder.ManifestFor(encoder, data, model), payload.ToArray());
    }

    /// <summary>
    /// Loads an encoder saved by <see cref="Save"/> into <paramref name="encoder"/>'s module: the value recreates
    /// the module (so it must be the same declaration with the same hyperparameters, e.g. <c>new MolGin()</c>),
    /// the file supplies the weights. The file's checksums are verified first. Throws
    /// <see cref="SavedEncoderException"/> for a corrupted file or another declaration or hyperparameters.
    /// </summary>
    /// <param name="path">The encoder file.</param>
    /// <param name="encoder">The encoder value the file was saved from.</param>
    /// <param name="device">cpu (default), cuda, cuda:N or auto.</param>
    public static TrainedEncoder Load(string path, IGraphEncoder encoder, string device = "cpu")
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var (manifest, payload) = SavedEncoder.Read(path);
        SavedEncoder.CheckEncoder(manifest, encoder, path);
        var target = DeviceSelection.Resolve(device);
        var created = encoder.CreateModule(manifest.FeatureDim);
        try
        {
            using (var stream = new MemoryStream(payload, writable: false))
                created.load(stream, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            created.Dispose();
            throw new SavedEncoderException(path, SavedEncoderProblem.EncoderMismatch,
                $"The weights in {path} do not fit the module {manifest.Encoder} builds ({e.Message}).", e);
        }
        created.to(target);
        created.eval();
        return new TrainedEncoder(created, target, encoder.EmbeddingDim, manifest) { LoadedFrom = Path.GetFullPath(path) };
    }

    /// <summary>
    /// Loads an encoder file, recreating its encoder value from <paramref name="catalog"/> (a generated
    /// <c>GraphSSL.Generated.GraphSslCatalog.All</c>): the declaration named in the file, with the saved hyperparameters.
    /// </summary>
    public static TrainedEncoder Load(string path, IEnumerable<Declaration> catalog, string device = "cpu")
        => Load(path, SavedEncoder.Recreate(SavedEncoder.ReadManifest(path), catalog, path), device);

    /// <summary>
    /// Loads an encoder file, recreating its encoder value from the type named in the file among the assemblies
    /// loaded in this process. Prefer <see cref="Load(string, IGraphEncoder, string)"/> when you have the value.
    /// </summary>
    public static TrainedEncoder Load(string path, string device = "cpu")
        => Load(path, SavedEncoder.Recreate(SavedEncoder.ReadManifest(path), path), device);

    /// <inheritdoc />
    /// <summary>
    /// Node embeddings <c>[N, EmbeddingDim]</c> of the one graph of <paramref name="data"/> on the CPU, in node order:
    /// the encoder's <see cref="EncoderOutput.Nodes"/> over the full graph (eval mode, no gradient) — what a
    /// node-level probe reads.
    /// </summary>
    public Tensor EmbedNodes(NodeData data)
    {
        using var graphs = DeviceGraphs.Upload(NodeLevel.AsGraph(data), Device);
        return EmbedNodes(graphs);
    }

    /// <summary>Node embeddings <c>[N, EmbeddingDim]</c> of every graph of <paramref name="graphs"/> (one batch) on the CPU.</summary>
    public Tensor EmbedNodes(DeviceGraphs graphs)
    {
        if (module is not EncoderModule encoder)
            throw new InvalidOperationException($"Node embeddings need an {nameof(EncoderModule)}; this encoder is a {module.GetType().Name}.");
        return NodeLevel.EmbedNodes(encoder, graphs);
    }

    public void Dispose() => module.Dispose();
}
