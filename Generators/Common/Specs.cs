using System.Linq;

namespace GraphSSL.Generators.Common
{
    /// <summary>Where a declared record lives. <see cref="Namespace"/> is "" for the global namespace.</summary>
    internal sealed record TypeSpec(string Namespace, string Name)
    {
        /// <summary>"Ns.Name" (what <c>Declaration.FullName</c> shows).</summary>
        public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;

        /// <summary>"global::Ns.Name", keywords escaped.</summary>
        public string Syntax => "global::" + string.Join(".", FullName.Split('.').Select(Literals.Identifier));

        /// <summary>The type's own name as an identifier.</summary>
        public string NameSyntax => Literals.Identifier(Name);

        /// <summary>{Namespace}.{Type}.{Role}.g.cs</summary>
        public string HintName(string role) => FullName + "." + role + ".g.cs";
    }

    /// <summary>One generated hyperparameter property with its declared default.</summary>
    /// <param name="Property">Generated property name, e.g. "Ratio", "ProjectorLayers", "NodeDropping1Ratio".</param>
    /// <param name="Parameter">The attribute's parameter name, e.g. "Layers".</param>
    /// <param name="Attribute">The attribute's name, e.g. "Projector".</param>
    /// <param name="Kind">Value type.</param>
    /// <param name="TypeSyntax">C# type as emitted, e.g. "int", "global::GraphSSL.Pooling".</param>
    /// <param name="TypeDisplay">Type as shown in HyperParameter.Type, e.g. "int", "Pooling".</param>
    /// <param name="Literal">C# expression of the default, e.g. "0.2", "global::GraphSSL.Pooling.Sum".</param>
    /// <param name="Text">Invariant text of the default, e.g. "0.2", "Sum", "true".</param>
    /// <param name="Range">Accepted values.</param>
    /// <param name="Summary">Description for the property's doc comment.</param>
    internal sealed record HyperParameterSpec(
        string Property, string Parameter, string Attribute, ValueKind Kind, string TypeSyntax, string TypeDisplay,
        string Literal, string Text, ValueRange Range, string Summary);

    /// <summary>One GraphSSL attribute as applied: its name, its text as written in brackets ("[Gin(Layers = 3)]") and its values.</summary>
    internal sealed record AttributeSpec(string Name, string Text, EquatableArray<HyperParameterSpec> Values);

    /// <summary>A parser's answer: the spec when code can be generated, and the diagnostics found.</summary>
    internal sealed record ParseResult<T>(T? Spec, EquatableArray<DiagnosticInfo> Diagnostics) where T : class;
}
