using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>A positional parameter of an [SslModel] record: the encoder or an augmentation.</summary>
    /// <param name="Member">Parameter (and property) name, e.g. "Encoder".</param>
    /// <param name="TypeName">Type name as shown in the catalog, e.g. "MolGin".</param>
    /// <param name="TypeSyntax">Type as emitted, e.g. "global::Chem.MolGin".</param>
    /// <param name="IsEncoder">Encoder (true) or augmentation (false).</param>
    internal sealed record ComponentSpec(string Member, string TypeName, string TypeSyntax, bool IsEncoder);

    /// <summary>An [SslModel] record: its components in declaration order, its objective and its heads in order.</summary>
    internal sealed record ModelSpec(
        TypeSpec Type, string Attributes, EquatableArray<ComponentSpec> Components, AttributeSpec Objective, EquatableArray<AttributeSpec> Heads)
    {
        public ComponentSpec Encoder => Components.First(c => c.IsEncoder);

        public ComponentSpec[] Views => Components.Where(c => !c.IsEncoder).ToArray();
    }
}
