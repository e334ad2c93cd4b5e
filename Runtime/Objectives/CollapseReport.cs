using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Training;

namespace GraphSSL.Objectives;

/// <summary>
/// The end of an epoch for objectives that watch for representation collapse (SimSiam, BYOL): the summed
/// loss and summed output std are read from the device together (one host read), and turned into the
/// <see cref="EpochReport.OutputStd"/> and <see cref="EpochReport.Warning"/> of the report.
/// </summary>
public static class CollapseReport
{
    /// <summary>
    /// Reads <paramref name="lossSum"/> and <paramref name="stdSum"/> (sums over the epoch's steps, one element
    /// each, on any device) in one transfer and returns their means over <paramref name="steps"/>. Throws
    /// <see cref="TrainingDivergedException"/> when the mean loss is NaN or infinite.
    /// </summary>
    public static (double Loss, double OutputStd) ReadEpoch(Tensor lossSum, Tensor stdSum, int steps, int epoch)
    {
        ArgumentNullException.ThrowIfNull(lossSum);
        ArgumentNullException.ThrowIfNull(stdSum);
        if (lossSum.numel() != 1 || stdSum.numel() != 1)
            throw new ArgumentException("lossSum and stdSum must hold one element each.");
        using var scope = torch.NewDisposeScope();
        var loss64 = lossSum.detach().reshape(1).to(ScalarType.Float64);
        var std64 = stdSum.detach().reshape(1).to(ScalarType.Float64).to(loss64.device);
        var both = torch.cat(new[] { loss64, std64 }, 0).cpu().data<double>().ToArray(); // the one host read
        int n = Math.Max(1, steps);
        double loss = both[0] / n, std = both[1] / n;
        if (double.IsNaN(loss) || double.IsInfinity(loss))
            throw new TrainingDivergedException(epoch, loss);
        return (loss, std);
    }

    /// <summary>
    /// The warning for an epoch whose mean output std (<see cref="CollapseMonitor.OutputStd"/>) signals collapse
    /// (<see cref="CollapseMonitor.IsCollapsed"/>), e.g. "representation collapse: output std 0.003 ≪ 1/√D = 0.088
    /// (D = 128) …"; null when healthy.
    /// </summary>
    /// <param name="outputStd">The epoch's mean output std.</param>
    /// <param name="dim">D, the dimension of the monitored outputs.</param>
    public static string? Warning(double outputStd, int dim)
    {
        if (!CollapseMonitor.IsCollapsed(outputStd, dim)) return null;
        var healthy = 1 / Math.Sqrt(dim);
        return string.Format(CultureInfo.InvariantCulture,
            "representation collapse: output std {0:0.###} ≪ 1/√D = {1:0.###} (D = {2}): every output (graph, or node at node level) points in nearly the same direction. " +
            "Check the predictor and stop-gradient, lower the learning rate, or use stronger augmentations " +
            "(a masked autoencoder's embeddings can share a large common direction and still probe well: judge GraphMAE by its probe).",
            outputStd, healthy, dim);
    }
}
