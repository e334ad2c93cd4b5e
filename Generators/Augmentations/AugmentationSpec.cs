using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>
    /// An [Augmentation] record: either its steps in the order written (attributes), or — a view the user
    /// wrote — its positional hyperparameters and the member it wrote itself.
    /// </summary>
    /// <param name="Steps">Augmentation attributes, applied in order (empty for a user-written view).</param>
    /// <param name="Own">Hyperparameters of a user-written view: its positional parameters.</param>
    /// <param name="UserMember">"Apply" (a view of the graph) or "Forward" (a view made by a changed encoder) when the user wrote it; null otherwise.</param>
    internal sealed record AugmentationSpec(TypeSpec Type, string Attributes, EquatableArray<AttributeSpec> Steps,
        EquatableArray<HyperParameterSpec> Own, string? UserMember)
    {
        /// <summary>Every hyperparameter, in order.</summary>
        public HyperParameterSpec[] Values => UserMember is null ? Steps.SelectMany(s => s.Values).ToArray() : Own.ToArray();
    }
}
