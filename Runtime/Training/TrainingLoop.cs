using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Training;

/// <summary>Small pieces of the training loop that generated trainers call.</summary>
public static class TrainingLoop
{
    /// <summary>
    /// Seeds parameter initialisation (<c>torch.manual_seed</c>), applies the thread setting, and returns
    /// the generator for shuffling and augmentation, seeded from the same seed on <paramref name="device"/>.
    /// </summary>
    public static Generator Seed(TrainOptions options, Device device)
    {
        if (options.Threads is int threads) torch.set_num_threads(threads);
        torch.manual_seed(options.Seed);
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(options.Seed);
        return new Generator(unchecked((ulong)options.Seed), device);
    }

    /// <summary>
    /// Applies <see cref="TrainOptions.LinearInit"/> to every <c>nn.Linear</c> of <paramref name="network"/> (encoder,
    /// projector, predictor, in that order), drawing from torch's seeded generator; nothing for
    /// <see cref="LinearInit.Default"/>. Called right after the network is built, before objectives copy it.
    /// </summary>
    public static void InitialiseLinears(TrainOptions options, SslNetwork network)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        if (options.LinearInit == LinearInit.Default) return;
        foreach (var (_, module) in network.Modules) InitialiseLinears(module);
    }

    /// <summary>
    /// The same for the trainable modules of the objectives' states (InfoGraph's discriminators, GraphMAE's decoder, SwAV's
    /// prototypes when they are Linear), after <c>Start</c>.
    /// </summary>
    public static void InitialiseLinears(TrainOptions options, params ObjectiveState[] states)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(states);
        if (options.LinearInit == LinearInit.Default) return;
        foreach (var state in states)
            foreach (var module in state.TrainableModules()) InitialiseLinears(module);
    }

    static void InitialiseLinears(nn.Module root)
    {
        using var noGrad = torch.no_grad();
        // TorchSharp's modules() lists the descendants, not the module itself.
        foreach (var module in root.modules().Prepend(root))
        {
            if (module is not TorchSharp.Modules.Linear linear) continue;
            nn.init.xavier_uniform_(linear.weight);
            linear.bias?.zero_();
        }
    }

    /// <summary>What one optimiser trains: the network's parameters, then the trainable parts of every objective's state.</summary>
    public static IEnumerable<TorchSharp.Modules.Parameter> Parameters(SslNetwork network, params ObjectiveState[] states)
        => network.Parameters().Concat(states.SelectMany(s => s.Parameters()));

    /// <summary>The parameters of all <paramref name="modules"/>, in order, for one optimiser.</summary>
    public static IEnumerable<TorchSharp.Modules.Parameter> Parameters(params nn.Module[] modules)
        => modules.SelectMany(m => m.parameters());

    /// <summary>
    /// The optimiser <paramref name="options"/> asks for over <paramref name="parameters"/>: Adam with L2 weight decay
    /// added to the gradient (<c>torch.optim.Adam</c>'s <c>weight_decay</c>; <see cref="FusedOptimizer.Adam"/>, whose CPU step is one C# pass), or AdamW with decoupled weight decay
    /// (<c>torch.optim.AdamW</c>; BGRL's optimiser, nerdslab/bgrl train_transductive.py), at <see cref="TrainOptions.LearningRate"/>
    /// and <see cref="TrainOptions.WeightDecay"/>, default betas and ε.
    /// </summary>
    public static TorchSharp.Modules.OptimizerHelper CreateOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return options.Optimizer switch
        {
            OptimizerKind.AdamW => torch.optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay),
            // Adam's update with its CPU step fused into one C# pass (same state and formulas as torch.optim.Adam).
            _ => new FusedOptimizer.Adam(parameters, options.LearningRate, options.WeightDecay),
        };
    }

    /// <summary>
    /// Sets every parameter group of <paramref name="optimizer"/> to the schedule's rate for <paramref name="epoch"/>
    /// (<see cref="TrainOptions.LearningRateAt"/>). Derived from the epoch alone, so a resumed run continues the schedule.
    /// </summary>
    public static void SetLearningRate(torch.optim.Optimizer optimizer, TrainOptions options, int epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        var rate = options.LearningRateAt(epoch);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    /// <summary>
    /// Reads the epoch's summed loss from the device (the epoch's one host synchronisation) and returns
    /// the mean over <paramref name="steps"/>. Throws <see cref="TrainingDivergedException"/> when it is
    /// NaN or infinite.
    /// </summary>
    public static double ReadEpochLoss(Tensor lossSum, int steps, int epoch)
    {
        double mean = lossSum.to(ScalarType.Float64).cpu().item<double>() / Math.Max(1, steps);
        if (double.IsNaN(mean) || double.IsInfinity(mean))
            throw new TrainingDivergedException(epoch, mean);
        return mean;
    }
}

/// <summary>Training produced a NaN or infinite loss.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="epoch"/>.</summary>
    public TrainingDivergedException(int epoch, double loss)
        : base($"Training diverged in epoch {epoch}: the mean loss is {loss.ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
               "(the loss is read once per epoch, so the first non-finite step is not known). The last checkpoint, if any, is from an earlier epoch. " +
               "Lower the learning rate, raise the temperature, or check the input features for extreme values.")
    {
        Epoch = epoch;
        Loss = loss;
    }

    /// <summary>Epoch (1-based) whose loss was not finite.</summary>
    public int Epoch { get; }
    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
