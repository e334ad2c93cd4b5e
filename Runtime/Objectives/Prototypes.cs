using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// SwAV's K learnable prototype vectors as a module: one parameter <see cref="Weight"/> <c>[K, D]</c>
/// (registered as "weight", so it is saved with checkpoints and trained by the optimiser).
/// Initialised with standard normal draws from torch's global generator (seeded by
/// <see cref="Training.TrainingLoop.Seed"/>, like every other parameter) and L2-normalised row by row.
/// </summary>
public sealed class Prototypes : nn.Module
{
    readonly Parameter weight;

    /// <summary>Creates <paramref name="count"/> unit prototypes of <paramref name="dim"/> columns on <paramref name="device"/>.</summary>
    /// <param name="count">K ≥ 2 (with one prototype every code is identical).</param>
    /// <param name="dim">D ≥ 1, the size of the embeddings they score.</param>
    /// <param name="device">Where the parameter lives; the CPU when null.</param>
    public Prototypes(int count, int dim, Device? device = null) : base(nameof(Prototypes))
    {
        if (count < 2) throw new ArgumentException($"SwAV needs at least 2 prototypes, but was given {count}.", nameof(count));
        if (dim < 1) throw new ArgumentException($"The prototype dimension must be at least 1, but was {dim}.", nameof(dim));
        Count = count;
        Dim = dim;
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            var draws = torch.randn(count, dim, device: device ?? torch.CPU);
            weight = new Parameter(Losses.Unit(draws).contiguous().DetachFromDisposeScope(), requires_grad: true);
        }
        RegisterComponents();
    }

    /// <summary>K, the number of prototypes.</summary>
    public int Count { get; }
    /// <summary>D, the prototype dimension.</summary>
    public int Dim { get; }
    /// <summary>The prototypes <c>[K, D]</c>, rows of unit length after <see cref="Normalize"/>.</summary>
    public Parameter Weight => weight;

    /// <summary>L2-normalises every row in place without gradient (SwAV does this before every step).</summary>
    public void Normalize() => Losses.NormalizePrototypes(weight);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) weight.Dispose();
        base.Dispose(disposing);
    }
}
