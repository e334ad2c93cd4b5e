using System.Collections.Generic;
using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Layers
{
    /// <summary><see cref="LayerSpec"/> → the record's generated part: the IGraphLayer contract, Validate and IDeclared.</summary>
    internal static class LayerEmitter
    {
        public const string Role = "Layer";

        public static string Emit(LayerSpec spec)
        {
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.Layers.IGraphLayer, global::GraphSSL.IDeclared"))
                {
                    var values = spec.Values.ToList();
                    DeclaredMembersEmitter.Validate(w, new[] { (spec.Attributes + " " + spec.Type.Name, (IReadOnlyList<HyperParameterSpec>)values) });
                    DeclaredMembersEmitter.Declared(w, spec.Type, values);
                }
            }
            return w.ToString();
        }
    }
}
