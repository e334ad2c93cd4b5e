using System;

namespace GraphSSL
{
    /// <summary>
    /// Projection head g(·) between the encoder and the objective, as in the study: an MLP of
    /// <see cref="Layers"/> linear layers, each but the last followed by batch norm and ReLU, the last by
    /// batch norm only. The embedding used downstream is the encoder's output, before this head.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class ProjectorAttribute : Attribute
    {
        /// <summary>Number of linear layers (at least 1). Default 3.</summary>
        public int Layers { get; set; } = 3;
        /// <summary>Width of the hidden and output layers; 0 (default) means the encoder's embedding size.</summary>
        public int Hidden { get; set; }
        /// <summary>Whether batch norm follows each linear layer. Default true.</summary>
        public bool BatchNorm { get; set; } = true;
    }
}

namespace GraphSSL
{
    /// <summary>
    /// Prediction head (SimSiam, BYOL) after the projector: <see cref="Layers"/> − 1 blocks of Linear, batch
    /// norm and ReLU of width <see cref="Hidden"/>, then a Linear back to the projection size.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class PredictorAttribute : Attribute
    {
        /// <summary>Number of linear layers (at least 1). Default 2, the study's value.</summary>
        public int Layers { get; set; } = 2;
        /// <summary>Width of the hidden layers; 0 (default) means the projection size.</summary>
        public int Hidden { get; set; }
    }
}
