using System.Collections.Generic;

namespace GraphSSL.Generators.Common
{
    /// <summary>
    /// The documentation of every attribute in <see cref="AttributeTable"/>, as the XML doc comment of the attribute
    /// class the generator writes into GraphSSL.Dsl (<see cref="Dsl.DslAttributeEmitter"/>). Hyperparameter facts
    /// (name, type, default, range, summary) are the table's; this is the prose about the attribute as a whole.
    /// </summary>
    internal static class AttributeDocumentation
    {
        private static readonly Dictionary<string, string[]> byName = new Dictionary<string, string[]>
        {
            ["Gin"] = new[]
            {
                "<summary>",
                "Graph Isomorphism Network encoder (Xu et al., 2019) in the study's form: each layer is",
                "<c>MLP(Linear, ReLU, Linear)</c> applied to <c>(1 + ε)·x_v + Σ_{u∈N(v)} x_u</c>, followed by ReLU and",
                "batch normalisation (by default; <see cref=\"Activation\"/>, <see cref=\"MlpBatchNorm\"/> and <see cref=\"BatchNormFirst\"/>",
                "give GraphMAE's layer). The graph embedding is the pooled output of every layer, concatenated",
                "(dimension <see cref=\"Hidden\"/> × <see cref=\"Layers\"/>), unless <see cref=\"JumpingKnowledge\"/> is false.",
                "</summary>",
            },
            ["Gcn"] = new[]
            {
                "<summary>",
                "Graph Convolutional Network encoder (Kipf and Welling, 2017): each layer aggregates symmetric-normalised",
                "neighbour features (with self-loops), then ReLU and batch normalisation. Readout as for <see cref=\"GinAttribute\"/>.",
                "</summary>",
            },
            ["GraphSage"] = new[]
            {
                "<summary>",
                "GraphSAGE encoder (Hamilton et al., 2017) with mean aggregation: each layer combines a node's features",
                "with the mean of its neighbours', then ReLU and batch normalisation. Readout as for <see cref=\"GinAttribute\"/>.",
                "</summary>",
            },
            ["Gat"] = new[]
            {
                "<summary>",
                "Graph Attention Network encoder (Veličković et al., 2018): each layer attends over a node's neighbours",
                "with <see cref=\"Heads\"/> attention heads, then ReLU and batch normalisation. Readout as for <see cref=\"GinAttribute\"/>.",
                "</summary>",
            },
            ["NodeDropping"] = new[]
            {
                "<summary>",
                "Node dropping: from every graph, removes ⌊ratio·n + 0.5⌋ nodes chosen uniformly at random (at",
                "most n − 1, so every graph keeps at least one node), together with every edge touching them.",
                "Dropped nodes are really removed: they do not appear in the pooled readout. Randomness is drawn",
                "per graph from the training run's seeded generator.",
                "</summary>",
            },
            ["EdgePerturbation"] = new[]
            {
                "<summary>",
                "Edge perturbation: removes a share of each graph's edge entries chosen uniformly at random and, when",
                "<see cref=\"AddEdges\"/> is true, adds as many random ones. Randomness is drawn per graph.",
                "</summary>",
            },
            ["AttributeMasking"] = new[]
            {
                "<summary>",
                "Attribute masking: replaces the whole feature rows of a share of each graph's nodes, chosen uniformly at",
                "random, by noise or zeros (<see cref=\"Mode\"/>). Structure is untouched.",
                "</summary>",
            },
            ["Subgraph"] = new[]
            {
                "<summary>",
                "Subgraph: keeps the nodes reached by expanding a neighbourhood from a random node of each graph until",
                "a share 1 − ratio of its nodes is kept; the others are removed with their edges.",
                "</summary>",
            },
            ["FeatureDropout"] = new[]
            {
                "<summary>Feature dropout: zeroes each node feature element independently with probability p (no rescaling).</summary>",
            },
            ["AddEdges"] = new[]
            {
                "<summary>Edge adding: adds random undirected edges inside each graph, a share of its edge entries.</summary>",
            },
            ["Identity"] = new[]
            {
                "<summary>The identity augmentation: the view is the graph itself (e.g. one raw view, one augmented, as in the study).</summary>",
            },
            ["Projector"] = new[]
            {
                "<summary>",
                "Projection head g(·) between the encoder and the objective, as in the study: an MLP of",
                "<see cref=\"Layers\"/> linear layers, each but the last followed by batch norm and ReLU, the last by",
                "batch norm only. The embedding used downstream is the encoder's output, before this head.",
                "</summary>",
            },
            ["Predictor"] = new[]
            {
                "<summary>",
                "Prediction head (SimSiam, BYOL) after the projector: <see cref=\"Layers\"/> − 1 blocks of Linear, batch",
                "norm and ReLU of width <see cref=\"Hidden\"/>, then a Linear back to the projection size.",
                "</summary>",
            },
        };

        /// <summary>The doc comment lines (without "///") of attribute <paramref name="name"/>; a plain summary when none is written.</summary>
        public static IReadOnlyList<string> For(string name, string summary)
            => byName.TryGetValue(name, out var lines) ? lines : new[] { "<summary>" + Literals.Xml(summary) + ".</summary>" };
    }
}
