using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Catalog;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;

namespace GraphSSL.Generators.Tests;

/// <summary>Emitters on hand-built specs, without a compilation: each spec field reaches the text.</summary>
public class EmitterTests
{
    private static HyperParameterSpec Value(string property, string parameter, string attribute, ValueKind kind, string type, string literal, string text, Common.ValueRange range = Common.ValueRange.Any)
        => new(property, parameter, attribute, kind, type, type, literal, text, range, "Doc.");

    private static readonly AttributeSpec Drop = new("NodeDropping", "[NodeDropping(0.3)]",
        new[] { Value("Ratio", "Ratio", "NodeDropping", ValueKind.Double, "double", "0.3", "0.3", Common.ValueRange.Ratio) }.ToEquatableArray());

    [Fact]
    public void AugmentationAppliesEveryStepInOrder()
    {
        var mask = new AttributeSpec("AttributeMasking", "[AttributeMasking(0.1, Mode = MaskMode.Zero)]", new[]
        {
            Value("AttributeMaskingRatio", "Ratio", "AttributeMasking", ValueKind.Double, "double", "0.1", "0.1", Common.ValueRange.Ratio),
            Value("Mode", "Mode", "AttributeMasking", ValueKind.Enum, "global::GraphSSL.MaskMode", "global::GraphSSL.MaskMode.Zero", "Zero"),
            Value("Mean", "Mean", "AttributeMasking", ValueKind.Double, "double", "0.5", "0.5"),
            Value("Std", "Std", "AttributeMasking", ValueKind.Double, "double", "0.5", "0.5", Common.ValueRange.NonNegative),
        }.ToEquatableArray());
        var spec = new AugmentationSpec(new TypeSpec("", "Both"), "[Augmentation, NodeDropping(0.3), AttributeMasking(0.1, Mode = MaskMode.Zero)]",
            new[] { Drop, mask }.ToEquatableArray(), EquatableArray<HyperParameterSpec>.Empty, null);
        var text = AugmentationEmitter.Emit(spec);
        Assert.DoesNotContain("namespace", text); // global namespace
        var first = text.IndexOf("batch = global::GraphSSL.Augmentations.Augment.DropNodes(batch, Ratio, generator);", StringComparison.Ordinal);
        var second = text.IndexOf("batch = global::GraphSSL.Augmentations.Augment.MaskAttributes(batch, AttributeMaskingRatio, Mode, Mean, Std, generator);", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, text);
        Assert.Contains("// [AttributeMasking(0.1, Mode = MaskMode.Zero)]", text);
        Assert.Contains("public global::GraphSSL.MaskMode Mode { get; init; } = global::GraphSSL.MaskMode.Zero;", text);
    }

    [Fact]
    public void ModelWithPredictorComputesPredictionsAfterProjections()
    {
        var projector = new AttributeSpec("Projector", "[Projector]", new[]
        {
            Value("ProjectorLayers", "Layers", "Projector", ValueKind.Int, "int", "3", "3", Common.ValueRange.AtLeastOne),
            Value("ProjectorHidden", "Hidden", "Projector", ValueKind.Int, "int", "0", "0", Common.ValueRange.NonNegative),
            Value("ProjectorBatchNorm", "BatchNorm", "Projector", ValueKind.Bool, "bool", "true", "true"),
        }.ToEquatableArray());
        var predictor = new AttributeSpec("Predictor", "[Predictor]", new[]
        {
            Value("PredictorLayers", "Layers", "Predictor", ValueKind.Int, "int", "2", "2", Common.ValueRange.AtLeastOne),
            Value("PredictorHidden", "Hidden", "Predictor", ValueKind.Int, "int", "0", "0", Common.ValueRange.NonNegative),
            Value("PredictorBatchNorm", "BatchNorm", "Predictor", ValueKind.Bool, "bool", "true", "true"),
            Value("PredictorActivation", "Activation", "Predictor", ValueKind.Enum, "global::GraphSSL.Activation", "global::GraphSSL.Activation.Relu", "Relu"),
        }.ToEquatableArray());
        var spec = new ModelSpec(new TypeSpec("Lab", "Siam"), "[SslModel, Projector, Predictor]",
            new[]
            {
                new ComponentSpec("Encoder", "G", "global::Lab.G", ComponentKind.Encoder),
                new ComponentSpec("View", "IAugmentation", "global::GraphSSL.Augmentations.IAugmentation", ComponentKind.GraphView),
                new ComponentSpec("Objective", "SimSiam", "global::GraphSSL.Objectives.SimSiam", ComponentKind.Objective, Views: 2, UsesPredictor: true),
            }.ToEquatableArray(),
            new[] { projector, predictor }.ToEquatableArray());
        var text = ModelEmitter.Emit(spec);
        // The predictor reads the projector's output size; both are built by the network's factory.
        Assert.Contains("global::GraphSSL.Layers.Heads.Predictor((global::GraphSSL.Layers.Heads.Width(ProjectorHidden, Encoder.EmbeddingDim)), global::GraphSSL.Layers.Heads.Width(PredictorHidden, (global::GraphSSL.Layers.Heads.Width(ProjectorHidden, Encoder.EmbeddingDim))), PredictorLayers, PredictorBatchNorm, PredictorActivation)), // [Predictor]", text);
        Assert.Contains("var loss = Objective.Loss(views, objectiveState);", text);
        Assert.Contains("Objective.AfterStep(views, objectiveState);", text);
        Assert.Contains("global::GraphSSL.Training.TrainingLoop.Parameters(network, objectiveState)", text);
        Assert.Contains("global::GraphSSL.ValueRanges.Check(global::GraphSSL.ValueRange.AtLeastOne, PredictorLayers, nameof(PredictorLayers));", text);
        Assert.Contains("Objective.Validate();", text);
    }

    [Fact]
    public void CatalogSortsByKindThenName()
    {
        var entries = new[]
        {
            new CatalogEntry(2, "A", "X.A", "[SslModel]", "NtXent", EquatableArray<HyperParameterSpec>.Empty, new[] { "G" }.ToEquatableArray(), "static c => null!"),
            new CatalogEntry(0, "Z", "X.Z", "[Encoder]", null, EquatableArray<HyperParameterSpec>.Empty, EquatableArray<string>.Empty, "static _ => null!"),
            new CatalogEntry(0, "B", "X.B", "[Encoder]", null, EquatableArray<HyperParameterSpec>.Empty, EquatableArray<string>.Empty, "static _ => null!"),
        }.ToEquatableArray();
        var text = CatalogEmitter.Emit(CatalogParser.Build(entries, new CatalogPlacement(false, false)));
        int b = text.IndexOf("\"X.B\"", StringComparison.Ordinal), z = text.IndexOf("\"X.Z\"", StringComparison.Ordinal), a = text.IndexOf("\"X.A\"", StringComparison.Ordinal);
        Assert.True(b < z && z < a, text); // encoders B, Z before model A
        Assert.Contains("new string[] { \"G\" },", text);
    }

    [Fact]
    public void SpecsAreValueEqual()
    {
        // Two specs built separately from equal parts are equal (what incremental caching relies on).
        AttributeSpec Make() => new("NodeDropping", "[NodeDropping(0.3)]",
            new[] { Value("Ratio", "Ratio", "NodeDropping", ValueKind.Double, "double", "0.3", "0.3", Common.ValueRange.Ratio) }.ToEquatableArray());
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual(Make(), Make() with { Text = "[NodeDropping(0.4)]" });
    }

    [Fact]
    public void EncoderUsesTheKindsTemplate()
    {
        var gat = new AttributeSpec("Gat", "[Gat(Heads = 2)]", new[]
        {
            Value("Layers", "Layers", "Gat", ValueKind.Int, "int", "3", "3"),
            Value("Hidden", "Hidden", "Gat", ValueKind.Int, "int", "64", "64"),
            Value("Pooling", "Pooling", "Gat", ValueKind.Enum, "global::GraphSSL.Pooling", "global::GraphSSL.Pooling.Sum", "Sum"),
            Value("JumpingKnowledge", "JumpingKnowledge", "Gat", ValueKind.Bool, "bool", "true", "true"),
            Value("Heads", "Heads", "Gat", ValueKind.Int, "int", "2", "2"),
            Value("Activation", "Activation", "Gat", ValueKind.Enum, "global::GraphSSL.Activation", "global::GraphSSL.Activation.PRelu", "PRelu"),
            Value("BatchNorm", "BatchNorm", "Gat", ValueKind.Bool, "bool", "false", "false"),
            Value("ConcatHeads", "ConcatHeads", "Gat", ValueKind.Bool, "bool", "true", "true"),
            Value("Dropout", "Dropout", "Gat", ValueKind.Double, "double", "0.2", "0.2"),
            Value("AttentionDropout", "AttentionDropout", "Gat", ValueKind.Double, "double", "0.1", "0.1"),
            Value("Init", "Init", "Gat", ValueKind.Enum, "global::GraphSSL.GatInit", "global::GraphSSL.GatInit.Dgl", "Dgl"),
        }.ToEquatableArray());
        var text = EncoderEmitter.Emit(new EncoderSpec(new TypeSpec("Lab", "Attn"), "[Encoder, Gat(Heads = 2)]", gat));
        Assert.Contains("return new global::GraphSSL.Layers.GatEncoderModule(inputDim, Hidden, Layers, Pooling, JumpingKnowledge, Heads, Activation, BatchNorm, ConcatHeads, Dropout, AttentionDropout, Init);", text);
        Assert.Contains("public int Heads { get; init; } = 2;", text);
        Assert.Contains("public global::GraphSSL.GatInit Init { get; init; } = global::GraphSSL.GatInit.Dgl;", text);
    }
}
