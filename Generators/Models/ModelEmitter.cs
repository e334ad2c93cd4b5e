using System.Collections.Generic;
using System.Linq;
using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Models
{
    /// <summary>
    /// <see cref="ModelSpec"/> → the record's generated part: head hyperparameters (and objective weights when
    /// the model sums several), Validate, the specialised Train loop, and the ISslModel / IDeclared members.
    /// The loop has one shape for every model: what differs between objectives lives in each objective's own
    /// type and is reached through the one lifecycle (Start, Prepare, Loss, AfterStep, state checkpoint).
    /// </summary>
    internal static class ModelEmitter
    {
        public const string Role = "Model";

        private const string Torch = "global::TorchSharp.torch";

        /// <summary>Locals and parameters of the generated Train method; members with these names are reached through <c>this.</c>.</summary>
        private static readonly HashSet<string> Locals = new HashSet<string>
        {
            "data", "options", "progress", "cancellationToken", "device", "generator", "graphs", "network", "context", "optimizer",
            "batches", "losses", "seconds", "epoch", "clock", "epochScope", "order", "lossSum", "stdSum", "start", "length",
            "stepScope", "batch", "views", "loss", "meanLoss", "outputStd", "state", "firstEpoch", "step", "r",
        };

        private sealed class Head
        {
            public Head(AttributeSpec spec)
            {
                Spec = spec;
                Definition = AttributeTable.ByName(spec.Name)!;
            }

            public AttributeSpec Spec { get; }
            public AttributeDefinition Definition { get; }
        }

        public static string Emit(ModelSpec spec)
        {
            var w = new SourceWriter();
            using (DeclaredMembersEmitter.Header(w, spec.Type))
            {
                using (w.Block("partial record " + spec.Type.NameSyntax + " : global::GraphSSL.Training.ISslModel" + (spec.NodeLevel ? ", global::GraphSSL.Training.INodeLevelModel" : "")))
                {
                    var weights = Weights(spec);
                    DeclaredMembersEmitter.Properties(w, spec.Heads);
                    WeightProperties(w, spec, weights);
                    var groups = spec.Heads.Select(h => (h.Text, (IReadOnlyList<HyperParameterSpec>)h.Values.ToList())).ToList();
                    if (weights.Count > 0) groups.Add(("Objective weights", weights));
                    DeclaredMembersEmitter.Validate(w, groups, spec.Objectives.Select(o => Member(o.Member) + ".Validate();"));
                    WriteTrain(w, spec);
                    WriteUntypedTrain(w, spec);
                    if (spec.NodeLevel) WriteNodeTrain(w, spec);
                    DeclaredMembersEmitter.Declared(w, spec.Type, spec.Heads.SelectMany(a => a.Values).Concat(weights).ToList());
                }
            }
            return w.ToString();
        }

        private static string Member(string name)
            => Locals.Contains(name) || name.EndsWith("State", System.StringComparison.Ordinal) || name.EndsWith("WeightScalar", System.StringComparison.Ordinal)
                ? "this." + Literals.Identifier(name) : Literals.Identifier(name);

        /// <summary>The local holding an objective's state: "Objective" → "objectiveState".</summary>
        private static string StateLocal(ComponentSpec objective) => DeclarationReader.Camel(objective.Member) + "State";

        /// <summary>The local holding an objective's weight as a Scalar: "Contrast" → "contrastWeightScalar".</summary>
        private static string WeightLocal(ComponentSpec objective) => DeclarationReader.Camel(objective.Member) + "WeightScalar";

        /// <summary>A model summing several objectives weighs each: one <c>{Member}Weight</c> property per objective.</summary>
        private static List<HyperParameterSpec> Weights(ModelSpec spec)
            => spec.Objectives.Length < 2
                ? new List<HyperParameterSpec>()
                : spec.Objectives.Select(o => new HyperParameterSpec(o.Member + "Weight", "Weight", "Weight", ValueKind.Double, "double", "double",
                    o.Weight, WeightText(o.Weight), ValueRange.NonNegative,
                    "Weight of " + o.Member + " (" + o.TypeName + ") in the summed loss.")).ToList();

        /// <summary>The text of a weight literal (<see cref="Literals.DoubleLiteral"/>): "0.1" → "0.1", "double.PositiveInfinity" → "Infinity".</summary>
        private static string WeightText(string literal)
            => double.TryParse(literal, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? Literals.DoubleText(value)
                : literal.Replace("double.", "").Replace("PositiveInfinity", "Infinity").Replace("NegativeInfinity", "-Infinity");

        private static void WeightProperties(SourceWriter w, ModelSpec spec, List<HyperParameterSpec> weights)
        {
            foreach (var weight in weights)
            {
                w.Line("/// <summary>");
                w.Line("/// " + Literals.Xml(weight.Summary) + " Default " + Literals.Xml(weight.Text) + ".");
                w.Line("/// </summary>");
                w.Line(Literals.GeneratedCodeAttribute);
                w.Line("public double " + weight.Property + " { get; init; } = " + weight.Literal + ";");
                w.Line();
            }
        }

        private static void WriteTrain(SourceWriter w, ModelSpec spec)
        {
            var encoder = spec.Encoder;
            var views = spec.Views;
            var objectives = spec.Objectives;
            var viewCount = spec.ViewCount;
            // A predictor no objective reads is not built (GSSL0024 warns about it).
            var heads = spec.Heads.Select(h => new Head(h))
                .Where(h => h.Definition.Stage != HeadStage.Predictor || spec.UsesPredictor).ToList();
            var encoderRef = Member(encoder.Member);

            // Documentation: which objectives, which heads, how views are made.
            var headText = heads.Count == 0
                ? "on the encoder's embeddings"
                : "on the output of " + string.Join(" followed by ", heads.Select(h => Literals.Xml(h.Definition.Summary) + " <c>" + Literals.Xml(h.Spec.Text) + "</c>"));
            var viewText = views.Length == 1
                ? (viewCount == 1 ? "the view of every batch is drawn from <see cref=\"" + Literals.Identifier(views[0].Member) + "\"/>"
                    : "the " + Count(viewCount).ToLowerInvariant() + " views of every batch are drawn independently from <see cref=\"" + Literals.Identifier(views[0].Member) + "\"/>")
                : "view " + string.Join(", view ", views.Select((v, i) => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " from <see cref=\"" + Literals.Identifier(v.Member) + "\"/>"));
            var objectiveText = string.Join(" + ", objectives.Select(o => "<see cref=\"" + Literals.Identifier(o.Member) + "\"/> (" + o.TypeName + ")"));
            w.Line("/// <summary>");
            w.Line("/// Trains <see cref=\"" + Literals.Identifier(encoder.Member) + "\"/> self-supervised with " + objectiveText);
            w.Line("/// " + headText + "; " + viewText + ".");
            w.Line(spec.NodeLevel
                ? "/// Node level: the dataset is uploaded to the training device once and every step is one batch of all its graphs (transductive, full graph)."
                : "/// The dataset is uploaded to the training device once; batches are gathered and augmented there.");
            w.Line("/// With <see cref=\"global::GraphSSL.Training.TrainOptions.CheckpointDirectory\"/> set, a checkpoint is written after every");
            w.Line("/// <see cref=\"global::GraphSSL.Training.TrainOptions.CheckpointEvery\"/> epochs, and <see cref=\"global::GraphSSL.Training.TrainOptions.Resume\"/> continues from it.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"data\">The graphs to train on.</param>");
            w.Line("/// <param name=\"options\">Epochs, batch size, learning rate, seed and device; defaults when null.</param>");
            w.Line("/// <param name=\"progress\">Receives a report after every epoch.</param>");
            w.Line("/// <param name=\"cancellationToken\">Checked between steps.</param>");
            w.Line("/// <returns>The loss history and the trained encoder (dispose the result to free it).</returns>");
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("public global::GraphSSL.Training.TrainResult<" + spec.Type.NameSyntax + "> Train(global::GraphSSL.Data.GraphData data, global::GraphSSL.Training.TrainOptions? options = null,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.Training.EpochReport>? progress = null, global::System.Threading.CancellationToken cancellationToken = default)");
            using (w.Block(null))
            {
                w.Line("Validate();");
                w.Line("options = (options ?? new global::GraphSSL.Training.TrainOptions()).Validate();");
                w.Line("var device = options.ResolveDevice();");
                w.Line("var generator = global::GraphSSL.Training.TrainingLoop.Seed(options, device); // seeds initialisation; returns the shuffling and augmentation generator");
                w.Line("using var graphs = global::GraphSSL.Batching.DeviceGraphs.Upload(data, device);");
                w.Line();

                // The network: encoder and heads, built by one factory (objectives copy it for EMA targets).
                var headLines = new List<string>();
                var input = encoderRef + ".EmbeddingDim";
                string? projector = null, predictor = null;
                foreach (var head in heads)
                {
                    var headInput = input;
                    string? Resolve(string name) => name == "input" ? headInput : head.Spec.Values.FirstOrDefault(v => v.Parameter == name)?.Property;
                    var expression = Template.Render(head.Definition.Template, Resolve);
                    if (head.Definition.Stage == HeadStage.Projector) projector = expression + ", // " + head.Spec.Text;
                    else predictor = expression + "), // " + head.Spec.Text;
                    if (head.Definition.OutputDim is not null) input = "(" + Template.Render(head.Definition.OutputDim, Resolve) + ")";
                }
                w.Line("// [Encoder] " + encoder.TypeName + (heads.Count == 0 ? "" : " and the heads") + ": the network the optimiser trains");
                w.Line("using var network = new global::GraphSSL.Training.SslNetwork(() => (");
                using (w.Indent())
                {
                    w.Line(encoderRef + ".CreateModule(graphs.FeatureDim),");
                    w.Line(projector ?? "null, // no projector");
                    w.Line(predictor ?? "null), // no predictor");
                    w.Line(spec.NodeLevel
                        ? "device, nodeLevel: true, noise: generator); // heads and objectives see node embeddings; dropout draws from the generator"
                        : "device, noise: generator); // dropout (when the encoder has any) draws from the generator, so checkpoints resume it");
                }
                w.Line("global::GraphSSL.Training.TrainingLoop.InitialiseLinears(options, network); // options.LinearInit (Default: nothing), before objectives copy the network");
                w.Line(spec.NodeLevel
                    ? "var batches = global::GraphSSL.Batching.BatchPlan.Whole(graphs.GraphCount); // node level: one step per epoch over the full graph"
                    : "var batches = global::GraphSSL.Batching.BatchPlan.Ranges(graphs.GraphCount, options.BatchSize);");
                w.Line("var context = new global::GraphSSL.Objectives.ObjectiveContext(device, network, graphs.FeatureDim, options.Epochs, batches.Count, generator);");
                foreach (var objective in objectives)
                {
                    w.Line("// " + objective.Member + " (" + objective.TypeName + "): its state (queues, target networks, prototypes…; empty when it keeps none)");
                    w.Line("using var " + StateLocal(objective) + " = " + Member(objective.Member) + ".Start(context);");
                }
                w.Line("global::GraphSSL.Training.TrainingLoop.InitialiseLinears(options, " + string.Join(", ", objectives.Select(StateLocal)) + "); // the same for their trainable modules");
                if (objectives.Length > 1)
                {
                    w.Line("// The losses' weights as Scalars held for the whole run: a Scalar made at every step could be freed by the GC while libtorch reads it (GSSL0033)");
                    foreach (var objective in objectives)
                        w.Line("using var " + WeightLocal(objective) + " = global::GraphSSL.Scalars.Create(" + Member(objective.Member + "Weight") + ");");
                }
                var parameters = "global::GraphSSL.Training.TrainingLoop.Parameters(network, " + string.Join(", ", objectives.Select(StateLocal)) + ")";
                w.Line("using var optimizer = global::GraphSSL.Training.TrainingLoop.CreateOptimizer(" + parameters + ", options); // options.Optimizer (Adam unless AdamW) over the network and the objectives' trainable state");
                w.Line("var losses = new global::System.Collections.Generic.List<double>(options.Epochs);");
                w.Line("var seconds = new global::System.Collections.Generic.List<double>(options.Epochs);");

                w.Line("// Checkpoints: the network, the objectives' state, the optimiser, generator state, epoch and history");
                w.Line("var state = new global::GraphSSL.Training.TrainingState(this, data, options, generator" + (spec.NodeLevel ? ", nodeLevel: true)" : ")"));
                using (w.Indent())
                {
                    w.Line(".Track(network)");
                    foreach (var objective in objectives) w.Line(".Track(\"" + DeclarationReader.Camel(objective.Member) + "\", " + StateLocal(objective) + ")");
                    w.Line(".Track(optimizer);");
                }
                w.Line("var firstEpoch = state.Restore(losses, seconds); // 1, or the epoch after the checkpoint when resuming");
                w.Line("network.Train();");
                foreach (var objective in objectives) w.Line(StateLocal(objective) + ".Train();");

                using (w.Block("for (int epoch = firstEpoch; epoch <= options.Epochs; epoch++)"))
                {
                    w.Line("var clock = global::System.Diagnostics.Stopwatch.StartNew();");
                    w.Line("global::GraphSSL.Training.TrainingLoop.SetLearningRate(optimizer, options, epoch); // options.Schedule's rate for this epoch");
                    w.Line("using var epochScope = " + Torch + ".NewDisposeScope();");
                    w.Line("var order = " + Torch + ".randperm(graphs.GraphCount, generator: generator, device: device);");
                    w.Line("var lossSum = " + Torch + ".zeros(1, device: device); // summed on the device, read once per epoch");
                    w.Line("var stdSum = " + Torch + ".zeros(1, device: device); // collapse monitor: std of view one's unit projections");
                    w.Line("var step = (long)(epoch - 1) * batches.Count; // derived from the epoch, so it survives a resume");
                    using (w.Block("foreach (var (start, length) in batches)"))
                    {
                        w.Line("cancellationToken.ThrowIfCancellationRequested();");
                        w.Line("using var stepScope = " + Torch + ".NewDisposeScope();");
                        w.Line("var batch = graphs.Gather(order.narrow(0, start, length));");
                        var preparing = objectives.Where(o => o.HasPrepare).ToList();
                        w.Line(views.Length == 1
                            ? "// " + Count(viewCount) + (viewCount == 1 ? " view" : " views") + ", drawn from " + views[0].Member +
                              (preparing.Count == 0 ? "" : ", prepared by " + string.Join(" and ", preparing.Select(o => o.Member)))
                            : "// " + string.Join(", ", views.Select(v => v.Member)) + ": one view each" +
                              (preparing.Count == 0 ? "" : ", prepared by " + string.Join(" and ", preparing.Select(o => o.Member))));
                        w.Line("var views = new global::GraphSSL.Objectives.Views(new global::GraphSSL.Objectives.StepInfo(epoch, step++, context.TotalSteps), network,");
                        using (w.Indent())
                        {
                            for (int i = 0; i < viewCount; i++)
                            {
                                var view = views.Length == 1 ? views[0] : views[i];
                                var end = i == viewCount - 1 ? ");" : ",";
                                if (view.Kind == ComponentKind.EncoderView)
                                {
                                    w.Line(Member(view.Member) + ".Forward(network, batch, generator)" + end + " // encoded by a changed copy of the network");
                                    continue;
                                }
                                var graph = Member(view.Member) + ".Apply(batch, generator)";
                                foreach (var o in preparing) graph = Member(o.Member) + ".Prepare(" + graph + ", " + StateLocal(o) + ", generator)";
                                w.Line("network.Forward(" + graph + ")" + end);
                            }
                        }
                        w.Line("// " + (objectives.Length == 1 ? "The loss" : "The weighted sum of the losses"));
                        if (objectives.Length == 1)
                        {
                            w.Line("var loss = " + Member(objectives[0].Member) + ".Loss(views, " + StateLocal(objectives[0]) + ");");
                        }
                        else
                        {
                            var terms = objectives.Select(o => Member(o.Member) + ".Loss(views, " + StateLocal(o) + ").mul(" + WeightLocal(o) + ")").ToList();
                            w.Line("var loss = " + terms[0]);
                            using (w.Indent())
                                for (int i = 1; i < terms.Count; i++) w.Line(".add(" + terms[i] + ", global::GraphSSL.Scalars.One)" + (i == terms.Count - 1 ? ";" : ""));
                        }
                        w.Line("optimizer.zero_grad();");
                        w.Line("loss.backward();");
                        w.Line("optimizer.step();");
                        foreach (var objective in objectives)
                            w.Line(Member(objective.Member) + ".AfterStep(views, " + StateLocal(objective) + "); // after the optimiser step: EMA updates, queues");
                        w.Line("lossSum.add_(loss.detach(), global::GraphSSL.Scalars.One); // alpha held: TorchSharp's one-argument add_ makes a Scalar nothing keeps alive (GSSL0033)");
                        w.Line("stdSum.add_(global::GraphSSL.Objectives.CollapseMonitor.OutputStd(views.Z1), global::GraphSSL.Scalars.One);");
                    }
                    w.Line("var (meanLoss, outputStd) = global::GraphSSL.Objectives.CollapseReport.ReadEpoch(lossSum, stdSum, batches.Count, epoch); // the epoch's one host read; throws on NaN or infinity");
                    w.Line("losses.Add(meanLoss);");
                    w.Line("seconds.Add(clock.Elapsed.TotalSeconds);");
                    w.Line("progress?.Report(new global::GraphSSL.Training.EpochReport(epoch, options.Epochs, meanLoss, clock.Elapsed.TotalSeconds,");
                    using (w.Indent())
                        w.Line("outputStd, global::GraphSSL.Objectives.CollapseReport.Warning(outputStd, network.ProjectionDim)));");
                    w.Line("state.Completed(epoch, losses, seconds); // writes a checkpoint when one is due");
                }
                w.Line("return new global::GraphSSL.Training.TrainResult<" + spec.Type.NameSyntax + ">(this, options, losses, seconds,");
                using (w.Indent())
                    w.Line("new global::GraphSSL.Training.TrainedEncoder(network.ReleaseEncoder(), device, " + encoderRef + ".EmbeddingDim));");
            }
            w.Line();
        }

        private static string Count(int n) => n switch
        {
            1 => "One",
            2 => "Two",
            3 => "Three",
            _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        /// <summary>Node-level models also train on a <c>NodeData</c> (Cora, CiteSeer): the same loop on its one graph.</summary>
        private static void WriteNodeTrain(SourceWriter w, ModelSpec spec)
        {
            w.Line("/// <summary>");
            w.Line("/// Trains on the one graph of <paramref name=\"data\"/> (transductive: every node, no labels); embed its nodes with");
            w.Line("/// <see cref=\"global::GraphSSL.Training.TrainedEncoder.EmbedNodes(global::GraphSSL.Data.NodeData)\"/>.");
            w.Line("/// </summary>");
            w.Line("/// <param name=\"data\">The graph to train on.</param>");
            w.Line("/// <param name=\"options\">Epochs, learning rate, seed and device; defaults when null (the batch size is not used).</param>");
            w.Line("/// <param name=\"progress\">Receives a report after every epoch.</param>");
            w.Line("/// <param name=\"cancellationToken\">Checked between steps.</param>");
            w.Line("/// <returns>The loss history and the trained encoder (dispose the result to free it).</returns>");
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("public global::GraphSSL.Training.TrainResult<" + spec.Type.NameSyntax + "> Train(global::GraphSSL.Data.NodeData data, global::GraphSSL.Training.TrainOptions? options = null,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.Training.EpochReport>? progress = null, global::System.Threading.CancellationToken cancellationToken = default)");
            using (w.Indent())
                w.Line("=> Train(global::GraphSSL.Training.NodeLevel.AsGraph(data), options, progress, cancellationToken);");
            w.Line();
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("global::GraphSSL.Training.TrainResult<global::GraphSSL.Training.ISslModel> global::GraphSSL.Training.INodeLevelModel.Train(global::GraphSSL.Data.NodeData data, global::GraphSSL.Training.TrainOptions? options,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.Training.EpochReport>? progress, global::System.Threading.CancellationToken cancellationToken)");
            using (w.Indent())
                w.Line("=> ((global::GraphSSL.Training.ISslModel)this).Train(global::GraphSSL.Training.NodeLevel.AsGraph(data), options, progress, cancellationToken);");
            w.Line();
        }

        private static void WriteUntypedTrain(SourceWriter w, ModelSpec spec)
        {
            w.Line(Literals.GeneratedCodeAttribute);
            w.Line("global::GraphSSL.Training.TrainResult<global::GraphSSL.Training.ISslModel> global::GraphSSL.Training.ISslModel.Train(global::GraphSSL.Data.GraphData data, global::GraphSSL.Training.TrainOptions? options,");
            using (w.Indent())
                w.Line("global::System.IProgress<global::GraphSSL.Training.EpochReport>? progress, global::System.Threading.CancellationToken cancellationToken)");
            using (w.Block(null))
            {
                w.Line("var r = Train(data, options, progress, cancellationToken);");
                w.Line("return new global::GraphSSL.Training.TrainResult<global::GraphSSL.Training.ISslModel>(r.Model, r.Options, r.Losses, r.EpochSeconds, r.Encoder);");
            }
            w.Line();
        }
    }
}
