using System;

namespace GraphSSL
{
    /// <summary>
    /// Declares a graph encoder. Put it on a <c>partial record</c> together with exactly one encoder-kind
    /// attribute such as <see cref="GinAttribute"/>. The generator adds the hyperparameters as init
    /// properties (defaults from the attribute) and a factory for the TorchSharp module.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class EncoderAttribute : Attribute { }

    /// <summary>
    /// Declares a graph augmentation. Put it on a <c>partial record</c> together with one or more
    /// augmentation attributes (for example <see cref="NodeDroppingAttribute"/>); several are applied in
    /// the order they are written. Or write your own: no augmentation attribute, positional parameters as
    /// hyperparameters, and a member <c>public GraphBatch Apply(GraphBatch batch, Generator generator)</c>.
    /// The record implements <c>GraphSSL.IAugmentation</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class AugmentationAttribute : Attribute { }

    /// <summary>
    /// Declares a self-supervised model. Put it on a positional <c>partial record</c> whose parameters
    /// are its components, as values: one encoder (a record declared with <see cref="EncoderAttribute"/>),
    /// its views (<c>GraphSSL.IAugmentation</c> values for the graph, <c>GraphSSL.IEncoderView</c> values that
    /// perturb the encoder) and one or more objectives (records declared with <see cref="ObjectiveAttribute"/>;
    /// several are summed with the weights of <see cref="WeightAttribute"/>), together with any heads
    /// (<see cref="ProjectorAttribute"/>, <see cref="PredictorAttribute"/>). With one view parameter every view
    /// the objectives read is drawn from it independently; with several, the first makes view one, the second
    /// view two, and so on. The generator emits a specialised <c>Train</c> method.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class SslModelAttribute : Attribute
    {
        /// <summary>
        /// Node-level (transductive) self-supervision: every step encodes all the graphs as one batch, the
        /// heads and objectives see node embeddings (<c>ViewOutput.H</c> is <c>ViewOutput.Nodes</c>) and the
        /// model also trains on a <c>GraphSSL.NodeData</c> (Cora, CiteSeer); the trained encoder embeds nodes
        /// (<c>TrainedEncoder.EmbedNodes</c>). Default false: graph-level, mini-batches of graphs.
        /// </summary>
        public bool NodeLevel { get; set; }
    }

    /// <summary>
    /// Declares a message-passing layer of your own: a <c>partial record</c> whose positional parameters are its
    /// hyperparameters (each with a default) and which has <c>public int OutputDim(int inputDim)</c> and
    /// <c>public nn.Module&lt;Tensor, GraphBatch, Tensor&gt; CreateModule(int inputDim)</c>. The record implements
    /// <c>GraphSSL.IGraphLayer</c>; stack layers of any kinds into an encoder with <c>GraphSSL.LayerStack</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class LayerAttribute : Attribute { }
}
