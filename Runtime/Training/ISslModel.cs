using GraphSSL.Data;

namespace GraphSSL.Training;

/// <summary>A declared self-supervised model: something that trains an encoder.</summary>
public interface ISslModel : IDeclared
{
    /// <summary>Trains on <paramref name="data"/>; see the generated typed overload for details.</summary>
    TrainResult<ISslModel> Train(GraphData data, TrainOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default);
}
