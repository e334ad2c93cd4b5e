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
    /// the order they are written. The record implements <c>GraphSSL.IAugmentation</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class AugmentationAttribute : Attribute { }

    /// <summary>
    /// Declares a self-supervised model. Put it on a positional <c>partial record</c> whose parameters
    /// are an encoder record (declared with <see cref="EncoderAttribute"/>) and one or two
    /// <c>GraphSSL.IAugmentation</c> values, together with exactly one objective attribute (for example
    /// <see cref="NtXentAttribute"/>) and any heads (<see cref="ProjectorAttribute"/>). With one
    /// augmentation parameter both views are drawn from it independently; with two, the first makes
    /// view one and the second view two. The generator emits a specialised <c>Train</c> method.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class SslModelAttribute : Attribute { }
}
