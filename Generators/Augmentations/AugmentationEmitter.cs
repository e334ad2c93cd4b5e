using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Augmentations
{
    /// <summary><see cref="AugmentationSpec"/> → the record's generated part (hyperparameters, Apply, IDeclared).</summary>
    internal static class AugmentationEmitter
    {
        public const string Role = "Augmentation";

        public static string Emit(AugmentationSpec spec)
        {
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                if (spec.UserMember is null) EmitSteps(w, spec);
                else EmitUserView(w, spec);
            }
            return w.ToString();
        }

        /// <summary>A view the user wrote (Apply or Forward): only its checks and its IDeclared members are generated.</summary>
        private static void EmitUserView(SourceWriter w, AugmentationSpec spec)
        {
            var contract = spec.UserMember == "Forward" ? "global::GraphSSL.Objectives.IEncoderView" : "global::GraphSSL.Augmentations.IAugmentation";
            using (w.Block("partial record " + spec.Type.NameSyntax + " : " + contract + ", global::GraphSSL.IDeclared"))
            {
                DeclaredMembersEmitter.Validate(w, new[] { (spec.Attributes + " " + spec.Type.Name, (System.Collections.Generic.IReadOnlyList<HyperParameterSpec>)spec.Values) });
                DeclaredMembersEmitter.Declared(w, spec.Type, spec.Values);
            }
        }

        /// <summary>An attribute-made augmentation: hyperparameter properties, Apply running the steps in order, IDeclared.</summary>
        private static void EmitSteps(SourceWriter w, AugmentationSpec spec)
        {
            using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.Augmentations.IAugmentation, global::GraphSSL.IDeclared"))
            {
                DeclaredMembersEmitter.Properties(w, spec.Steps);

                var what = string.Join(", then ", spec.Steps.Select(s => AttributeTable.ByName(s.Name)!.Summary + " <c>" + Literals.Xml(s.Text) + "</c>"));
                w.Line("/// <summary>");
                w.Line("/// Returns an augmented copy of <paramref name=\"batch\"/>: " + what + ".");
                w.Line("/// All randomness comes from <paramref name=\"generator\"/> and is drawn per graph.");
                w.Line("/// </summary>");
                w.Line("/// <param name=\"batch\">The batch to augment (not modified).</param>");
                w.Line("/// <param name=\"generator\">The training run's seeded generator, on the batch's device.</param>");
                w.Line("/// <returns>The augmented batch, on the same device, with the same graphs in the same order.</returns>");
                w.Line(Literals.GeneratedCodeAttribute);
                using (w.Block("public global::GraphSSL.Batching.GraphBatch Apply(global::GraphSSL.Batching.GraphBatch batch, global::TorchSharp.torch.Generator generator)"))
                {
                    foreach (var step in spec.Steps)
                    {
                        var definition = AttributeTable.ByName(step.Name)!;
                        w.Line("// " + step.Text);
                        w.Line("batch = " + Template.Render(definition.Template, name => name switch
                        {
                            "batch" => "batch",
                            "generator" => "generator",
                            _ => step.Values.FirstOrDefault(v => v.Parameter == name)?.Property,
                        }) + ";");
                    }
                    w.Line("return batch;");
                }
                w.Line();

                DeclaredMembersEmitter.Declared(w, spec.Type, spec.Values);
            }
        }
    }
}
