using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for download tests: one request per connection
/// (<c>Connection: close</c>), byte ranges (<c>Range: bytes=N-</c>, <c>If-Range</c> against the ETag), and the
/// failures a real network produces on demand: a connection cut mid-body, a stall before the headers or
/// mid-body, a body without Content-Length. Every wait is bounded; disposing stops everything.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentBag<TcpClient> _clients = [];
    readonly Task _accepting;
    int _served;

    /// <param name="handler">Answers a request; gets the request and its 0-based number.</param>
    public LoopbackHttpServer(Func<Request, int, Reply> handler)
    {
        Handler = handler;
        _listener.Start();
        _accepting = Task.Run(AcceptLoop);
    }

    public Func<Request, int, Reply> Handler { get; set; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Body bytes sent over all responses.</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytes);
    long _bodyBytes;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A URL format for <c>DatasetResolver.Sources.UrlFormat</c>: <c>http://127.0.0.1:PORT/{0}.zip</c>.</summary>
    public string UrlFormat => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{{0}}.zip";

    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Range => Headers.GetValueOrDefault("range");
    }

    /// <param name="Status">Status code of a full response (200, 404, …).</param>
    /// <param name="Body">The whole file; a range request gets a slice of it.</param>
    public sealed record Reply(int Status, byte[] Body)
    {
        public bool HonourRange { get; init; } = true;
        /// <summary>Close the connection after this many body bytes of this response (Content-Length still announced in full).</summary>
        public long? CutAfter { get; init; }
        /// <summary>Send this many body bytes, then nothing more (connection kept open until the client gives up).</summary>
        public long? StallAfter { get; init; }
        /// <summary>Accept the request and never answer.</summary>
        public bool StallBeforeHeaders { get; init; }
        /// <summary>Send the body without Content-Length, ending it by closing the connection.</summary>
        public bool OmitContentLength { get; init; }
        public string? ETag { get; init; } = "\"v1\"";

        public static Reply NotFound() => new(404, "not found"u8.ToArray());
    }

    async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _clients.Add(client);
            _ = Task.Run(() => Serve(client));
        }
    }

    async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var request = await ReadRequest(stream, timeout.Token);
            if (request is null) return;
            Requests.Enqueue(request);
            var reply = Handler(request, Interlocked.Increment(ref _served) - 1);
            if (reply.StallBeforeHeaders)
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
                return;
            }

            int status = reply.Status;
            long from = 0, length = reply.Body.Length;
            string? contentRange = null;
            if (status == 200 && reply.HonourRange && request.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
                && (!request.Headers.TryGetValue("if-range", out var ifRange) || ifRange == reply.ETag))
            {
                from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
                if (from >= length)
                {
                    status = 416;
                    contentRange = $"bytes */{length}";
                    from = length = 0;
                }
                else
                {
                    status = 206;
                    contentRange = $"bytes {from}-{length - 1}/{length}";
                    length -= from;
                }
            }

            var head = new StringBuilder();
            head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
            if (!reply.OmitContentLength) head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
            if (contentRange is not null) head.Append(CultureInfo.InvariantCulture, $"Content-Range: {contentRange}\r\n");
            if (reply.ETag is not null && status is 200 or 206) head.Append(CultureInfo.InvariantCulture, $"ETag: {reply.ETag}\r\n");
            head.Append("Accept-Ranges: bytes\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);

            long send = length;
            if (reply.CutAfter is { } cut) send = Math.Min(send, cut);
            if (reply.StallAfter is { } stall) send = Math.Min(send, stall);
            // Send in small chunks so the client sees progress.
            for (long sent = 0; sent < send;)
            {
                int chunk = (int)Math.Min(16 * 1024, send - sent);
                await stream.WriteAsync(reply.Body.AsMemory((int)(from + sent), chunk), timeout.Token);
                sent += chunk;
                Interlocked.Add(ref _bodyBytes, chunk);
            }
            await stream.FlushAsync(timeout.Token);
            if (reply.StallAfter is not null && send < length) await Task.Delay(Timeout.Infinite, timeout.Token);
            // CutAfter: returning closes the connection with the body incomplete, like a dropped link.
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    static async Task<Request?> ReadRequest(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        int filled = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellation);
            if (read == 0) return null;
            filled += read;
            var text = Encoding.ASCII.GetString(buffer, 0, filled);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var parts = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
                }
                return new Request(parts[0], parts.Length > 1 ? parts[1] : "/", headers);
            }
            if (filled == buffer.Length) return null;
        }
    }

    static string Reason(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        _ => "Status",
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _clients) client.Dispose();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
