using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// The SimSiam paper's collapse indicator: the standard deviation over the batch of the L2-normalised
/// outputs, averaged over dimensions. For outputs spread isotropically over the unit sphere it is about
/// 1/√D; when every output points the same way it goes to 0.
/// </summary>
public static class CollapseMonitor
{
    /// <summary>Fraction of the healthy value 1/√D below which <see cref="IsCollapsed"/> reports collapse: 0.1.</summary>
    public const double CollapseFraction = 0.1;

    /// <summary>
    /// (1/D) Σ_d std_n( z_nd / ‖z_n‖ ), std the unbiased standard deviation over the N rows: a scalar tensor
    /// on <paramref name="z"/>'s device and dtype, without gradient, no host read (accumulate it on the
    /// device and read it once per epoch).
    /// </summary>
    /// <param name="z">Outputs <c>[N, D]</c>, N ≥ 2.</param>
    public static Tensor OutputStd(Tensor z)
    {
        ObjectiveArguments.Matrix(z, nameof(z), minRows: 2);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return Losses.Unit(z.detach()).std(0, unbiased: true).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// True when <paramref name="std"/> (from <see cref="OutputStd"/>) is below
    /// <see cref="CollapseFraction"/>/√<paramref name="dim"/>, a tenth of the isotropic value. NaN is not
    /// reported as collapse (it signals divergence; check it separately).
    /// </summary>
    public static bool IsCollapsed(double std, int dim)
    {
        if (dim < 1) throw new ArgumentException($"The dimension must be at least 1, but was {dim}.", nameof(dim));
        return std < CollapseFraction / Math.Sqrt(dim);
    }
}
