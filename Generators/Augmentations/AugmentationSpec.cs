using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary>An [Augmentation] record: its steps in the order written.</summary>
    internal sealed record AugmentationSpec(TypeSpec Type, string Attributes, EquatableArray<AttributeSpec> Steps);
}
