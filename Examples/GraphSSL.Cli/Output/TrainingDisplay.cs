using System.Globalization;
using GraphSSL.Cli.Pipeline;
using Spectre.Console;
using GraphSSL.Training;

namespace GraphSSL.Cli.Output;

/// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}

/// <summary>
/// How training shows on the console: one line per epoch on <paramref name="log"/> (standard error), or a progress
/// bar on an interactive terminal; <paramref name="onEpoch"/> sees every epoch's report either way (TensorBoard).
/// </summary>
public sealed class TrainingDisplay(TextWriter log, Action<EpochReport>? onEpoch = null)
{
    public TrainResult<ISslModel> Run(string modelName, int epochs, Func<IProgress<EpochReport>?, TrainResult<ISslModel>> train)
    {
        if (!Cli.Interactive || log == TextWriter.Null)
        {
            return train(new SynchronousProgress<EpochReport>(r =>
            {
                log.WriteLine($"epoch {r.Epoch,4}/{r.Epochs}  loss {r.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}  {r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s"
                              + (r.OutputStd is double std ? $"  output std {std.ToString("0.0000", CultureInfo.InvariantCulture)}" : ""));
                if (r.Warning is not null) log.WriteLine($"warning: {r.Warning}");
                onEpoch?.Invoke(r);
            }));
        }
        TrainResult<ISslModel>? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"training {Markup.Escape(modelName)}", maxValue: Math.Max(1, epochs));
                result = train(new SynchronousProgress<EpochReport>(r =>
                {
                    task.Description = $"epoch {r.Epoch}/{r.Epochs} loss {r.Loss.ToString("0.0000", CultureInfo.InvariantCulture)}";
                    task.Increment(1);
                    if (r.Warning is not null) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(r.Warning)}");
                    onEpoch?.Invoke(r);
                }));
            });
        return result!;
    }
}

/// <summary><c>reproduce</c>'s observer: only the training display.</summary>
public sealed class DisplayObserver(TrainingDisplay display) : IRunObserver
{
    public TrainResult<ISslModel> Training(RunJob job, Func<IProgress<EpochReport>?, TrainResult<ISslModel>> train)
        => display.Run(job.Model.DeclaredName, job.Options.Epochs, train);
}

/// <summary><c>sweep</c>'s observer: the epochs go to the run's TensorBoard folder, when there is one; nothing is shown.</summary>
public sealed class TensorBoardObserver(TensorBoardLog? tensorBoard) : IRunObserver
{
    public TrainResult<ISslModel> Training(RunJob job, Func<IProgress<EpochReport>?, TrainResult<ISslModel>> train)
        => train(tensorBoard is null ? null : new SynchronousProgress<EpochReport>(r => tensorBoard.Epoch(r, job.Options.LearningRateAt(r.Epoch))));
}
