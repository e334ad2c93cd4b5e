using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Training;

/// <summary>
/// How to train: everything that is not part of the model declaration. Immutable; vary it with
/// <c>with</c>.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the dataset. Default 20.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Graphs per mini-batch. Default 128.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam learning rate. Default 1e-3 (the study's code).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam weight decay. Default 0.</summary>
    public double WeightDecay { get; init; }
    /// <summary>How the learning rate changes over the epochs. Default <see cref="LearningRateSchedule.Constant"/>.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>Epochs of linear warm-up from 0 before <see cref="Schedule"/> takes over (BGRL: 1,000). Default 0.</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>The optimiser: <see cref="OptimizerKind.Adam"/> (default) or <see cref="OptimizerKind.AdamW"/>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>
    /// How every <c>nn.Linear</c> of the network and of the objectives' trainable state starts: <see cref="LinearInit.Default"/>
    /// (each module's own: TorchSharp's, or what the encoder chose) or <see cref="LinearInit.XavierUniform"/> (GraphCL's,
    /// SimGRACE's and InfoGraph's <c>init_emb</c>). Default <see cref="LinearInit.Default"/>.
    /// </summary>
    public LinearInit LinearInit { get; init; } = LinearInit.Default;
    /// <summary>Seed for parameter initialisation, shuffling and augmentation. Same seed, same device: same result.</summary>
    public long Seed { get; init; }
    /// <summary>"cpu" (default), "cuda", "cuda:N" or "auto" (CUDA when available, else CPU).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Intra-op CPU threads; null leaves TorchSharp's default.</summary>
    public int? Threads { get; init; }
    /// <summary>
    /// Folder for the run's checkpoint (<c>checkpoint.bin</c>): model, optimiser, objective state, RNG state
    /// and epoch, written atomically. Null (default): no checkpoints.
    /// </summary>
    public string? CheckpointDirectory { get; init; }
    /// <summary>Save a checkpoint every this many epochs (and after the last). Default 1.</summary>
    public int CheckpointEvery { get; init; } = 1;
    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/> when one exists.</summary>
    public bool Resume { get; init; }

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public TrainOptions Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"Epochs must be ≥ 0, was {Epochs}.", nameof(Epochs));
        if (BatchSize < 2) throw new ArgumentException($"BatchSize must be ≥ 2 (batch norm needs two graphs), was {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate must be a positive number, was {LearningRate}.", nameof(LearningRate));
        if (!Enum.IsDefined(Schedule)) throw new ArgumentException($"Schedule must be Constant or Cosine, was {(int)Schedule}.", nameof(Schedule));
        if (WarmupEpochs < 0) throw new ArgumentException($"WarmupEpochs must be ≥ 0, was {WarmupEpochs}.", nameof(WarmupEpochs));
        if (!Enum.IsDefined(LinearInit)) throw new ArgumentException($"LinearInit must be Default or XavierUniform, was {(int)LinearInit}.", nameof(LinearInit));
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentException($"Optimizer must be Adam or AdamW, was {(int)Optimizer}.", nameof(Optimizer));
        if (WeightDecay < 0) throw new ArgumentException($"WeightDecay must be ≥ 0, was {WeightDecay}.", nameof(WeightDecay));
        if (CheckpointEvery < 1) throw new ArgumentException($"CheckpointEvery must be ≥ 1, was {CheckpointEvery}.", nameof(CheckpointEvery));
        if (Resume && CheckpointDirectory is null) throw new ArgumentException("Resume needs a CheckpointDirectory.", nameof(Resume));
        if (Threads is < 1) throw new ArgumentException($"Threads must be ≥ 1, was {Threads}.", nameof(Threads));
        _ = DeviceSelection.Parse(Device);
        return this;
    }

    /// <summary>
    /// The learning rate of <paramref name="epoch"/> (1-based). With s = epoch − 1 and W = <see cref="WarmupEpochs"/>:
    /// LearningRate · s / W while s &lt; W (linear warm-up from 0); then LearningRate with a constant schedule, or with
    /// <see cref="LearningRateSchedule.Cosine"/> LearningRate · (1 + cos(π (s − W) / (Epochs − W))) / 2 — the full rate
    /// after warm-up, falling towards 0 in the last epoch. Without warm-up that is GraphMAE's <c>LambdaLR</c>, stepped
    /// once per epoch (THUDM/GraphMAE main_transductive.py, <c>scheduler = lambda epoch: (1 + np.cos(epoch * np.pi /
    /// max_epoch)) * 0.5</c>); with warm-up, BGRL's <c>CosineDecayScheduler(lr, lr_warmup_epochs, epochs)</c>
    /// (nerdslab/bgrl bgrl/scheduler.py, read once per epoch in train_transductive.py).
    /// </summary>
    public double LearningRateAt(int epoch)
    {
        int step = epoch - 1;
        if (step < WarmupEpochs) return LearningRate * step / WarmupEpochs;
        return Schedule switch
        {
            LearningRateSchedule.Cosine => LearningRate * (1 + Math.Cos(Math.PI * (step - WarmupEpochs) / Math.Max(1, Epochs - WarmupEpochs))) / 2,
            _ => LearningRate,
        };
    }

    /// <summary>The TorchSharp device these options ask for (throws when CUDA is asked for and absent).</summary>
    public Device ResolveDevice() => DeviceSelection.Resolve(Device);
}

/// <summary>The optimiser of a run (<see cref="TrainOptions.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>Adam, weight decay as L2 added to the gradient (<c>torch.optim.Adam</c>).</summary>
    Adam = 0,
    /// <summary>AdamW, decoupled weight decay (<c>torch.optim.AdamW</c>).</summary>
    AdamW = 1,
}

/// <summary>How the Linear layers start (<see cref="TrainOptions.LinearInit"/>).</summary>
public enum LinearInit
{
    /// <summary>As each module creates them.</summary>
    Default = 0,
    /// <summary>
    /// Every <c>nn.Linear</c> weight Xavier-uniform (gain 1) and its bias 0, drawn after the modules are built
    /// (Shen-Lab/GraphCL@b4d7501 unsupervised_TU/gsimclr.py:99-107 <c>init_emb</c>; junxia97/SimGRACE@badf371 simgrace.py:94-102 and fanyun-sun/InfoGraph@673a065 unsupervised/main.py:46-54 the same).
    /// </summary>
    XavierUniform = 1,
}

/// <summary>How <see cref="TrainOptions.LearningRate"/> changes from epoch to epoch (<see cref="TrainOptions.LearningRateAt"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>The same rate every epoch.</summary>
    Constant = 0,
    /// <summary>Half a cosine from the full rate in the first epoch towards 0 after the last.</summary>
    Cosine = 1,
}

/// <summary>Turns a device string into a TorchSharp device, with a clear error when CUDA is missing.</summary>
public static class DeviceSelection
{
    /// <summary>Validates the device string without touching the native library.</summary>
    public static string Parse(string device)
    {
        var d = (device ?? "").Trim().ToLowerInvariant();
        if (d is "cpu" or "cuda" or "auto") return d;
        if (d.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(d.AsSpan(5), out var n) && n >= 0) return d;
        throw new ArgumentException($"Unknown device '{device}'. Use cpu, cuda, cuda:N or auto.", nameof(device));
    }

    /// <summary>Resolves "auto" to CUDA when available, else CPU; refuses CUDA when it is not available.</summary>
    public static Device Resolve(string device)
    {
        var d = Parse(device);
        if (d == "cpu") return torch.CPU;
        if (d == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (!torch.cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{device}' asked for, but CUDA is not available: build with -p:GraphSSLBackend=cuda on a machine with an NVIDIA GPU, or use --device cpu.");
        return torch.device(d);
    }
}
