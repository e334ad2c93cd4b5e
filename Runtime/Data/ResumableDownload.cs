using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace GraphSSL.Data;

/// <summary>How far a download has got.</summary>
/// <param name="Url">What is being downloaded.</param>
/// <param name="Received">Bytes on disk so far, including bytes resumed from an earlier attempt.</param>
/// <param name="Total">Size of the whole file, when the server says; otherwise <see langword="null"/>.</param>
/// <param name="Done">The file is complete (the last report of a download).</param>
public readonly record struct DownloadProgress(string Url, long Received, long? Total, bool Done = false);

/// <summary>
/// Downloads one URL to a file over HTTP: into <c>destination.part</c>, renamed to the destination only when
/// complete, so a file at the destination is always whole. A connection that breaks mid-body is resumed with an
/// HTTP <c>Range</c> request (guarded by <c>If-Range</c> when the server gave an <c>ETag</c> or
/// <c>Last-Modified</c>); a failed download leaves its <c>.part</c> file, which the next call resumes. A server
/// that sends nothing for <see cref="IdleTimeout"/> (before the headers or between two reads) ends the download
/// with a <see cref="TimeoutException"/> that says so.
/// </summary>
internal sealed class ResumableDownload
{
    static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None, // byte ranges must refer to the file itself
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // IdleTimeout bounds every wait instead
    });

    readonly HttpClient _client;
    readonly IProgress<DownloadProgress>? _progress;

    /// <param name="client">The client to use; the shared default client when <see langword="null"/>.</param>
    /// <param name="progress">Receives progress after every chunk (and once with <see cref="DownloadProgress.Done"/>).</param>
    public ResumableDownload(HttpClient? client = null, IProgress<DownloadProgress>? progress = null)
    {
        _client = client ?? SharedClient.Value;
        _progress = progress;
    }

    /// <summary>Longest wait for the response headers or for the next bytes of the body.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per call, counting resumes after a broken connection.</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>Pause before a resume, multiplied by the attempt number.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Name of the partial file for <paramref name="destination"/>.</summary>
    public static string PartialPath(string destination) => destination + ".part";

    static string ValidatorPath(string destination) => destination + ".part.validator";

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="HttpRequestException">The server answered with an error status (e.g. 404), or could not be reached.</exception>
    /// <exception cref="TimeoutException">The server sent nothing for <see cref="IdleTimeout"/>.</exception>
    /// <exception cref="IOException">The connection kept breaking; the partial file is kept for the next call.</exception>
    public async Task DownloadAsync(string url, string destination, CancellationToken cancellation = default)
    {
        var part = PartialPath(destination);
        var validatorFile = ValidatorPath(destination);
        Exception? last = null;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1 && RetryDelay > TimeSpan.Zero) await Task.Delay(RetryDelay * (attempt - 1), cancellation).ConfigureAwait(false);
            long have = File.Exists(part) ? new FileInfo(part).Length : 0;
            string? validator = have > 0 && File.Exists(validatorFile) ? (await File.ReadAllTextAsync(validatorFile, cancellation).ConfigureAwait(false)).Trim() : null;
            try
            {
                if (await TryOnceAsync(url, part, validatorFile, have, validator, cancellation).ConfigureAwait(false))
                {
                    File.Move(part, destination, overwrite: true);
                    File.Delete(validatorFile);
                    return;
                }
                last = new IOException($"the connection to {url} closed before the whole file arrived");
            }
            catch (HttpRequestException e) when (e.StatusCode is null && attempt < Attempts)
            {
                last = e; // refused or reset before a response: try again
            }
            catch (IOException e)
            {
                last = e; // broke mid-body: resume (what arrived is kept in the partial file)
            }
        }
        long kept = File.Exists(part) ? new FileInfo(part).Length : 0;
        throw new IOException(
            $"{last?.Message ?? "download failed"} ({Attempts} attempts; {FormatBytes(kept)} kept in {Path.GetFileName(part)}, resumed next time)", last);
    }

    /// <summary>One request. True when the file is complete; false when the body ended early (resume).</summary>
    async Task<bool> TryOnceAsync(string url, string part, string validatorFile, long have, string? validator, CancellationToken cancellation)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            if (validator is not null)
            {
                if (EntityTagHeaderValue.TryParse(validator, out var tag)) request.Headers.IfRange = new RangeConditionHeaderValue(tag);
                else if (DateTimeOffset.TryParse(validator, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)) request.Headers.IfRange = new RangeConditionHeaderValue(date);
            }
        }

        idle.CancelAfter(IdleTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out: no response from {url} within {Seconds(IdleTimeout)}");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // What we have does not fit the file on the server (it shrank or changed): start over.
                File.Delete(part);
                File.Delete(validatorFile);
                return false;
            }
            response.EnsureSuccessStatusCode();

            bool resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent
                && response.Content.Headers.ContentRange is { From: { } from } && from == have;
            if (have > 0 && !resumed && response.StatusCode == HttpStatusCode.PartialContent)
                throw new HttpRequestException($"{url} answered a request for bytes {have}- with a different range ({response.Content.Headers.ContentRange})");
            long start = resumed ? have : 0;
            long? total = resumed ? response.Content.Headers.ContentRange!.Length : response.Content.Headers.ContentLength;

            if (!resumed)
            {
                // A fresh (or restarted) download: remember what identifies this version of the file.
                var tag = response.Headers.ETag?.ToString()
                    ?? response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture);
                if (tag is not null) await File.WriteAllTextAsync(validatorFile, tag, cancellation).ConfigureAwait(false);
                else File.Delete(validatorFile);
            }

            long received = start;
            var target = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (target.ConfigureAwait(false))
            {
                idle.CancelAfter(IdleTimeout);
                Stream body;
                try
                {
                    body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw Stalled(url, received, total);
                }
                await using (body.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    _progress?.Report(new DownloadProgress(url, received, total));
                    while (true)
                    {
                        idle.CancelAfter(IdleTimeout);
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                        {
                            await target.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                            throw Stalled(url, received, total);
                        }
                        if (read == 0) break;
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                        received += read;
                        _progress?.Report(new DownloadProgress(url, received, total));
                    }
                }
                target.Flush(flushToDisk: true);
            }
            if (total is { } expected && received != expected)
            {
                if (received > expected)
                {
                    File.Delete(part);
                    throw new IOException($"{url} sent {FormatBytes(received)}, more than the {FormatBytes(expected)} it announced");
                }
                return false;
            }
            _progress?.Report(new DownloadProgress(url, received, total, Done: true));
            return true;
        }
    }

    TimeoutException Stalled(string url, long received, long? total)
        => new($"timed out: {url} sent no data for {Seconds(IdleTimeout)} after {FormatBytes(received)}"
            + (total is { } t ? $" of {FormatBytes(t)}" : "") + " (the partial file is kept and resumed next time)");

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>Bytes as "812 B", "74.2 KB", "2.7 MB" (powers of 1,000), invariant culture.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1_000 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1_000_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1_000_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };
}

/// <summary>
/// Draws a one-line download progress bar (<c>\r</c>-redrawn) on an interactive terminal. Nothing is drawn when
/// output goes to a file or a pipe: <see cref="ForTerminal"/> then returns <see langword="null"/>.
/// </summary>
public sealed class DownloadProgressBar : IProgress<DownloadProgress>
{
    const int Width = 30;
    readonly TextWriter _writer;
    readonly TimeProvider _time;
    long _lastDrawn = long.MinValue;
    int _lastLength;

    DownloadProgressBar(TextWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    /// <summary>
    /// A bar writing to <paramref name="writer"/> when <paramref name="isTerminal"/> (for standard error:
    /// <c>!Console.IsErrorRedirected</c>, plus <c>!Console.IsOutputRedirected</c> when the program's output should
    /// stay clean), otherwise <see langword="null"/>: no bar, no carriage returns in logs.
    /// </summary>
    public static DownloadProgressBar? ForTerminal(TextWriter writer, bool isTerminal, TimeProvider? time = null)
        => isTerminal ? new DownloadProgressBar(writer, time ?? TimeProvider.System) : null;

    /// <summary>Redraws at most ten times a second, and always for the final report.</summary>
    public void Report(DownloadProgress value)
    {
        long now = _time.GetTimestamp();
        if (!value.Done && _lastDrawn != long.MinValue && _time.GetElapsedTime(_lastDrawn, now) < TimeSpan.FromMilliseconds(100)) return;
        _lastDrawn = now;
        string name = Uri.TryCreate(value.Url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : value.Url;
        string line;
        if (value.Total is { } total && total > 0)
        {
            double fraction = Math.Clamp((double)value.Received / total, 0, 1);
            int filled = (int)Math.Round(fraction * Width);
            line = string.Create(CultureInfo.InvariantCulture, $"{name} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}% ")
                + $"{ResumableDownload.FormatBytes(value.Received)} / {ResumableDownload.FormatBytes(total)}";
        }
        else
        {
            line = $"{name} {ResumableDownload.FormatBytes(value.Received)}";
        }
        // Pad over a longer previous line; a newline when done so the next message starts on its own line.
        _writer.Write("\r" + line.PadRight(_lastLength) + (value.Done ? Environment.NewLine : ""));
        _writer.Flush();
        _lastLength = value.Done ? 0 : line.Length;
    }
}
