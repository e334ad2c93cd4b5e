using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Encoders
{
    /// <summary><see cref="EncoderSpec"/> → the record's generated part (hyperparameters, module factory, IDeclared).</summary>
    internal static class EncoderEmitter
    {
        public const string Role = "Encoder";

        public static string Emit(EncoderSpec spec)
        {
            var definition = AttributeTable.ByName(spec.Kind.Name)!;
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.Layers.IGraphEncoder, global::GraphSSL.IDeclared"))
                {
                    DeclaredMembersEmitter.Properties(w, new[] { spec.Kind });

                    string? Resolve(string name) => name switch
                    {
                        "inputDim" => "inputDim",
                        _ => spec.Kind.Values.FirstOrDefault(v => v.Parameter == name)?.Property,
                    };

                    w.Line("/// <summary>");
                    w.Line("/// Size of the graph embedding the module produces, from <c>" + Literals.Xml(spec.Kind.Text) + "</c>.");
                    w.Line("/// </summary>");
                    w.Line(Literals.GeneratedCodeAttribute);
                    w.Line("public int EmbeddingDim => " + Template.Render(definition.EmbeddingDim ?? "0", Resolve) + ";");
                    w.Line();

                    w.Line("/// <summary>");
                    w.Line("/// Creates the TorchSharp module of " + Literals.Xml(definition.Summary) + " for <paramref name=\"inputDim\"/> node features,");
                    w.Line("/// freshly initialised, with this record's current hyperparameters (declared as <c>" + Literals.Xml(spec.Kind.Text) + "</c>).");
                    w.Line("/// </summary>");
                    w.Line("/// <param name=\"inputDim\">Number of node feature columns.</param>");
                    w.Line(Literals.GeneratedCodeAttribute);
                    using (w.Block("public global::GraphSSL.Layers.EncoderModule CreateModule(int inputDim)"))
                    {
                        w.Line("// " + spec.Kind.Text);
                        w.Line("return " + Template.Render(definition.Template, Resolve) + ";");
                    }
                    w.Line();

                    DeclaredMembersEmitter.Declared(w, spec.Type, spec.Kind.Values.ToList());
                }
            }
            return w.ToString();
        }
    }
}
