using System.Text.Json;
using System.Text.Json.Serialization;
using GraphSSL.Data;
using GraphSSL.Batching;
using GraphSSL.Training;

namespace GraphSSL.Cli;

/// <summary>A mistake the user can fix: printed as one message, exit code 2.</summary>
public sealed class UserErrorException(string message) : Exception(message);

/// <summary>Exit codes and the guard every command runs inside.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UserError = 2;

    /// <summary>JSON as the tool writes it: indented, snake_case, invariant.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Runs <paramref name="body"/>, turning known user errors into a message and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled.");
            return 130;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk, a read-only folder, a failing device: files already finished (the previous
            // checkpoint, earlier run records) are intact, because every file is written to a temporary
            // name and renamed into place only when complete.
            Console.Error.WriteLine($"error: could not read or write a file: {e.Message} Files written before are intact; free space or fix the folder and run again (--resume continues from the last checkpoint).");
            return Failure;
        }
    }

    static bool IsUserError(Exception e) =>
        e is UserErrorException or DatasetFormatException or ArgumentException or DirectoryNotFoundException or FileNotFoundException
            or CheckpointMismatchException or InvalidDataException or SavedEncoderException or DeviceMemoryException
        || (e is InvalidOperationException && e.Message.Contains("CUDA", StringComparison.Ordinal));

    /// <summary>
    /// Loads a dataset, logging resolution steps to standard error; a download draws a progress bar there when
    /// the tool runs on an interactive terminal (<see cref="Interactive"/>), and nothing when output is redirected.
    /// </summary>
    public static GraphData LoadDataset(string dataset, string? dataDir)
        => DatasetResolver.Resolve(dataset, dataDir, StandardErrorLog.Instance, DownloadProgressBar.ForTerminal(Console.Error, Interactive));

    /// <summary>Loads a node-classification dataset (Cora, CiteSeer, PubMed) as <see cref="LoadDataset"/> loads a TU one: steps and a download's progress on standard error.</summary>
    public static NodeData LoadNodeDataset(string dataset, string? dataDir)
        => DatasetResolver.ResolveNodes(dataset, dataDir, StandardErrorLog.Instance, DownloadProgressBar.ForTerminal(Console.Error, Interactive));

    /// <summary>Writes each message at once, on the caller's thread (<see cref="Progress{T}"/> would post it later, interleaving it with the progress bar).</summary>
    sealed class StandardErrorLog : IProgress<string>
    {
        public static readonly StandardErrorLog Instance = new();
        public void Report(string value) => Console.Error.WriteLine(value);
    }

    /// <summary>Whether to draw progress bars: only on an interactive terminal.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
