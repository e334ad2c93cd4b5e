using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

/// <summary>GraphMAE's node-level (attention) decoder against its definition.</summary>
public class GraphMaeDecoderTests
{
    // A star 0 ← 1, 2, 3 plus the edge 4 → 1: node 0 has three in-neighbours, node 4 none (only its self-loop).
    static readonly Tensor Edges = torch.tensor(new long[,] { { 1, 2, 3, 4 }, { 0, 0, 0, 1 } });

    [Fact]
    public void Equal_inputs_decode_to_the_same_row_whatever_the_degree()
    {
        // Attention weights sum to 1 over each node's incoming edges and self-loop, so a constant input gives a
        // constant output: unlike the GIN decoder's sum, the degree does not scale the reconstruction.
        torch.manual_seed(1);
        using var decoder = new GraphMae.GatDecoder(4, 6, heads: 2, attentionDropout: 0, torch.CPU);
        var h = torch.randn(1, 4).expand(5, -1).contiguous();
        using var x = decoder.Forward(h, Edges);
        Assert.Equal(new long[] { 5, 6 }, x.shape);
        for (int v = 1; v < 5; v++) Assert.True(x[v].allclose(x[0], rtol: 1e-5, atol: 1e-6), $"row {v} differs from row 0");
    }

    [Fact]
    public void A_node_without_in_neighbours_decodes_from_itself_and_a_re_masked_one_from_its_neighbours()
    {
        torch.manual_seed(2);
        using var decoder = new GraphMae.GatDecoder(4, 6, heads: 1, attentionDropout: 0, torch.CPU);
        var h = torch.randn(5, 4);
        using var base_ = decoder.Forward(h, Edges);

        // Node 4 sees only its self-loop: changing node 0's input leaves it unchanged, changing its own changes it.
        var other = h.clone(); other[0] = torch.randn(4);
        using var afterOther = decoder.Forward(other, Edges);
        Assert.True(afterOther[4].allclose(base_[4]));
        var own = h.clone(); own[4] = torch.randn(4);
        using var afterOwn = decoder.Forward(own, Edges);
        Assert.False(afterOwn[4].allclose(base_[4]));

        // Node 0 re-masked (input 0): its reconstruction is the attention-weighted mean of W·h over 1, 2, 3 and its
        // zero self-loop, plus the bias — so it moves when a neighbour's input does.
        var masked = h.clone(); masked[0] = torch.zeros(4);
        using var m1 = decoder.Forward(masked, Edges);
        var neighbour = masked.clone(); neighbour[2] = torch.randn(4);
        using var m2 = decoder.Forward(neighbour, Edges);
        Assert.False(m2[0].allclose(m1[0]));
    }

    [Fact]
    public void Gradients_reach_the_projection_the_attention_vectors_and_the_bias()
    {
        torch.manual_seed(3);
        using var decoder = new GraphMae.GatDecoder(4, 6, heads: 2, attentionDropout: 0, torch.CPU);
        var h = torch.randn(5, 4).requires_grad_();
        decoder.Forward(h, Edges).pow(2).sum().backward();
        var parameters = decoder.named_parameters().ToList();
        Assert.Equal(4, parameters.Count);
        foreach (var (name, p) in parameters)
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
        Assert.True(h.grad!.abs().sum().item<float>() > 0);
    }
}
