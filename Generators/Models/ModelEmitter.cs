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
            "outputDim", "state", "firstEpoch", "totalSteps", "globalStep", "stdSum", "outputStd", "momentum", "queue", "queue1", "queue2",
            "prototypes", "k1", "k2", "t1", "t2", "keyEncoder", "keyProjector", "targetEncoder", "targetProjector",
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
            var objective = AttributeTable.ByName(spec.Objective.Name)!;
            var state = objective.State;
            // A predictor the objective does not use is not built (GSSL0024 warns about it).
            var heads = spec.Heads.Select(h => new Head(h))
                .Where(h => h.Definition.Stage != HeadStage.Predictor || objective.UsesPredictions).ToList();
            var projectors = heads.Where(h => h.Definition.Stage == HeadStage.Projector).ToList();
            var predictors = heads.Where(h => h.Definition.Stage == HeadStage.Predictor).ToList();
            var encoderRef = Member(encoder.Member);
            var objectiveText = spec.Objective.Text;
            // MoCo's key network or BYOL's target network: an EMA copy of the encoder and the projectors.
            var targetPrefix = state == ObjectiveState.MomentumQueue ? "key" : state == ObjectiveState.MomentumTarget ? "target" : null;
            var t = state == ObjectiveState.MomentumQueue ? "k" : "t";
            string Target(string local) => targetPrefix + char.ToUpperInvariant(local[0]) + local.Substring(1);

            // Documentation: which objective, which heads, how views are made.
            var headText = heads.Count == 0
                ? "on the encoder's embeddings"
                : "on the output of " + string.Join(" followed by ", heads.Select(h => Literals.Xml(h.Definition.Summary) + " <c>" + Literals.Xml(h.Spec.Text) + "</c>"));
            var viewText = views.Length == 1
                ? "both views of every batch are drawn independently from <see cref=\"" + views[0].Member + "\"/>"
                : "view one of every batch is drawn from <see cref=\"" + views[0].Member + "\"/> and view two from <see cref=\"" + views[1].Member + "\"/>";
            w.Line("/// <summary>");
            w.Line("/// Trains <see cref=\"" + encoder.Member + "\"/> self-supervised with " + Literals.Xml(objective.Summary) +
                   " <c>" + Literals.Xml(objectiveText) + "</c>");
            w.Line("/// " + headText + "; " + viewText + ".");
            w.Line("/// The dataset is uploaded to the training device once; batches are gathered and augmented there.");
            w.Line("/// With <see cref=\"global::GraphSSL.TrainOptions.CheckpointDirectory\"/> set, a checkpoint is written after every");
            w.Line("/// <see cref=\"global::GraphSSL.TrainOptions.CheckpointEvery\"/> epochs, and <see cref=\"global::GraphSSL.TrainOptions.Resume\"/> continues from it.");
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
                    var outputDim = input; // size of z1, z2: the last projector's output
                    var headModules = new List<(Head Head, string Expression)>();
                    foreach (var head in heads)
                    {
                        var headInput = input;
                        string? Resolve(string name) => name == "input" ? headInput : head.Spec.Values.FirstOrDefault(v => v.Parameter == name)?.Property;
                        var expression = Template.Render(head.Definition.Template, Resolve);
                        headModules.Add((head, expression));
                        w.Line("// " + head.Spec.Text);
                        w.Line("using var " + head.Local + " = " + expression + ";");
                        w.Line("global::TorchSharp.ModuleExtensionMethods.to(" + head.Local + ", device);");
                        if (head.Definition.OutputDim is not null) input = "(" + Template.Render(head.Definition.OutputDim, Resolve) + ")";
                        if (head.Definition.Stage == HeadStage.Projector) outputDim = input;
                    }
                    bool needsOutputDim = state is ObjectiveState.MomentumQueue or ObjectiveState.Prototypes || objective.MonitorsCollapse;
                    if (needsOutputDim) w.Line("var outputDim = " + StripParentheses(outputDim) + "; // size of the projections z1, z2");

                    var tracked = new List<string> { "encoder" };
                    tracked.AddRange(heads.Select(h => h.Local));
                    var optimized = new List<string>(tracked);
                    var extras = new List<string>();
                    if (targetPrefix is not null)
                    {
                        w.Line("// " + objectiveText + ": the " + (targetPrefix == "key" ? "key" : "target") +
                               " network, an EMA copy of the encoder and projector" + (projectors.Count == 1 ? "" : "s") + " that gets no gradient");
                        w.Line("using var " + Target("encoder") + " = " + encoderRef + ".CreateModule(graphs.FeatureDim);");
                        w.Line("global::TorchSharp.ModuleExtensionMethods.to(" + Target("encoder") + ", device);");
                        w.Line("global::GraphSSL.TargetNetwork.Initialize(" + Target("encoder") + ", encoder);");
                        tracked.Add(Target("encoder"));
                        foreach (var (head, expression) in headModules.Where(h => h.Head.Definition.Stage == HeadStage.Projector))
                        {
                            w.Line("using var " + Target(head.Local) + " = " + expression + ";");
                            w.Line("global::TorchSharp.ModuleExtensionMethods.to(" + Target(head.Local) + ", device);");
                            w.Line("global::GraphSSL.TargetNetwork.Initialize(" + Target(head.Local) + ", " + head.Local + ");");
                            tracked.Add(Target(head.Local));
                        }
                    }
                    if (state == ObjectiveState.MomentumQueue)
                    {
                        w.Line("using var queue = new global::GraphSSL.EmbeddingQueue(QueueSize, outputDim, device, null); // negatives: random unit rows until keys replace them");
                        extras.Add("queue");
                    }
                    if (state == ObjectiveState.Prototypes)
                    {
                        w.Line("// " + objectiveText + ": learnable prototypes, and one embedding queue per view when QueueSize > 0");
                        w.Line("using var prototypes = new global::GraphSSL.Prototypes(Prototypes, outputDim, device);");
                        w.Line("using var queue1 = QueueSize > 0 ? new global::GraphSSL.EmbeddingQueue(QueueSize, outputDim, device, null) : null;");
                        w.Line("using var queue2 = QueueSize > 0 ? new global::GraphSSL.EmbeddingQueue(QueueSize, outputDim, device, null) : null;");
                        tracked.Add("prototypes");
                        optimized.Add("prototypes");
                    }

                    w.Line("using var optimizer = " + Torch + ".optim.Adam(global::GraphSSL.Training.Parameters(" + string.Join(", ", optimized) + "), options.LearningRate, weight_decay: options.WeightDecay);");
                    w.Line("var batches = global::GraphSSL.BatchPlan.Ranges(graphs.GraphCount, options.BatchSize);");
                    w.Line("var losses = new global::System.Collections.Generic.List<double>(options.Epochs);");
                    w.Line("var seconds = new global::System.Collections.Generic.List<double>(options.Epochs);");
                    if (state == ObjectiveState.MomentumTarget)
                        w.Line("var totalSteps = global::System.Math.Max(1L, (long)options.Epochs * batches.Count); // the momentum schedule spans the whole run");

                    // Checkpoints: every module, the optimiser and the objective's state.
                    w.Line("// Checkpoints: modules, optimiser, objective state, generator state, epoch and history");
                    w.Line("var state = new global::GraphSSL.TrainingState(this, data, options, generator)");
                    using (w.Indent())
                    {
                        foreach (var module in tracked) w.Line(".Track(\"" + module + "\", " + module + ")");
                        foreach (var extra in extras) w.Line(".Track(\"" + extra + "\", " + extra + ")");
                        w.Line(".Track(optimizer);");
                    }
                    if (state == ObjectiveState.Prototypes)
                        w.Line("if (queue1 is not null && queue2 is not null) state.Track(\"queue1\", queue1).Track(\"queue2\", queue2);");
                    w.Line("var firstEpoch = state.Restore(losses, seconds); // 1, or the epoch after the checkpoint when resuming");

                    foreach (var module in tracked) w.Line(module + ".train();");
                    using (w.Block("for (int epoch = firstEpoch; epoch <= options.Epochs; epoch++)"))
                    {
                        w.Line("var clock = global::System.Diagnostics.Stopwatch.StartNew();");
                        w.Line("using var epochScope = " + Torch + ".NewDisposeScope();");
                        w.Line("var order = " + Torch + ".randperm(graphs.GraphCount, generator: generator, device: device);");
                        w.Line("var lossSum = " + Torch + ".zeros(1, device: device); // summed on the device, read once per epoch");
                        if (objective.MonitorsCollapse)
                            w.Line("var stdSum = " + Torch + ".zeros(1, device: device); // collapse monitor: output std summed on the device");
                        if (state == ObjectiveState.MomentumTarget)
                            w.Line("var globalStep = (long)(epoch - 1) * batches.Count; // derived from the epoch, so it survives a resume");
                        using (w.Block("foreach (var (start, length) in batches)"))
                        {
                            w.Line("cancellationToken.ThrowIfCancellationRequested();");
                            w.Line("using var stepScope = " + Torch + ".NewDisposeScope();");
                            if (state == ObjectiveState.Prototypes)
                                w.Line("prototypes.Normalize(); // " + objectiveText + ": unit rows before every step");
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
                            if (targetPrefix is not null)
                            {
                                w.Line("// " + (targetPrefix == "key" ? "Keys" : "Targets") + " from the " + targetPrefix + " network (its parameters need no gradient)");
                                foreach (var view in new[] { "1", "2" })
                                {
                                    var k = Target("encoder") + ".forward(view" + view + ")";
                                    foreach (var head in projectors) k = Target(head.Local) + ".forward(" + k + ")";
                                    w.Line("var " + t + view + " = " + k + ".detach();");
                                }
                            }
                            string? ResolveLoss(string name) => name switch
                            {
                                "z1" or "z2" or "p1" or "p2" => name,
                                "t1" or "t2" => t + name.Substring(1),
                                "queue" => "queue.Queue",
                                "prototypes" => "prototypes.Weight",
                                "queue1" => "queue1.Queue",
                                "queue2" => "queue2.Queue",
                                _ => spec.Objective.Values.FirstOrDefault(v => v.Parameter == name)?.Property,
                            };
                            w.Line("// " + objectiveText);
                            if (state == ObjectiveState.Prototypes && objective.QueueTemplate is not null)
                            {
                                w.Line("var loss = queue1 is not null && queue2 is not null && epoch >= QueueStartEpoch");
                                using (w.Indent())
                                {
                                    w.Line("? " + Template.Render(objective.QueueTemplate, ResolveLoss));
                                    w.Line(": " + Template.Render(objective.Template, ResolveLoss) + ";");
                                }
                            }
                            else
                            {
                                w.Line("var loss = " + Template.Render(objective.Template, ResolveLoss) + ";");
                            }
                            w.Line("optimizer.zero_grad();");
                            w.Line("loss.backward();");
                            if (state == ObjectiveState.Prototypes)
                                w.Line("if (epoch <= FreezePrototypesEpochs) prototypes.zero_grad(); // frozen: without a gradient the optimiser leaves them unchanged");
                            w.Line("optimizer.step();");
                            if (targetPrefix is not null)
                            {
                                var m = "Momentum";
                                if (state == ObjectiveState.MomentumTarget)
                                {
                                    w.Line("// " + objectiveText + ": target ← EMA of the online network, momentum on BYOL's cosine schedule");
                                    w.Line("var momentum = global::GraphSSL.Ema.CosineMomentum(BaseMomentum, globalStep++, totalSteps);");
                                    m = "momentum";
                                }
                                else
                                {
                                    w.Line("// " + objectiveText + ": key network ← EMA of the online network; this step's keys join the queue");
                                }
                                w.Line("global::GraphSSL.Ema.Update(" + Target("encoder") + ", encoder, " + m + ");");
                                foreach (var head in projectors) w.Line("global::GraphSSL.Ema.Update(" + Target(head.Local) + ", " + head.Local + ", " + m + ");");
                                if (state == ObjectiveState.MomentumQueue)
                                    w.Line("queue.Enqueue(" + Torch + ".cat(new[] { " + t + "1, " + t + "2 }, 0));");
                            }
                            if (state == ObjectiveState.Prototypes)
                            {
                                w.Line("queue1?.Enqueue(z1); // normalised and detached by the queue");
                                w.Line("queue2?.Enqueue(z2);");
                            }
                            w.Line("lossSum.add_(loss.detach());");
                            if (objective.MonitorsCollapse)
                                w.Line("stdSum.add_(global::GraphSSL.CollapseMonitor.OutputStd(z1));");
                        }
                        if (objective.MonitorsCollapse)
                        {
                            w.Line("var (meanLoss, outputStd) = global::GraphSSL.CollapseReport.ReadEpoch(lossSum, stdSum, batches.Count, epoch); // the epoch's one host read; throws on NaN or infinity");
                            w.Line("losses.Add(meanLoss);");
                            w.Line("seconds.Add(clock.Elapsed.TotalSeconds);");
                            w.Line("progress?.Report(new global::GraphSSL.EpochReport(epoch, options.Epochs, meanLoss, clock.Elapsed.TotalSeconds,");
                            using (w.Indent())
                                w.Line("outputStd, global::GraphSSL.CollapseReport.Warning(outputStd, outputDim)));");
                        }
                        else
                        {
                            w.Line("var meanLoss = global::GraphSSL.Training.ReadEpochLoss(lossSum, batches.Count, epoch); // the epoch's one host read; throws on NaN or infinity");
                            w.Line("losses.Add(meanLoss);");
                            w.Line("seconds.Add(clock.Elapsed.TotalSeconds);");
                            w.Line("progress?.Report(new global::GraphSSL.EpochReport(epoch, options.Epochs, meanLoss, clock.Elapsed.TotalSeconds));");
                        }
                        w.Line("state.Completed(epoch, losses, seconds); // writes a checkpoint when one is due");
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

        /// <summary>"(x)" → "x" when the parentheses enclose the whole expression.</summary>
        private static string StripParentheses(string expression)
        {
            if (expression.Length < 2 || expression[0] != '(' || expression[expression.Length - 1] != ')') return expression;
            int depth = 0;
            for (int i = 0; i < expression.Length - 1; i++)
            {
                if (expression[i] == '(') depth++;
                else if (expression[i] == ')') depth--;
                if (depth == 0) return expression; // closes before the end: "(a) + (b)"
            }
            return expression.Substring(1, expression.Length - 2);
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
