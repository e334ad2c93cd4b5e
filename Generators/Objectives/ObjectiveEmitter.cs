using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Objectives
{
    /// <summary>
    /// <see cref="ObjectiveSpec"/> → the record's generated part: Validate, the lifecycle members the record
    /// did not write itself (so every objective implements <c>IObjective&lt;TState&gt;</c> the same way), and
    /// the IDeclared implementation.
    /// </summary>
    internal static class ObjectiveEmitter
    {
        public const string Role = "Objective";

        private const string Tensor = "global::TorchSharp.torch.Tensor";
        private const string Views = "global::GraphSSL.Objectives.Views";

        public static string Emit(ObjectiveSpec spec)
        {
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.Objectives.IObjective<" + spec.State + ">"))
                {
                    var values = spec.Values.ToList();
                    DeclaredMembersEmitter.Validate(w, new[] { (spec.Attributes + " " + spec.Type.Name, (System.Collections.Generic.IReadOnlyList<HyperParameterSpec>)values) });
                    if (spec.StateType is null)
                    {
                        w.Line("/// <summary>" + Literals.Xml(spec.Type.Name) + " keeps nothing between steps: its state is an empty <see cref=\"global::GraphSSL.Objectives.ObjectiveState\"/>.</summary>");
                        w.Line(Literals.GeneratedCodeAttribute);
                        w.Line("public " + ObjectiveSpec.NoState + " Start(global::GraphSSL.Objectives.ObjectiveContext context) => new " + ObjectiveSpec.NoState + "();");
                        w.Line();
                        w.Line("/// <summary>This step's loss: <see cref=\"Loss(" + Views + ")\"/> (the state is empty).</summary>");
                        w.Line(Literals.GeneratedCodeAttribute);
                        w.Line("public " + Tensor + " Loss(" + Views + " views, " + ObjectiveSpec.NoState + " state) => Loss(views);");
                        w.Line();
                    }
                    if (!spec.HasAfterStep)
                    {
                        w.Line("/// <summary>Nothing to update after the optimiser step.</summary>");
                        w.Line(Literals.GeneratedCodeAttribute);
                        w.Line("public void AfterStep(" + Views + " views, " + spec.State + " state) { }");
                        w.Line();
                    }
                    DeclaredMembersEmitter.Declared(w, spec.Type, values);
                }
            }
            return w.ToString();
        }
    }
}
