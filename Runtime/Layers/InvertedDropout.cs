using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>
/// Dropout as <c>torch.nn.functional.dropout</c> computes it (each element zeroed with probability p, the rest
/// scaled by 1 / (1 − p); the identity when not training or p = 0), but drawn from an explicit generator: the
/// trainer's, whose state every checkpoint keeps, so a resumed run draws the same masks as an uninterrupted one.
/// </summary>
public static class InvertedDropout
{
    /// <summary>
    /// <paramref name="x"/> with dropout <paramref name="p"/> when <paramref name="training"/>; draws nothing (and
    /// returns <paramref name="x"/> itself) when p is 0 or not training, so models without dropout draw the same
    /// random numbers as before it existed.
    /// </summary>
    /// <param name="x">Any tensor.</param>
    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="training">Whether the calling module is in training mode.</param>
    /// <param name="generator">The generator the mask is drawn from; null: torch's global generator.</param>
    public static Tensor Apply(Tensor x, double p, bool training, Generator? generator)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1).");
        if (!training || p == 0) return x;
        using var scope = torch.NewDisposeScope();
        using var drop = p.ToScalar();
        using var kept = (1 - p).ToScalar();
        var keep = torch.rand(x.shape, dtype: x.dtype, device: x.device, generator: generator).ge_(drop);
        return x.mul(keep).div_(kept).MoveToOuterDisposeScope();
    }
}
