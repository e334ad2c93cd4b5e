using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>Argument checks shared by the objectives: shapes, dtypes and devices only (no host reads of values).</summary>
internal static class ObjectiveArguments
{
    /// <summary>Throws unless <paramref name="t"/> is a 2-D floating-point tensor with at least <paramref name="minRows"/> rows and one column.</summary>
    public static void Matrix(Tensor t, string name, long minRows = 1)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != 2)
            throw new ArgumentException($"{name} must be a 2-D tensor [N, D], but has shape [{string.Join(", ", t.shape)}].", name);
        if (!torch.is_floating_point(t))
            throw new ArgumentException($"{name} must be float32 or float64, but is {t.dtype}.", name);
        if (t.shape[0] < minRows)
            throw new ArgumentException(minRows >= 2
                ? $"{name} needs at least {minRows} rows (batch statistics or negatives need N ≥ {minRows}), but has {t.shape[0]}."
                : $"{name} needs at least {minRows} row, but has {t.shape[0]}.", name);
        if (t.shape[1] < 1)
            throw new ArgumentException($"{name} needs at least one column, but has shape [{string.Join(", ", t.shape)}].", name);
    }

    /// <summary>Throws unless <paramref name="a"/> and <paramref name="b"/> are matrices of the same shape, dtype and device.</summary>
    public static void Pair(Tensor a, string nameA, Tensor b, string nameB, long minRows = 1)
    {
        Matrix(a, nameA, minRows);
        Matrix(b, nameB, minRows);
        if (a.shape[0] != b.shape[0] || a.shape[1] != b.shape[1])
            throw new ArgumentException(
                $"{nameA} and {nameB} must have the same shape, but are [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].", nameB);
        SameKind(a, nameA, b, nameB);
    }

    /// <summary>Throws unless both tensors share dtype and device.</summary>
    public static void SameKind(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.dtype != b.dtype)
            throw new ArgumentException($"{nameA} and {nameB} must have the same dtype, but are {a.dtype} and {b.dtype}.", nameB);
        if (a.device_type != b.device_type || a.device_index != b.device_index)
            throw new ArgumentException($"{nameA} and {nameB} must be on the same device, but are on {a.device} and {b.device}.", nameB);
    }

    /// <summary>
    /// Throws unless the temperature is <see cref="ValueRange.Positive"/> (the rule a declared <c>Temperature</c>
    /// hyperparameter has, from <see cref="ValueRanges"/>) and finite.
    /// </summary>
    public static void Temperature(double temperature, string name = "temperature")
    {
        ValueRange.Positive.Check(temperature, name);
        Finite(temperature, name);
    }

    /// <summary>Throws unless the value is <see cref="ValueRange.NonNegative"/> and finite.</summary>
    public static void NonNegative(double value, string name)
    {
        ValueRange.NonNegative.Check(value, name);
        Finite(value, name);
    }

    static void Finite(double value, string name)
    {
        if (double.IsInfinity(value)) throw new ArgumentException($"{name} must be finite, was {value}.", name);
    }
}
