using System.Collections.Generic;
using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>
    /// <see cref="ModelSpec"/> → the record's generated part: objective and head hyperparameters,
    /// Validate, the specialised Train loop, and the ISslModel / IDeclared implementations.
    /// </summary>
    internal static class ModelEmitter
    {
        public const string Role = "Model";

        private const string Torch = "global::TorchSharp.torch";

        /// <summary>Locals and parameters of the generated Train method; members with these names are reached through <c>this.</c>.</summary>
        private static readonly HashSet<string> Locals = new HashSet<string>
        {
            "data", "options", "progress", "cancellationToken", "device", "generator", "graphs", "encoder", "optimizer",
            "batches", "losses", "seconds", "epoch", "clock", "epochScope", "order", "lossSum", "start", "length",
            "stepScope", "batch", "view1", "view2", "z1", "z2", "p1", "p2", "loss", "meanLoss", "projector", "predictor", "r",
        };

        private sealed class Head
        {
            public Head(AttributeSpec spec)
            {
                Spec = spec;
                Definition = AttributeTable.ByName(spec.Name)!;
                Local = DeclarationReader.Camel(spec.Name);
            }

            public AttributeSpec Spec { get; }
            public AttributeDefinition Definition { get; }
            public string Local { get; }
        }

        public static string Emit(ModelSpec spec)
        {
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.ISslModel"))
                {
                    var attributes = new[] { spec.Objective }.Concat(spec.Heads).ToList();
                    DeclaredMembersEmitter.Properties(w, attributes);
                    WriteValidate(w, attributes);
                    WriteTrain(w, spec);
                    WriteUntypedTrain(w, spec);
                    DeclaredMembersEmitter.Declared(w, spec.Type, attributes.SelectMany(a => a.Values).ToList());
                }
            }
            return w.ToString();
        }

        private static string Member(string name)
            => Locals.Contains(name) ? "this." + Literals.Identifier(name) : Literals.Identifier(name);

        private static void WriteValidate(SourceWriter w, List<AttributeSpec> attributes)
        {
            w.Line("/// <summary>");
            w.Line("/// Checks the hyperparameters that may have been changed at run time and throws");
            w.Line("/// <see cref=\"global::System.ArgumentException\"/> naming the first one out of range.");
            w.Line("/// </summary>");
            w.Line(Literals.GeneratedCodeAttribute);
            using (w.Block("public void Validate()"))
            {
                foreach (var attribute in attributes)
                {
                    var ranged = attribute.Values.Where(v => v.Range != RangeRule.None).ToList();
                    if (ranged.Count == 0) continue;
                    w.Line("// " + attribute.Text);
                    foreach (var value in ranged)
                    {
                        w.Line("if (" + DeclaredMembersEmitter.OutOfRange(value) + ")");
                        using (w.Indent())
                        {
                            w.Line("throw new global::System.ArgumentException(\"" + value.Property + " must be " +
                                   DeclaredMembersEmitter.RangeText(value.Range) + ", was \" + " +
                                   DeclaredMembersEmitter.CurrentText(value) + " + \".\", nameof(" + value.Property + "));");
                        }
                    }
                }
            }
            w.Line();
        }

        private static void WriteTrain(SourceWriter w, ModelSpec spec)
        {
            var encoder = spec.Encoder;
            var views = spec.Views;
            var heads = spec.Heads.Select(h => new Head(h)).ToList();
            var objective = AttributeTable.ByName(spec.Objective.Name)!;
            var encoderRef = Member(encoder.Member);

            // Documentation: which objective, which heads, how views are made.
            var headText = heads.Count == 0
                ? "on the encoder's embeddings"
                : "on the output of " + string.Join(" followed by ", heads.Select(h => Literals.Xml(h.Definition.Summary) + " <c>" + Literals.Xml(h.Spec.Text) + "</c>"));
            var viewText = views.Length == 1
                ? "both views of every batch are drawn independently from <see cref=\"" + views[0].Member + "\"/>"
                : "view one of every batch is drawn from <see cref=\"" + views[0].Member + "\"/> and view two from <see cref=\"" + views[1].Member + "\"/>";
            w.Line("/// <summary>");
            w.Line("/// Trains <see cref=\"" + encoder.Member + "\"/> self-supervised with " + Literals.Xml(objective.Summary) +
                   " <c>" + Literals.Xml(spec.Objective.Text) + "</c>");
            w.Line("/// " + headText + "; " + viewText + ".");
            w.Line("/// The dataset is uploaded to the training device once; batches are gathered and augmented there.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"data\">The graphs to train on.</param>");
            w.Line("/// <param name=\"options\">Epochs, batch size, learning rate, seed and device; defaults when null.</param>");
            w.Line("/// <param name=\"progress\">Receives a report after every epoch.</param>");
            w.Line("/// <param name=\"cancellationToken\">Checked between steps.</param>");
            w.Line("/// <returns>The loss history and the trained encoder (dispose the result to free it).</returns>");
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("public global::GraphSSL.TrainResult<" + spec.Type.NameSyntax + "> Train(global::GraphSSL.GraphData data, global::GraphSSL.TrainOptions? options = null,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.EpochReport>? progress = null, global::System.Threading.CancellationToken cancellationToken = default)");
            using (w.Block(null))
            {
                w.Line("Validate();");
                w.Line("options = (options ?? new global::GraphSSL.TrainOptions()).Validate();");
                w.Line("var device = options.ResolveDevice();");
                w.Line("var generator = global::GraphSSL.Training.Seed(options, device); // seeds initialisation; returns the shuffling and augmentation generator");
                w.Line("using var graphs = global::GraphSSL.DeviceGraphs.Upload(data, device);");
                w.Line();
                w.Line("// [Encoder] " + encoder.TypeName);
                w.Line("var encoder = " + encoderRef + ".CreateModule(graphs.FeatureDim);");
                w.Line("global::TorchSharp.ModuleExtensionMethods.to(encoder, device);");
                w.Line("try");
                using (w.Block(null))
                {
                    var input = encoderRef + ".EmbeddingDim";
                    foreach (var head in heads)
                    {
                        var headInput = input;
                        string? Resolve(string name) => name == "input" ? headInput : head.Spec.Values.FirstOrDefault(v => v.Parameter == name)?.Property;
                        w.Line("// " + head.Spec.Text);
                        w.Line("using var " + head.Local + " = " + Template.Render(head.Definition.Template, Resolve) + ";");
                        w.Line("global::TorchSharp.ModuleExtensionMethods.to(" + head.Local + ", device);");
                        if (head.Definition.OutputDim is not null) input = "(" + Template.Render(head.Definition.OutputDim, Resolve) + ")";
                    }
                    var modules = string.Join(", ", new[] { "encoder" }.Concat(heads.Select(h => h.Local)));
                    w.Line("using var optimizer = " + Torch + ".optim.Adam(global::GraphSSL.Training.Parameters(" + modules + "), options.LearningRate, weight_decay: options.WeightDecay);");
                    w.Line("var batches = global::GraphSSL.BatchPlan.Ranges(graphs.GraphCount, options.BatchSize);");
                    w.Line("var losses = new global::System.Collections.Generic.List<double>(options.Epochs);");
                    w.Line("var seconds = new global::System.Collections.Generic.List<double>(options.Epochs);");
                    w.Line("encoder.train();");
                    foreach (var head in heads) w.Line(head.Local + ".train();");
                    using (w.Block("for (int epoch = 1; epoch <= options.Epochs; epoch++)"))
                    {
                        w.Line("var clock = global::System.Diagnostics.Stopwatch.StartNew();");
                        w.Line("using var epochScope = " + Torch + ".NewDisposeScope();");
                        w.Line("var order = " + Torch + ".randperm(graphs.GraphCount, generator: generator, device: device);");
                        w.Line("var lossSum = " + Torch + ".zeros(1, device: device); // summed on the device, read once per epoch");
                        using (w.Block("foreach (var (start, length) in batches)"))
                        {
                            w.Line("cancellationToken.ThrowIfCancellationRequested();");
                            w.Line("using var stepScope = " + Torch + ".NewDisposeScope();");
                            w.Line("var batch = graphs.Gather(order.narrow(0, start, length));");
                            if (views.Length == 1)
                            {
                                w.Line("// Two views, both drawn from " + views[0].Member);
                                w.Line("var view1 = " + Member(views[0].Member) + ".Apply(batch, generator);");
                                w.Line("var view2 = " + Member(views[0].Member) + ".Apply(batch, generator);");
                            }
                            else
                            {
                                w.Line("// " + views[0].Member + " for view one, " + views[1].Member + " for view two");
                                w.Line("var view1 = " + Member(views[0].Member) + ".Apply(batch, generator);");
                                w.Line("var view2 = " + Member(views[1].Member) + ".Apply(batch, generator);");
                            }
                            var projectors = heads.Where(h => h.Definition.Stage == HeadStage.Projector).ToList();
                            var predictors = heads.Where(h => h.Definition.Stage == HeadStage.Predictor).ToList();
                            foreach (var view in new[] { "1", "2" })
                            {
                                var z = "encoder.forward(view" + view + ")";
                                foreach (var head in projectors) z = head.Local + ".forward(" + z + ")";
                                w.Line("var z" + view + " = " + z + ";");
                            }
                            if (predictors.Count > 0)
                            {
                                foreach (var view in new[] { "1", "2" })
                                {
                                    var p = "z" + view;
                                    foreach (var head in predictors) p = head.Local + ".forward(" + p + ")";
                                    w.Line("var p" + view + " = " + p + ";");
                                }
                            }
                            w.Line("// " + spec.Objective.Text);
                            w.Line("var loss = " + Template.Render(objective.Template, name => name switch
                            {
                                "z1" or "z2" or "p1" or "p2" => name,
                                _ => spec.Objective.Values.FirstOrDefault(v => v.Parameter == name)?.Property,
                            }) + ";");
                            w.Line("optimizer.zero_grad();");
                            w.Line("loss.backward();");
                            w.Line("optimizer.step();");
                            w.Line("lossSum.add_(loss.detach());");
                        }
                        w.Line("var meanLoss = global::GraphSSL.Training.ReadEpochLoss(lossSum, batches.Count, epoch); // the epoch's one host read; throws on NaN or infinity");
                        w.Line("losses.Add(meanLoss);");
                        w.Line("seconds.Add(clock.Elapsed.TotalSeconds);");
                        w.Line("progress?.Report(new global::GraphSSL.EpochReport(epoch, options.Epochs, meanLoss, clock.Elapsed.TotalSeconds));");
                    }
                    w.Line("return new global::GraphSSL.TrainResult<" + spec.Type.NameSyntax + ">(this, options, losses, seconds, new global::GraphSSL.TrainedEncoder(encoder, device, " +
                           encoderRef + ".EmbeddingDim));");
                }
                w.Line("catch");
                using (w.Block(null))
                {
                    w.Line("encoder.Dispose();");
                    w.Line("throw;");
                }
            }
            w.Line();
        }

        private static void WriteUntypedTrain(SourceWriter w, ModelSpec spec)
        {
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("global::GraphSSL.TrainResult<global::GraphSSL.ISslModel> global::GraphSSL.ISslModel.Train(global::GraphSSL.GraphData data, global::GraphSSL.TrainOptions? options,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.EpochReport>? progress, global::System.Threading.CancellationToken cancellationToken)");
            using (w.Block(null))
            {
                w.Line("var r = Train(data, options, progress, cancellationToken);");
                w.Line("return new global::GraphSSL.TrainResult<global::GraphSSL.ISslModel>(r.Model, r.Options, r.Losses, r.EpochSeconds, r.Encoder);");
            }
            w.Line();
        }
    }
}
