using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Runtime.Tests.Layers;

/// <summary>What the C# kernel tests compare: a tensor's floats on the host, and two runs' floats within a relative tolerance.</summary>
static class KernelAsserts
{
    /// <summary>The values of <paramref name="t"/> (detached, contiguous; empty for an empty tensor, which TorchSharp's accessor refuses).</summary>
    public static float[] Floats(Tensor t) => t.numel() == 0 ? [] : t.detach().contiguous().data<float>().ToArray();

    /// <summary>Asserts equal lengths and <c>|e − a| ≤ tolerance · (1 + |e|)</c> element by element.</summary>
    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
    }
}
