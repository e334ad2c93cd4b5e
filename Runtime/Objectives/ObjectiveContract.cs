using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Training;

namespace GraphSSL.Objectives;

/// <summary>
/// An objective declaration as a value: records declared with <c>[Objective]</c> implement it (the
/// generator writes the implementation from the record's <c>Loss</c>, <c>Start</c> and <c>AfterStep</c>).
/// </summary>
public interface IObjective : IDeclared
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first hyperparameter out of range.</summary>
    void Validate();
}

/// <summary>
/// The one lifecycle every objective goes through in a generated training step: <see cref="Start"/> once
/// per run (creates queues, target networks, prototypes: the state), <see cref="Loss"/> every step,
/// <see cref="AfterStep"/> after every optimiser step (EMA updates, enqueueing), and the state's
/// <see cref="ObjectiveState.Parameters"/> (optimised with the network) and checkpoint contents.
/// </summary>
/// <typeparam name="TState">What the objective keeps between steps; <see cref="ObjectiveState"/> itself for none.</typeparam>
public interface IObjective<TState> : IObjective where TState : ObjectiveState
{
    /// <summary>Creates the run's state (on <see cref="ObjectiveContext.Device"/>).</summary>
    TState Start(ObjectiveContext context);

    /// <summary>This step's loss: a scalar tensor on the device, no host reads.</summary>
    Tensor Loss(Views views, TState state);

    /// <summary>Runs after the optimiser step (no gradient needed).</summary>
    void AfterStep(Views views, TState state);
}

/// <summary>What an objective's <c>Start</c> may use to build its state.</summary>
/// <param name="Device">The training device.</param>
/// <param name="Online">The network being trained (encoder and heads); <see cref="SslNetwork.Copy"/> makes EMA targets of it.</param>
/// <param name="FeatureDim">Node feature columns of the dataset.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="StepsPerEpoch">Optimiser steps per epoch.</param>
/// <param name="Generator">The run's generator (shuffling, augmentation); use it for any randomness so resumes replay exactly.</param>
public sealed record ObjectiveContext(Device Device, SslNetwork Online, int FeatureDim, int Epochs, int StepsPerEpoch, Generator Generator)
{
    /// <summary>Graph (and node) embedding size of the encoder.</summary>
    public int EmbeddingDim => Online.EmbeddingDim;

    /// <summary>Size of the projections <see cref="ViewOutput.Z"/> (the embedding size without a projector).</summary>
    public int ProjectionDim => Online.ProjectionDim;

    /// <summary>Optimiser steps in the whole run (at least 1), e.g. for BYOL's momentum schedule.</summary>
    public long TotalSteps => Math.Max(1L, (long)Epochs * StepsPerEpoch);
}

/// <summary>Where a step is in the run: what schedules and warm-ups read.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Index">0-based step within the run (derived from the epoch, so it survives a resume).</param>
/// <param name="TotalSteps">Steps in the whole run.</param>
public readonly record struct StepInfo(int Epoch, long Index, long TotalSteps);

/// <summary>One view of a batch after the network: its graph, the encoder's outputs and the heads' outputs.</summary>
public sealed class ViewOutput
{
    readonly Tensor? prediction;

    /// <summary>Creates the view's output; <paramref name="nodeLevel"/> makes <see cref="H"/> the node embeddings.</summary>
    public ViewOutput(GraphBatch graph, EncoderOutput encoded, Tensor projection, Tensor? prediction, bool nodeLevel = false)
    {
        NodeLevel = nodeLevel;
        Graph = graph;
        Encoded = encoded;
        Z = projection;
        this.prediction = prediction;
    }

    /// <summary>The view's graph as it was encoded, with what its augmentations recorded (<see cref="GraphBatch.Recorded"/>).</summary>
    public GraphBatch Graph { get; }

    /// <summary>The encoder's outputs: graph embedding, node embeddings, every layer.</summary>
    public EncoderOutput Encoded { get; }

    /// <summary>Whether this view comes from a node-level model (<see cref="H"/> and <see cref="Z"/> have one row per node).</summary>
    public bool NodeLevel { get; }

    /// <summary>
    /// The embeddings the heads and objectives work on: graph embeddings <c>[GraphCount, EmbeddingDim]</c>, or in a
    /// node-level model the node embeddings <c>[N, EmbeddingDim]</c> (<see cref="Nodes"/>).
    /// </summary>
    public Tensor H => NodeLevel ? Encoded.Nodes : Encoded.Graph;

    /// <summary>Node embeddings <c>[N, EmbeddingDim]</c>; <see cref="GraphBatch.Batch"/> of <see cref="Graph"/> maps them to graphs.</summary>
    public Tensor Nodes => Encoded.Nodes;

    /// <summary>Projections of <see cref="H"/> (<c>[GraphCount, D]</c>, or <c>[N, D]</c> at node level): the projector's output, or <see cref="H"/> without one.</summary>
    public Tensor Z { get; }

    /// <summary>Predictions: the predictor's output. Throws when the model declares no <c>[Predictor]</c>.</summary>
    public Tensor P => prediction ?? throw new InvalidOperationException(
        "This objective reads predictions P, but the model declares no [Predictor] head (declare [Objective(UsesPredictor = true)] so the generator checks it).");

    /// <summary>Whether the model has a predictor.</summary>
    public bool HasPrediction => prediction is not null;
}

/// <summary>Every view of one step, in order, with the step's place in the run and the online network.</summary>
public sealed class Views : IReadOnlyList<ViewOutput>
{
    readonly ViewOutput[] views;

    /// <summary>Creates the step's views.</summary>
    public Views(StepInfo step, SslNetwork online, params ViewOutput[] views)
    {
        if (views.Length == 0) throw new ArgumentException("A step needs at least one view.", nameof(views));
        Step = step;
        Online = online;
        this.views = views;
    }

    /// <summary>Where the step is in the run.</summary>
    public StepInfo Step { get; }

    /// <summary>The network being trained (an objective may encode other graphs with it).</summary>
    public SslNetwork Online { get; }

    /// <inheritdoc />
    public ViewOutput this[int index] => views[index];

    /// <inheritdoc />
    public int Count => views.Length;

    /// <summary>Projections of view one.</summary>
    public Tensor Z1 => views[0].Z;

    /// <summary>Projections of view two.</summary>
    public Tensor Z2 => Second.Z;

    /// <summary>Predictions of view one.</summary>
    public Tensor P1 => views[0].P;

    /// <summary>Predictions of view two.</summary>
    public Tensor P2 => Second.P;

    /// <summary>Graph embeddings of view one.</summary>
    public Tensor H1 => views[0].H;

    /// <summary>Graph embeddings of view two.</summary>
    public Tensor H2 => Second.H;

    ViewOutput Second => views.Length > 1 ? views[1]
        : throw new InvalidOperationException("This objective reads a second view, but the step has one (declare [Objective(Views = 2)]).");

    /// <inheritdoc />
    public IEnumerator<ViewOutput> GetEnumerator() => ((IEnumerable<ViewOutput>)views).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => views.GetEnumerator();
}

/// <summary>
/// A view that perturbs the encoder instead of the graph (SimGRACE): it encodes the batch with a changed
/// copy of the online network. Records declared with <c>[Augmentation]</c> and a
/// <c>public ViewOutput Forward(SslNetwork, GraphBatch, Generator)</c> member implement it.
/// </summary>
public interface IEncoderView
{
    /// <summary>The view's output for <paramref name="batch"/>.</summary>
    ViewOutput Forward(SslNetwork online, GraphBatch batch, Generator generator);
}

/// <summary>
/// What an objective keeps between steps. Derive from it and register what must survive a resume:
/// modules (trainable ones are optimised with the network), copies of the network (EMA targets), tensors
/// and other checkpointable parts such as an <see cref="EmbeddingQueue"/>; override <see cref="SaveExtra"/> /
/// <see cref="LoadExtra"/> for host values. Everything registered is checkpointed in registration order and
/// disposed with the state. A stateless objective uses the base class as it is.
/// </summary>
public class ObjectiveState : ICheckpointState, IDisposable
{
    sealed record Part(string Name, Action<BinaryWriter> Save, Action<BinaryReader> Load, IDisposable Owned,
        IEnumerable<nn.Module> Modules, bool Trainable);

    readonly List<Part> parts = new();
    bool disposed;

    /// <summary>Registers a module; returns it. A trainable module's parameters join the optimiser.</summary>
    protected T Register<T>(string name, T module, bool trainable) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        parts.Add(new Part(name, w => module.save(w), r => module.load(r), module, new nn.Module[] { module }, trainable));
        return module;
    }

    /// <summary>Registers a copy of the network (an EMA target, <see cref="SslNetwork.Copy"/>); it gets no gradient from the optimiser.</summary>
    protected SslNetwork Register(string name, SslNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var modules = network.Modules.ToList();
        parts.Add(new Part(name,
            w => { foreach (var (_, m) in modules) m.save(w); },
            r => { foreach (var (_, m) in modules) m.load(r); },
            network, modules.Select(m => m.Module).ToList(), false));
        return network;
    }

    /// <summary>Registers a checkpointable part (e.g. an <see cref="EmbeddingQueue"/>); returns it.</summary>
    protected T Register<T>(string name, T part) where T : ICheckpointState, IDisposable
    {
        ArgumentNullException.ThrowIfNull(part);
        parts.Add(new Part(name, part.Save, part.Load, part, Array.Empty<nn.Module>(), false));
        return part;
    }

    /// <summary>Registers a tensor (detached from any dispose scope; loaded in place on resume); returns it.</summary>
    protected Tensor Register(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.DetachFromDisposeScope();
        parts.Add(new Part(name,
            w => { using var copy = tensor.detach().cpu(); copy.Save(w); },
            r =>
            {
                using var saved = Tensor.Load(r);
                if (!saved.shape.SequenceEqual(tensor.shape))
                    throw new InvalidDataException($"Objective state '{name}' was saved with shape [{string.Join(", ", saved.shape)}] but is [{string.Join(", ", tensor.shape)}] now.");
                using var noGrad = torch.no_grad();
                tensor.copy_(saved);
            },
            tensor, Array.Empty<nn.Module>(), false));
        return tensor;
    }

    /// <summary>The trainable registered modules, in registration order.</summary>
    public IEnumerable<nn.Module> TrainableModules() => parts.Where(p => p.Trainable).SelectMany(p => p.Modules);

    /// <summary>Parameters of the trainable registered modules, optimised together with the network.</summary>
    public IEnumerable<Parameter> Parameters() => parts.Where(p => p.Trainable).SelectMany(p => p.Modules).SelectMany(m => m.parameters());

    /// <summary>Puts every registered module in training mode.</summary>
    public void Train()
    {
        foreach (var module in parts.SelectMany(p => p.Modules)) module.train();
    }

    /// <summary>Writes every registered part in order, then <see cref="SaveExtra"/>.</summary>
    public void Save(BinaryWriter writer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var part in parts)
        {
            writer.Write(part.Name);
            part.Save(writer);
        }
        SaveExtra(writer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote into the registered parts (shapes must agree).</summary>
    public void Load(BinaryReader reader)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var part in parts)
        {
            var found = reader.ReadString();
            if (found != part.Name) throw new InvalidDataException($"Expected the objective state '{part.Name}' in the checkpoint, found '{found}'.");
            part.Load(reader);
        }
        LoadExtra(reader);
    }

    /// <summary>Writes host values the state keeps (counters, flags). Default: nothing.</summary>
    protected virtual void SaveExtra(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="SaveExtra"/> wrote. Default: nothing.</summary>
    protected virtual void LoadExtra(BinaryReader reader) { }

    /// <summary>Disposes every registered part.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Dispose(true);
        foreach (var part in parts) part.Owned.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a derived state owns beyond its registered parts.</summary>
    protected virtual void Dispose(bool disposing) { }
}
