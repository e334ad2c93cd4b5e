using TorchSharp;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Cli.Expressions
{
    /// <summary>
    /// A view expression that is not one declaration (<c>a + b</c>, <c>RandomChoice(…)</c>) in a model's IAugmentation
    /// slot: applies <see cref="Inner"/> and reports <see cref="Text"/> as its name, so reports and sweeps show it.
    /// </summary>
    public sealed record ExpressionView(IAugmentation Inner, string Text) : IAugmentation, IDeclared
    {
        /// <inheritdoc />
        public GraphBatch Apply(GraphBatch batch, torch.Generator generator) => Inner.Apply(batch, generator);

        string IDeclared.DeclaredName => Text;

        IReadOnlyList<HyperParameter> IDeclared.HyperParameters => Array.Empty<HyperParameter>();

        IDeclared IDeclared.WithHyperParameter(string name, string value)
            => throw new ArgumentException($"View '{Text}' has no hyperparameters to set; write them in the expression.", nameof(name));
    }
}
