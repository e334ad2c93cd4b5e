using TorchSharp;
using TorchSharp.Modules;
using GraphSSL.Training;

namespace GraphSSL.Cli.Output;

/// <summary>
/// TensorBoard event files for one training run, written with TorchSharp's own
/// <c>torch.utils.tensorboard.SummaryWriter</c> into a folder of its own under the <c>--tensorboard</c> root
/// (so <c>tensorboard --logdir ROOT</c> shows one run per training run). Per epoch (step = epoch, 1-based):
/// <c>train/loss</c> (the epoch's mean loss: the generated loop reads the loss once per epoch, never inside a
/// step), <c>train/learning_rate</c>, <c>train/epoch_seconds</c> and <c>train/output_std</c> (the collapse
/// monitor); after evaluation, at step = epochs: <c>eval/…</c> accuracies. Every event carries the real Unix
/// time (whole seconds: TorchSharp's <c>walltime</c> is an integer).
/// </summary>
public sealed class TensorBoardLog
{
    readonly SummaryWriter writer;

    TensorBoardLog(string directory)
    {
        Directory = directory;
        writer = torch.utils.tensorboard.SummaryWriter(directory);
    }

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// Opens a run folder <c>ROOT/RUN</c>; when that folder already holds event files (the same run name
    /// trained again), <c>RUN-2</c>, <c>RUN-3</c>, … so two runs never share a folder.
    /// </summary>
    public static TensorBoardLog Create(string root, string runName)
    {
        var name = Sanitize(runName);
        var baseDir = Path.GetFullPath(Path.Combine(root, name));
        var dir = baseDir;
        for (int k = 2; System.IO.Directory.Exists(dir) && System.IO.Directory.EnumerateFiles(dir, "events.out.tfevents.*").Any(); k++)
            dir = $"{baseDir}-{k}";
        return new TensorBoardLog(dir);
    }

    /// <summary>The epoch's scalars, at step <see cref="EpochReport.Epoch"/>.</summary>
    public void Epoch(EpochReport report, double learningRate)
    {
        var now = Now();
        writer.add_scalar("train/loss", (float)report.Loss, report.Epoch, now);
        writer.add_scalar("train/learning_rate", (float)learningRate, report.Epoch, now);
        writer.add_scalar("train/epoch_seconds", (float)report.Seconds, report.Epoch, now);
        if (report.OutputStd is double std) writer.add_scalar("train/output_std", (float)std, report.Epoch, now);
    }

    /// <summary>One scalar at <paramref name="step"/>, stamped now.</summary>
    public void Scalar(string tag, double value, int step) => writer.add_scalar(tag, (float)value, step, Now());

    /// <summary><c>train</c>'s evaluation: trained and untrained accuracy (and the few-label ones) at step <paramref name="step"/>.</summary>
    public void Evaluation(EvaluationReport evaluation, int step)
    {
        Scalar("eval/accuracy_trained", evaluation.Trained.Accuracy, step);
        Scalar("eval/accuracy_untrained", evaluation.Untrained.Accuracy, step);
        if (evaluation.Trained.FewLabelAccuracy is double ft) Scalar("eval/few_label_accuracy_trained", ft, step);
        if (evaluation.Untrained.FewLabelAccuracy is double fu) Scalar("eval/few_label_accuracy_untrained", fu, step);
    }

    /// <summary>Unix time in seconds: TorchSharp's SummaryWriter takes the wall time as whole seconds.</summary>
    static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
