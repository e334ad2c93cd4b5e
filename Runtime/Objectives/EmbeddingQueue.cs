using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Training;

namespace GraphSSL.Objectives;

/// <summary>
/// A fixed-size ring buffer of L2-normalised embeddings on one device: the negatives of MoCo and the
/// memory of SwAV. New rows overwrite the oldest ones; the write position (<see cref="Pointer"/>) is kept
/// on the host, so enqueuing never reads the device.
/// </summary>
/// <remarks>
/// <see cref="Queue"/> aliases the buffer, and <see cref="Enqueue"/> writes into it in place: enqueue after
/// the backward pass of the loss that used the queue (the usual order: loss, backward, optimiser step,
/// enqueue), or autograd reports an in-place modification. The state for checkpoints is
/// <see cref="State"/> / <see cref="Load(IReadOnlyDictionary{string, Tensor})"/>, or, through
/// <see cref="ICheckpointState"/>, <see cref="Save(BinaryWriter)"/> / <see cref="Load(BinaryReader)"/>.
/// </remarks>
public sealed class EmbeddingQueue : IDisposable, ICheckpointState
{
    /// <summary>Key of the queue tensor <c>[Size, Dim]</c> in <see cref="State"/>.</summary>
    public const string QueueKey = "queue";
    /// <summary>Key of the write position, an int64 scalar tensor on the CPU, in <see cref="State"/>.</summary>
    public const string PointerKey = "pointer";
    /// <summary>Key of the number of rows written so far (capped at Size), an int64 scalar tensor on the CPU, in <see cref="State"/>.</summary>
    public const string FilledKey = "filled";

    readonly Tensor buffer;
    bool disposed;

    /// <summary>
    /// A float32 queue of <paramref name="size"/> rows of <paramref name="dim"/> columns on
    /// <paramref name="device"/>, filled with random unit rows (standard normal draws, normalised) from
    /// <paramref name="generator"/> (the global generator when null). The draws are made on the
    /// generator's device and then moved to <paramref name="device"/>.
    /// </summary>
    public EmbeddingQueue(int size, int dim, Device device, torch.Generator? generator)
        : this(size, dim, device, generator, ScalarType.Float32)
    {
    }

    /// <summary>As <see cref="EmbeddingQueue(int, int, Device, torch.Generator?)"/> with an explicit floating-point <paramref name="dtype"/>.</summary>
    public EmbeddingQueue(int size, int dim, Device device, torch.Generator? generator, ScalarType dtype)
    {
        if (size < 1) throw new ArgumentException($"The queue size must be at least 1, but was {size}.", nameof(size));
        if (dim < 1) throw new ArgumentException($"The embedding dimension must be at least 1, but was {dim}.", nameof(dim));
        ArgumentNullException.ThrowIfNull(device);
        if (!torch.is_floating_point(dtype))
            throw new ArgumentException($"The queue dtype must be a floating-point type, but was {dtype}.", nameof(dtype));
        Size = size;
        Dim = dim;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var draws = torch.randn(size, dim, dtype: dtype, device: generator?.device ?? device, generator: generator);
        buffer = Losses.Unit(draws).to(device).contiguous().DetachFromDisposeScope();
    }

    /// <summary>Rows in the queue.</summary>
    public int Size { get; }
    /// <summary>Columns (embedding dimension).</summary>
    public int Dim { get; }
    /// <summary>Device of the buffer.</summary>
    public Device Device => buffer.device;
    /// <summary>Element type of the buffer.</summary>
    public ScalarType DType => buffer.dtype;

    /// <summary>
    /// The queue <c>[Size, Dim]</c>: a detached alias of the buffer (no copy, no gradient), owned by the
    /// caller's dispose scope. Row <see cref="Pointer"/> is the oldest entry and the next to be overwritten.
    /// </summary>
    public Tensor Queue
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return buffer.detach();
        }
    }

    /// <summary>The row the next enqueued key is written to, in 0 … Size − 1.</summary>
    public long Pointer { get; private set; }

    /// <summary>How many rows hold enqueued keys (the rest still hold the initial random rows), capped at <see cref="Size"/>.</summary>
    public long Filled { get; private set; }

    /// <summary>Whether every row holds an enqueued key (SwAV uses its queues only from then on, as its reference does).</summary>
    public bool IsFull => Filled == Size;

    /// <summary>
    /// Writes the L2-normalised, detached rows of <paramref name="keys"/> <c>[B, Dim]</c> at
    /// <see cref="Pointer"/>, wrapping around to row 0, and advances the pointer by B modulo Size. When
    /// B &gt; Size only the last Size keys are kept, at the positions they would have reached one by one.
    /// Keys are converted to the queue's dtype and must be on its device.
    /// </summary>
    public void Enqueue(Tensor keys)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ObjectiveArguments.Matrix(keys, nameof(keys));
        if (keys.shape[1] != Dim)
            throw new ArgumentException($"keys must have {Dim} columns like the queue, but has shape [{string.Join(", ", keys.shape)}].", nameof(keys));
        if (keys.device_type != buffer.device_type || keys.device_index != buffer.device_index)
            throw new ArgumentException($"keys must be on the queue's device {buffer.device}, but is on {keys.device}.", nameof(keys));
        long b = keys.shape[0];
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var rows = Losses.Unit(keys.detach());
        long skipped = Math.Max(0, b - Size);
        long m = b - skipped;
        if (skipped > 0) rows = rows.narrow(0, skipped, m);
        long start = (Pointer + skipped) % Size;
        long first = Math.Min(m, Size - start);
        buffer.narrow(0, start, first).copy_(rows.narrow(0, 0, first));
        if (m > first) buffer.narrow(0, 0, m - first).copy_(rows.narrow(0, first, m - first));
        Pointer = (Pointer + b) % Size;
        Filled = Math.Min(Size, Filled + b);
    }

    /// <summary>
    /// A copy of the state for a checkpoint: <see cref="QueueKey"/> → clone of the queue <c>[Size, Dim]</c>
    /// on its device, <see cref="PointerKey"/> → the pointer as an int64 scalar on the CPU. The tensors
    /// belong to the caller's dispose scope.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> State()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return new Dictionary<string, Tensor>
        {
            [QueueKey] = buffer.detach().clone(),
            [PointerKey] = torch.tensor(Pointer, dtype: ScalarType.Int64),
            [FilledKey] = torch.tensor(Filled, dtype: ScalarType.Int64),
        };
    }

    /// <summary>
    /// Restores a state written by <see cref="State"/> (from any device; copied into this queue's buffer).
    /// Reads the pointer to the host once.
    /// </summary>
    public void Load(IReadOnlyDictionary<string, Tensor> state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue(QueueKey, out var queue) || !state.TryGetValue(PointerKey, out var pointer))
            throw new ArgumentException($"An embedding-queue state needs the entries '{QueueKey}' and '{PointerKey}'.", nameof(state));
        if (queue.dim() != 2 || queue.shape[0] != Size || queue.shape[1] != Dim)
            throw new ArgumentException(
                $"The saved queue has shape [{string.Join(", ", queue.shape)}], but this queue is [{Size}, {Dim}].", nameof(state));
        if (pointer.numel() != 1)
            throw new ArgumentException("The saved pointer must be a scalar.", nameof(state));
        long p = pointer.to(ScalarType.Int64).cpu().item<long>();
        if (p < 0 || p >= Size)
            throw new ArgumentException($"The saved pointer {p} is outside 0 … {Size - 1}.", nameof(state));
        long filled = Size;
        if (state.TryGetValue(FilledKey, out var f))
        {
            filled = f.to(ScalarType.Int64).cpu().item<long>();
            if (filled < 0 || filled > Size)
                throw new ArgumentException($"The saved fill count {filled} is outside 0 … {Size}.", nameof(state));
        }
        using var noGrad = torch.no_grad();
        buffer.copy_(queue);
        Pointer = p;
        Filled = filled;
    }

    /// <summary>
    /// Writes the checkpoint state: the pointer, then the queue tensor (read to the host; called at epoch
    /// ends only).
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Pointer);
        writer.Write(Filled);
        using var copy = buffer.detach().cpu();
        copy.Save(writer);
    }

    /// <summary>Restores what <see cref="Save(BinaryWriter)"/> wrote, checking the shape and pointer.</summary>
    public void Load(BinaryReader reader)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(reader);
        long p = reader.ReadInt64();
        long f = reader.ReadInt64();
        using var queue = Tensor.Load(reader);
        using var pointer = torch.tensor(p, dtype: ScalarType.Int64);
        using var filled = torch.tensor(f, dtype: ScalarType.Int64);
        Load(new Dictionary<string, Tensor> { [QueueKey] = queue, [PointerKey] = pointer, [FilledKey] = filled });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        buffer.Dispose();
    }
}
