using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Objectives;

namespace GraphSSL.Training;

/// <summary>
/// The network a generated trainer optimises: the encoder and the model's heads (projector, predictor),
/// built by one factory so that objectives can make architecture-equal copies (EMA target and key
/// networks, SimGRACE's perturbed encoder). <see cref="Forward"/> runs one view through it.
/// </summary>
public sealed class SslNetwork : IDisposable
{
    readonly Func<(EncoderModule Encoder, nn.Module<Tensor, Tensor>? Projector, nn.Module<Tensor, Tensor>? Predictor)> build;
    readonly Device device;
    EncoderModule? encoder;
    readonly Generator? noise;
    SslNetwork? scratch;
    bool disposed;

    /// <summary>Builds the network with <paramref name="build"/> and moves it to <paramref name="device"/>.</summary>
    /// <param name="build">Creates a freshly initialised encoder, projector (or null) and predictor (or null).</param>
    /// <param name="device">The training device.</param>
    /// <param name="nodeLevel">
    /// Node-level models (<c>[SslModel(NodeLevel = true)]</c>): the heads project node embeddings and
    /// <see cref="ViewOutput.H"/> is <see cref="ViewOutput.Nodes"/>; else the graph embeddings.
    /// </param>
    /// <param name="noise">
    /// The generator the encoder's dropout draws from (<see cref="EncoderModule.Noise"/>; the trainer's, so checkpoints
    /// resume it); null: torch's global generator. Copies share it.
    /// </param>
    public SslNetwork(Func<(EncoderModule Encoder, nn.Module<Tensor, Tensor>? Projector, nn.Module<Tensor, Tensor>? Predictor)> build, Device device,
        bool nodeLevel = false, Generator? noise = null)
    {
        this.build = build ?? throw new ArgumentNullException(nameof(build));
        this.device = device;
        NodeLevel = nodeLevel;
        this.noise = noise;
        var (e, projector, predictor) = build();
        e.Noise = noise;
        encoder = e;
        Projector = projector;
        Predictor = predictor;
        foreach (var (_, module) in Modules) module.to(device);
        EmbeddingDim = e.EmbeddingDim;
        ProjectionDim = EmbeddingDim;
        if (projector is not null)
        {
            // One host-side probe of the projector's output width (a row of zeros, no gradient).
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            bool training = projector.training;
            projector.eval();
            ProjectionDim = (int)projector.forward(torch.zeros(1, EmbeddingDim, device: device)).shape[1];
            if (training) projector.train();
        }
    }

    /// <summary>The encoder. After <see cref="ReleaseEncoder"/> it belongs to the caller.</summary>
    public EncoderModule Encoder => encoder ?? throw new InvalidOperationException("The encoder was released from this network.");

    /// <summary>The projection head, or null.</summary>
    public nn.Module<Tensor, Tensor>? Projector { get; }

    /// <summary>The prediction head, or null.</summary>
    public nn.Module<Tensor, Tensor>? Predictor { get; }

    /// <summary>Graph (and node) embedding size.</summary>
    public int EmbeddingDim { get; }

    /// <summary>Size of the projections: the projector's output, or <see cref="EmbeddingDim"/> without one.</summary>
    public int ProjectionDim { get; }

    /// <summary>The training device.</summary>
    public Device Device => device;

    /// <summary>Whether the heads and objectives see node embeddings (node-level model) instead of graph embeddings.</summary>
    public bool NodeLevel { get; }

    /// <summary>The modules by checkpoint name: "encoder", then "projector" and "predictor" when present.</summary>
    public IEnumerable<(string Name, nn.Module Module)> Modules
    {
        get
        {
            yield return ("encoder", Encoder);
            if (Projector is not null) yield return ("projector", Projector);
            if (Predictor is not null) yield return ("predictor", Predictor);
        }
    }

    /// <summary>Every trainable parameter (encoder, projector, predictor).</summary>
    public IEnumerable<Parameter> Parameters() => Modules.SelectMany(m => m.Module.parameters());

    /// <summary>Training mode for every module.</summary>
    public void Train()
    {
        foreach (var (_, module) in Modules) module.train();
    }

    /// <summary>
    /// Encodes <paramref name="graph"/>, then projects and predicts the graph embeddings (node embeddings when
    /// <see cref="NodeLevel"/>): one view's output.
    /// </summary>
    public ViewOutput Forward(GraphBatch graph)
    {
        var encoded = Encoder.Encode(graph);
        var h = NodeLevel ? encoded.Nodes : encoded.Graph;
        var z = Projector is null ? h : Projector.forward(h);
        var p = Predictor?.forward(z);
        return new ViewOutput(graph, encoded, z, p, NodeLevel);
    }

    /// <summary>
    /// A new network of the same architecture holding exactly this one's weights, with gradients off (an EMA
    /// target or key network: move it with <see cref="Ema.Update"/>). <paramref name="withPredictor"/> false
    /// leaves the predictor out (BYOL's and MoCo's targets have none). The caller owns and disposes it.
    /// </summary>
    public SslNetwork Copy(bool withPredictor = false)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var online = this;
        var copy = new SslNetwork(() =>
        {
            var (e, projector, predictor) = build();
            if (!withPredictor) predictor?.Dispose();
            return (e, projector, withPredictor ? predictor : null);
        }, device, NodeLevel, noise);
        foreach (var ((_, target), (_, source)) in copy.Modules.Zip(online.Modules))
            TargetNetwork.Initialize(target, source);
        copy.Train();
        return copy;
    }

    /// <summary>Moves every module of <paramref name="target"/> towards this network: θ_t ← m·θ_t + (1 − m)·θ.</summary>
    public void UpdateTowards(SslNetwork target, double momentum)
    {
        foreach (var ((_, t), (_, o)) in target.Modules.Zip(Modules))
            Ema.Update(t, o, momentum);
    }

    /// <summary>
    /// A working copy for views that encode with changed weights (SimGRACE), made on first use and kept for
    /// the run; its weights are overwritten by every such view, so it is not checkpointed.
    /// </summary>
    public SslNetwork Scratch => scratch ??= Copy(withPredictor: Predictor is not null);

    /// <summary>Hands the encoder to the caller (a trained result); the network no longer disposes it.</summary>
    public EncoderModule ReleaseEncoder()
    {
        var e = Encoder;
        encoder = null;
        return e;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        encoder?.Dispose();
        Projector?.Dispose();
        Predictor?.Dispose();
        scratch?.Dispose();
    }
}
