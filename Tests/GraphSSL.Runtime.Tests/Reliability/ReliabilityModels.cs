// Small declared models for the reliability tests (the generator runs over this test project).
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Reliability;

/// <summary>A small GIN so the reliability tests stay fast.</summary>
[Encoder, Gin(Layers = 2, Hidden = 16)]
public partial record RelGin;

/// <summary>GraphCL's node dropping.</summary>
[Augmentation, NodeDropping(0.2)]
public partial record RelDrop;

/// <summary>SimCLR with a 2-layer projector.</summary>
[SslModel, Projector(Layers = 2)]
public partial record RelClr(RelGin Encoder, IAugmentation View, NtXent Objective);

/// <summary>SimSiam (collapse monitored by the generated trainer).</summary>
[SslModel, Projector(Layers = 2), Predictor(Layers = 2)]
public partial record RelSiam(RelGin Encoder, IAugmentation View, SimSiam Objective);

/// <summary>
/// A hand-written augmentation that leaves the first <see cref="CleanCalls"/> calls alone and afterwards
/// multiplies the features by 1e38, which overflows to infinity inside the encoder: a stand-in for data
/// or weights that blow up in the middle of training. ToString is fixed so the run fingerprint does not
/// depend on the call counter.
/// </summary>
public sealed class PoisonAfter(int cleanCalls) : IAugmentation
{
    int calls;
    /// <summary>Calls left untouched.</summary>
    public int CleanCalls { get; } = cleanCalls;

    /// <inheritdoc />
    public GraphBatch Apply(GraphBatch batch, Generator generator)
        => ++calls <= CleanCalls ? batch : batch with { X = batch.X * 1e38f };

    /// <inheritdoc />
    public override string ToString() => $"PoisonAfter({CleanCalls})";
}
